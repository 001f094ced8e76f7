"""Background tasks that carry their tenant explicitly and refuse to run in the public schema.

tenant-schemas-celery falls back to `public` when a header is missing (RELIABILITY.md §2.2), which fails
open for shared tables. Here the schema is an ordinary, required task argument; the wrapper checks it names
a real enterprise workspace, runs the task inside it and always resets the connection afterwards.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from steward.celery import app
from tenants.models import Enterprise, QueuedTask
from tenants.outbox import BROKER_ERRORS


class TenantRequired(RuntimeError):
    """A tenant task was called without a valid enterprise schema."""


def tenant_task(*task_args, **task_options) -> Callable:
    """Declare a Celery task whose first keyword argument `tenant_schema` is required and checked."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def run_in_tenant(*args, tenant_schema: str | None = None, **kwargs):
            if not tenant_schema or tenant_schema == get_public_schema_name():
                raise TenantRequired(f"{func.__name__} needs an enterprise schema, got {tenant_schema!r}")
            if not Enterprise.objects.filter(workspace__schema_name=tenant_schema).exists():
                raise TenantRequired(f"{func.__name__}: no enterprise has schema {tenant_schema!r}")
            # schema_context restores the previous schema even when the task fails, so nothing leaks
            # into the next task this worker runs.
            with schema_context(tenant_schema):
                return func(*args, **kwargs)

        return shared_task(*task_args, **task_options)(run_in_tenant)

    return decorate


@shared_task(name="tenants.close_expired_engagements")
def close_expired_engagements() -> int:
    """Daily (Celery beat): record as ended the engagements whose end date has passed."""
    from tenants.services import close_expired_engagements as close

    return close()


RELAY_BATCH = 500


@shared_task(name="tenants.relay_queued_tasks")
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


@shared_task(name="tenants.deliver_notifications")
def deliver_notifications(notification_ids: list[int]) -> int:
    """Carry new inbox entries to e-mail / SMS / 浙政钉 as each person chose (public schema: shared tables)."""
    from tenants.notifications import deliver

    return deliver(notification_ids)


@shared_task(name="tenants.retry_failed_deliveries")
def retry_failed_deliveries() -> int:
    """Beat: send again the notices a gateway refused."""
    from tenants.notifications import retry_failed

    return retry_failed()
