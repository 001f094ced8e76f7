from django.apps import AppConfig


class BankingConfig(AppConfig):
    name = "steward.banking"
    label = "banking"
    verbose_name = "银行授权查询"
