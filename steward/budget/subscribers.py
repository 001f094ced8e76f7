"""A budget's level is recomputed when new data lands for it, after the commit of that data: a register feed
batch imported (`register_feed.imported`, published by steward/register/importer.py) or a month locked
(`filing.locked`, published by workflows/monthly_filing.py inside the enterprise's schema; the oversight read
model's sealed figure, which the burn-down reads, is written in the same transaction). The check
(`tasks.check_levels` → `warnings.record_rises`) runs after the commit, in-process without a broker, so a
refused import or a rolled-back lock checks nothing and the read model it reads is committed."""

from __future__ import annotations

from django.db import transaction

from steward import events


def check_after_feed(event: events.Event) -> None:
    from steward.budget.models import CarbonBudget
    from steward.budget.tasks import check_levels
    from tenants.outbox import enqueue

    batch = event.record
    if not CarbonBudget.objects.filter(year=batch.year).exists():
        return
    transaction.on_commit(lambda: enqueue(check_levels, year=batch.year, batch_id=batch.pk))


def check_after_lock(event: events.Event) -> None:
    from steward.budget.models import CarbonBudget
    from steward.budget.tasks import check_levels
    from tenants.outbox import enqueue

    filing = event.record
    budget = (
        CarbonBudget.objects.filter(
            year=filing.year, registered__enterprise__workspace__schema_name=event.schema
        )
        .values("registered__enterprise_id")
        .first()
    )
    if budget is None:
        return
    enterprise_id = budget["registered__enterprise_id"]
    transaction.on_commit(lambda: enqueue(check_levels, year=filing.year, enterprise_id=enterprise_id))


def register() -> None:
    events.subscribe("register_feed.imported", check_after_feed)
    events.subscribe("filing.locked", check_after_lock)
