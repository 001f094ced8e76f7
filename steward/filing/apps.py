from django.apps import AppConfig


class FilingConfig(AppConfig):
    name = "steward.filing"
    label = "filing"
    verbose_name = "月度存证"
