"""Tenant-bound delivery of webhooks: the task runs in the event's schema and only touches that
enterprise's endpoints."""

from __future__ import annotations

from celery import shared_task
from django.db import connection, transaction
from django.utils import timezone

from steward.celery import app
from steward.integrations.models import QueuedTask, WebhookDelivery
from steward.integrations.outbox import BROKER_ERRORS
from steward.integrations.webhooks import attempt, backoff
from tenants.tasks import tenant_task


@tenant_task(name="integrations.deliver_webhook")
def deliver_webhook(*, delivery_id: int) -> str:
    delivery = (
        WebhookDelivery.objects.select_related("endpoint")
        .filter(pk=delivery_id, endpoint__enterprise__workspace__schema_name=connection.schema_name)
        .first()
    )
    if delivery is None:  # another tenant's delivery: never sent from this schema
        return "refused"
    if delivery.status != WebhookDelivery.Status.PENDING:
        return delivery.status
    if not attempt(delivery) and delivery.status == WebhookDelivery.Status.PENDING:
        deliver_webhook.apply_async(
            kwargs={"tenant_schema": connection.schema_name, "delivery_id": delivery.pk},
            countdown=backoff(delivery.attempts),
        )
    return delivery.status


RELAY_BATCH = 500


@shared_task(name="integrations.relay_queued_tasks")
def relay_queued_tasks() -> int:
    """Beat: re-send the tasks the broker refused, oldest first; stops at the first refusal."""
    sent = 0
    with transaction.atomic():
        rows = QueuedTask.objects.select_for_update(skip_locked=True).filter(sent_at__isnull=True)
        for row in rows[:RELAY_BATCH]:
            try:
                app.tasks[row.name].apply_async(kwargs=row.kwargs)
            except BROKER_ERRORS as error:
                row.attempts, row.error = row.attempts + 1, str(error)[:300]
                row.save(update_fields=["attempts", "error"])
                break
            row.sent_at = timezone.now()
            row.save(update_fields=["sent_at"])
            sent += 1
    return sent
