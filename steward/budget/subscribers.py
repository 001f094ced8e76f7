"""A budget's level is recomputed when new data lands for it, after the commit of that data:

- a register feed batch imported (`register_feed.imported`, published by steward/register/importer.py): the
  budgets of the batch's year whose enterprises it carries, and the *seasonal* budgets of the year after (the
  batch changes their profile, the enterprise's own months of the previous year);
- a month locked or reopened (`filing.locked`, `filing.reopened`, published by workflows/monthly_filing.py inside
  the enterprise's schema; the oversight read model the burn-down reads is written in the same transaction);
- an adjustment approved (`budget_adjustment.decided`, published by steward/budget/services.py): the budget in
  force changed, so the same figures may stand at another level.

The check (`tasks.check_levels` → `warnings.record_rises`) runs after the commit, in-process without a broker, so
a refused import, a rolled-back lock or decision checks nothing and the read model it reads is committed."""

from __future__ import annotations

from django.db import transaction

from steward import events

ADJUSTMENT_DECIDED = "budget_adjustment.decided"


def check_after_feed(event: events.Event) -> None:
    from steward.budget.models import CarbonBudget
    from steward.budget.tasks import check_levels
    from tenants.outbox import enqueue

    batch = event.record
    if CarbonBudget.objects.filter(year=batch.year).exists():
        transaction.on_commit(lambda: enqueue(check_levels, year=batch.year, batch_id=batch.pk))
    seasonal = CarbonBudget.Profile.SEASONAL
    if CarbonBudget.objects.filter(year=batch.year + 1, profile=seasonal).exists():
        transaction.on_commit(
            lambda: enqueue(check_levels, year=batch.year + 1, batch_id=batch.pk, profile=seasonal)
        )


def _check_enterprise(event: events.Event, cause: str) -> None:
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
    transaction.on_commit(
        lambda: enqueue(
            check_levels, year=filing.year, enterprise_id=enterprise_id, cause=f"{cause}:{enterprise_id}"
        )
    )


def check_after_lock(event: events.Event) -> None:
    _check_enterprise(event, "filing_locked")


def check_after_reopen(event: events.Event) -> None:
    _check_enterprise(event, "filing_reopened")


def check_after_decision(event: events.Event) -> None:
    from steward.budget.models import AdjustmentDecision
    from steward.budget.tasks import check_levels
    from tenants.outbox import enqueue

    decision = event.record
    if decision.outcome != AdjustmentDecision.Outcome.APPROVED:
        return  # a refusal leaves the budget in force as it was
    budget = decision.adjustment.budget
    transaction.on_commit(
        lambda: enqueue(
            check_levels,
            year=budget.year,
            budget_id=budget.pk,
            cause=f"adjustment_approved:{decision.adjustment_id}",
        )
    )


def register() -> None:
    events.subscribe("register_feed.imported", check_after_feed)
    events.subscribe("filing.locked", check_after_lock)
    events.subscribe("filing.reopened", check_after_reopen)
    events.subscribe(ADJUSTMENT_DECIDED, check_after_decision)
