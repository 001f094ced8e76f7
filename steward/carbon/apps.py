from django.apps import AppConfig


class CarbonConfig(AppConfig):
    name = "steward.carbon"
    label = "carbon"
    verbose_name = "碳排放核算"
