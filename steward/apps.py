from django.apps import AppConfig


class StewardConfig(AppConfig):
    name = "steward"
    verbose_name = "碳管家"

    def ready(self) -> None:
        # Load the Celery app so @shared_task binds to it in web processes too.
        from steward import celery  # noqa: F401
