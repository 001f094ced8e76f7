from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "steward.quality"
    label = "quality"
    verbose_name = "数据质量"
