"""Recording a budget's early-warning level when new data lifts it: once per budget and level reached.

The level itself is computed when read (`burndown.Burndown.level`, the rules of `data/warning_rules.csv`), so
it follows every feed and every locked month at once. What is *recorded* is each rise: when a recompute after
new data (`steward/budget/subscribers.py`: a register feed batch imported, of the year or of the year before for
a seasonal profile, a month locked or reopened, an adjustment approved) finds a budget at a
level above every level already recorded for it, a `LevelNotice` row is written (append-only) and
`budget.level_raised` is published; the inbox entries follow from that event (`steward/budget/notices.py`).
A level already recorded is not recorded again, whether the next recompute finds the same level, a lower one
(an approved adjustment, a corrected feed) or the same level again after a dip: one notice per level reached.
A budget that jumps from 正常 straight to 超预算 records 超预算 only.

A budget set while already above 正常 is recorded at the first recompute after new data lands for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import translation

from steward import events
from steward.budget import burndown, selectors
from steward.budget.models import CarbonBudget, LevelNotice

LEVEL_RAISED = "budget.level_raised"
PLACES = Decimal("0.0001")


def highest_recorded(budget_ids: Iterable[int]) -> dict[int, str]:
    """budget id → the highest level recorded so far (absent: none recorded, i.e. 正常)."""
    found: dict[int, str] = {}
    for budget_id, level in LevelNotice.objects.filter(budget_id__in=list(budget_ids)).values_list(
        "budget_id", "level"
    ):
        if budget_id not in found or burndown.LEVELS.index(level) > burndown.LEVELS.index(found[budget_id]):
            found[budget_id] = level
    return found


def _above(level: str, recorded: str | None) -> bool:
    return burndown.LEVELS.index(level) > burndown.LEVELS.index(recorded or "ok")


@transaction.atomic
def record_rises(budgets: list[CarbonBudget], *, cause: str) -> list[LevelNotice]:
    """Recompute the budgets' levels; record (and publish) each that is above every level recorded for it.

    Idempotent: run twice on the same data, the second run records nothing. Each budget is locked (`SELECT …
    FOR UPDATE`) and its recorded levels re-read before writing, so two recomputes at once record a rise once."""
    if not budgets:
        return []
    with translation.override("zh-hans"):  # the warnings' texts are kept in the platform's language
        views = selectors.burn_downs(budgets)
    recorded = highest_recorded(view.budget.pk for view in views)
    rising = [view for view in views if _above(view.burn.level, recorded.get(view.budget.pk))]
    created = []
    for view in rising:
        budget = view.budget
        CarbonBudget.objects.select_for_update().filter(pk=budget.pk).first()
        if not _above(view.burn.level, highest_recorded([budget.pk]).get(budget.pk)):
            continue  # recorded meanwhile by a concurrent recompute
        level = view.burn.level
        texts = [item.text for item in view.burn.raised if item.level == level]
        notice = LevelNotice.objects.create(
            budget=budget,
            level=level,
            as_of_month=view.burn.as_of,
            in_force_tco2=view.in_force.quantize(PLACES),
            cumulative_tco2=view.burn.cumulative.quantize(PLACES),
            warnings="；".join(texts)[:500],
            cause=cause[:40],
        )
        events.publish(LEVEL_RAISED, notice, budget_id=budget.pk, level=level)
        created.append(notice)
    return created


def budgets_to_check(
    year: int,
    *,
    registered_ids: Iterable[int] | None = None,
    budget_ids: Iterable[int] | None = None,
    profile: str | None = None,
) -> list[CarbonBudget]:
    """The year's budgets (of `registered_ids`, of `budget_ids`, of one `profile` when given), ready for
    `record_rises`."""
    budgets = selectors.budgets_with_history().filter(year=year)
    if registered_ids is not None:
        budgets = budgets.filter(registered_id__in=registered_ids)
    if budget_ids is not None:
        budgets = budgets.filter(pk__in=list(budget_ids))
    if profile is not None:
        budgets = budgets.filter(profile=profile)
    return list(budgets.order_by("pk"))
