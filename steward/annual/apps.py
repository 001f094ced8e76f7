from django.apps import AppConfig


class AnnualConfig(AppConfig):
    name = "steward.annual"
    label = "annual"
    verbose_name = "年度排放报告"

    def ready(self) -> None:
        from steward.annual import disclosure, documents  # noqa: F401  (register the document kinds)
