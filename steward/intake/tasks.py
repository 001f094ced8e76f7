"""Scheduled intake housekeeping, bound to one enterprise's schema per task."""

from celery import shared_task

from steward.intake.services import discard_stale_staged_files
from tenants.models import Enterprise
from tenants.tasks import tenant_task


@tenant_task(name="intake.discard_stale_uploads_for_enterprise")
def discard_stale_uploads_for_enterprise() -> int:
    return discard_stale_staged_files()


@shared_task(name="intake.discard_stale_uploads")
def discard_stale_uploads() -> int:
    """Daily (Celery beat): one tenant task per enterprise."""
    enterprises = Enterprise.objects.select_related("workspace")
    for enterprise in enterprises:
        discard_stale_uploads_for_enterprise.delay(tenant_schema=enterprise.schema_name)
    return len(enterprises)
