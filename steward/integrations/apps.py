from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "steward.integrations"
    label = "integrations"
    verbose_name = "系统对接"

    def ready(self) -> None:
        from steward.integrations import (
            api_auth,  # noqa: F401  (registers the OpenAPI security scheme)
            webhooks,
        )

        webhooks.register()
