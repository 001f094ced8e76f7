from django.apps import AppConfig


class PollutionConfig(AppConfig):
    name = "steward.pollution"
    label = "pollution"
    verbose_name = "排污许可与污染物核算"
