from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "steward.budget"
    label = "budget"
    verbose_name = "企业碳预算"

    def ready(self) -> None:
        from steward.budget import notices, subscribers

        subscribers.register()
        notices.subscribe()
