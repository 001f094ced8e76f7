from django.apps import AppConfig


class FactorsConfig(AppConfig):
    name = "steward.factors"
    label = "factors"
    verbose_name = "排放因子库"
