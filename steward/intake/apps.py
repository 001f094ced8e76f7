from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "steward.intake"
    label = "intake"
    verbose_name = "数据导入"
