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


@shared_task(name="register.regrade_stale")
def regrade_stale() -> list[int]:
    """Grade again every year whose newest run has not read all its feed batches or used an older factor library
    (or was never graded): the register page shows that run's figures meanwhile and says a regrade is queued
    (every 5 minutes, `CELERY_BEAT_SCHEDULE`). Catches what a feed's own `regrade_year` did not (a broker
    outage past the relay, a failed run, a new factor library). Returns the years graded."""
    from steward.factors.source import FactorSnapshot
    from steward.register import selectors
    from steward.register.grading import GradingUnavailable, regrade
    from steward.register.models import GradingRun

    graded = []
    with schema_context(get_public_schema_name()):
        factors = FactorSnapshot.current()
        for year in selectors.feed_years():
            run = GradingRun.objects.filter(year=year).order_by("-pk").first()
            if run is not None and selectors.run_is_current(run, factors):
                continue
            try:
                regrade(year, factors=factors)
            except GradingUnavailable:
                logger.warning("register not graded: no grading table", extra={"year": year})
                break
            graded.append(year)
    return graded
