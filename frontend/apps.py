from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = "界面"

    def ready(self) -> None:
        from frontend import converters

        converters.register()
