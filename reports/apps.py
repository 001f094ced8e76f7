from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    label = "reports"
    verbose_name = "出具文件"

    def ready(self) -> None:
        from reports import kinds  # noqa: F401  (registers the document kinds of this package)
