"""Tenant-bound delivery of webhooks: the task runs in the event's schema and only touches that
enterprise's endpoints."""

from __future__ import annotations

from django.db import connection

from steward.integrations.models import WebhookDelivery
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
