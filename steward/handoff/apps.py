from django.apps import AppConfig


class HandoffConfig(AppConfig):
    name = "steward.handoff"
    label = "handoff"
    verbose_name = "全国平台存证交接"
