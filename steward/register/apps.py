from django.apps import AppConfig


class RegisterConfig(AppConfig):
    name = "steward.register"
    label = "register"
    verbose_name = "企业名录与速算"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from tenants.models import Enterprise

        post_save.connect(_link_on_onboarding, sender=Enterprise, dispatch_uid="register-link-enterprise")

        from steward.register import subscribers

        subscribers.register()


def _link_on_onboarding(sender, instance, **kwargs) -> None:
    """An enterprise onboarded here (or its credit code corrected) joins its register entry."""
    from steward.register.models import RegisteredEnterprise

    RegisteredEnterprise.objects.filter(enterprise=instance).exclude(credit_code=instance.credit_code).update(
        enterprise=None
    )
    RegisteredEnterprise.objects.filter(credit_code=instance.credit_code).exclude(enterprise=instance).update(
        enterprise=instance
    )
