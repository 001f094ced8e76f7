"""Scheduled filing work: every enterprise gets its reminders and escalations, each in its own schema."""

from celery import shared_task
from django.utils import timezone

from steward.filing.deadlines import send_deadline_notices
from tenants.models import Enterprise
from tenants.tasks import tenant_task


@tenant_task(name="filing.deadline_notices_for_enterprise")
def deadline_notices_for_enterprise(*, enterprise_id: int, today: str | None = None) -> int:
    day = timezone.datetime.fromisoformat(today).date() if today else timezone.localdate()
    return send_deadline_notices(Enterprise.objects.get(pk=enterprise_id), day)


@shared_task(name="filing.deadline_notices")
def deadline_notices() -> int:
    """Daily (Celery beat): fan out one tenant task per enterprise, each carrying its schema."""
    for enterprise in Enterprise.objects.select_related("workspace"):
        deadline_notices_for_enterprise.delay(
            tenant_schema=enterprise.schema_name, enterprise_id=enterprise.pk
        )
    return Enterprise.objects.count()
