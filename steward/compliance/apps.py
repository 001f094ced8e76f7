from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "steward.compliance"
    label = "compliance"
    verbose_name = "配额履约与碳效"
