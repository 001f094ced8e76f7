from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "steward.compliance"
    label = "compliance"
    verbose_name = "配额履约与碳效"

    def ready(self):
        from steward.compliance import documents  # noqa: F401  (registers the document kinds)
