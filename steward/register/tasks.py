from __future__ import annotations

import logging

from celery import shared_task
from django_tenants.utils import get_public_schema_name, schema_context

logger = logging.getLogger("steward.register")


@shared_task(name="register.regrade_year")
def regrade_year(year: int, batch_id: int | None = None) -> int | None:
    """Grade every register enterprise for `year` (public schema: the register is one shared table). Without a
    published grading table nothing is graded (logged): the feed stays imported either way."""
    from steward.register.grading import GradingUnavailable, regrade
    from steward.register.models import FeedBatch

    with schema_context(get_public_schema_name()):
        trigger = FeedBatch.objects.filter(pk=batch_id).first() if batch_id else None
        try:
            return regrade(year, trigger=trigger).pk
        except GradingUnavailable:
            logger.warning("register not graded: no grading table", extra={"year": year, "batch": batch_id})
            return None
