from django.apps import AppConfig


class FilingConfig(AppConfig):
    name = "steward.filing"
    label = "filing"
    verbose_name = "月度存证"

    def ready(self) -> None:
        from steward.filing import documents, notices  # noqa: F401  (documents registers its kind)
        from steward.history import align_migrate_autodetector

        align_migrate_autodetector()
        notices.subscribe()
