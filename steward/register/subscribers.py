"""The register's 碳效码 is recomputed when a feed lands (and when a roster import adds or moves enterprises): the importer publishes `register_feed.imported` in the
transaction that records the batch, and this subscriber queues the year's grading for after the commit (a
refused file or a rolled-back import grades nothing). Without a broker (Celery eager mode) the grading runs
in-process right after the commit; with one, a worker runs it and a broker outage keeps the task for the relay
(tenants/outbox.py)."""

from __future__ import annotations

from django.db import transaction

from steward import events


def regrade_on_feed(event: events.Event) -> None:
    from steward.register.tasks import regrade_year
    from tenants.outbox import enqueue

    batch = event.record
    transaction.on_commit(lambda: enqueue(regrade_year, year=batch.year, batch_id=batch.pk))


def regrade_on_roster(event: events.Event) -> None:
    """A roster import that added enterprises or moved one to another district or industry: every graded year
    is graded again after the commit (each run keeps the districts and industries it read; the industry averages
    change with them)."""
    from steward.register.selectors import graded_years
    from steward.register.tasks import regrade_year
    from tenants.outbox import enqueue

    years = graded_years()
    transaction.on_commit(lambda: [enqueue(regrade_year, year=year) for year in years])


def register() -> None:
    events.subscribe("register_feed.imported", regrade_on_feed)
    events.subscribe("register_roster.imported", regrade_on_roster)
