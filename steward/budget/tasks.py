from __future__ import annotations

from celery import shared_task
from django_tenants.utils import get_public_schema_name, schema_context


@shared_task(name="budget.check_levels")
def check_levels(
    year: int,
    batch_id: int | None = None,
    enterprise_id: int | None = None,
    budget_id: int | None = None,
    cause: str = "",
    profile: str | None = None,
) -> int:
    """Record the rises of the year's budgets that new data may have moved: those of the enterprises a feed
    batch carried (`batch_id`; with `profile`, only budgets of that profile: a previous year's batch moves the
    seasonal ones), of one enterprise whose month was locked or reopened (`enterprise_id`), or one budget whose
    adjustment was approved (`budget_id`). Idempotent (a rise is recorded once), so a task sent twice is
    harmless. Returns how many rises were recorded."""
    from steward.budget import warnings
    from steward.register.models import EnergyRecord, OutputRecord, RegisteredEnterprise

    with schema_context(get_public_schema_name()):
        if budget_id is not None:
            budgets = warnings.budgets_to_check(year, budget_ids=[budget_id])
            return len(warnings.record_rises(budgets, cause=cause or f"budget:{budget_id}"))
        if batch_id is not None:
            registered_ids = {
                registered_id
                for model in (EnergyRecord, OutputRecord)
                for registered_id in model.objects.filter(batch_id=batch_id)
                .values_list("registered_id", flat=True)
                .distinct()
            }
            cause = cause or f"register_feed:{batch_id}"
        else:
            registered_ids = list(
                RegisteredEnterprise.objects.filter(enterprise_id=enterprise_id).values_list("pk", flat=True)
            )
            cause = cause or f"filing_locked:{enterprise_id}"
        budgets = warnings.budgets_to_check(year, registered_ids=registered_ids, profile=profile)
        return len(warnings.record_rises(budgets, cause=cause))
