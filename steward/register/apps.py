from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "steward.register"
    label = "register"
    verbose_name = "企业名录与速算"
