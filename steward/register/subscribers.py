"""The register's 碳效码 is recomputed when a feed lands: the importer publishes `register_feed.imported` in the
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


def register() -> None:
    events.subscribe("register_feed.imported", regrade_on_feed)
