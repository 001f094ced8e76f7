from django.apps import AppConfig


class ComplianceReferenceConfig(AppConfig):
    name = "steward.compliance.reference"
    label = "compliance_reference"
    verbose_name = "履约与碳效参考数据"
