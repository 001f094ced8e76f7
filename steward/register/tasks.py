from __future__ import annotations

from celery import shared_task
from django_tenants.utils import get_public_schema_name, schema_context


@shared_task(name="register.regrade_year")
def regrade_year(year: int, batch_id: int | None = None) -> int:
    """Grade every register enterprise for `year` (public schema: the register is one shared table)."""
    from steward.register.grading import regrade
    from steward.register.models import FeedBatch

    with schema_context(get_public_schema_name()):
        trigger = FeedBatch.objects.filter(pk=batch_id).first() if batch_id else None
        return regrade(year, trigger=trigger).pk
