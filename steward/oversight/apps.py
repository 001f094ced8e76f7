from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "steward.oversight"
    label = "oversight"
    verbose_name = "监管视图"

    def ready(self) -> None:
        from steward.oversight import subscribers

        subscribers.register()
