"""Reading budgets set-wise: the budget in force, each month's actual emissions with its source, the value added
and the allocation a budget can be set from. No enterprise schema is opened: sealed figures come from the
oversight read model (`oversight_monthfact`, locked versions only, as `steward.register.selectors` reads
them), the allocation from its metric (`steward/budget/oversight.py`), 速算 from the register's feeds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from steward.budget import burndown
from steward.budget.models import AdjustmentDecision, BudgetAdjustment, CarbonBudget
from steward.budget.oversight import KEY as ALLOCATION_KEY
from steward.factors.source import FactorSnapshot, FactorSource
from steward.oversight.models import Metric, MonthFact
from steward.register import selectors as register_selectors
from steward.register.models import GradingRun, OutputRecord, RegisteredEnterprise, RegisterGrade

ZERO = Decimal(0)
Actuals = dict[int, tuple[Decimal, str]]


def budgets_with_history():
    """Budgets with their requests and decisions in one query each (the history is those rows)."""
    return CarbonBudget.objects.select_related(
        "registered__jurisdiction", "registered__industry", "registered__enterprise", "set_by"
    ).prefetch_related(
        Prefetch(
            "adjustments",
            queryset=BudgetAdjustment.objects.select_related("requested_by", "decision__decided_by").order_by(
                "requested_at", "pk"
            ),
        )
    )


def budget_in_force(budget: CarbonBudget) -> Decimal:
    """The set figure, replaced by each approved request in the order of the decisions."""
    approved = [
        adjustment
        for adjustment in budget.adjustments.all()
        if _decision(adjustment) and adjustment.decision.outcome == AdjustmentDecision.Outcome.APPROVED
    ]
    if not approved:
        return budget.initial_tco2
    return max(approved, key=lambda a: (a.decision.decided_at, a.decision.pk)).requested_tco2


def _decision(adjustment: BudgetAdjustment) -> AdjustmentDecision | None:
    try:
        return adjustment.decision
    except AdjustmentDecision.DoesNotExist:
        return None


def pending_adjustment(budget: CarbonBudget) -> BudgetAdjustment | None:
    return next((a for a in budget.adjustments.all() if _decision(a) is None), None)


@dataclass(frozen=True)
class HistoryEntry:
    at: object
    act: str  # set, requested, approved, refused
    by: object
    tco2: Decimal | None
    reason: str


def history(budget: CarbonBudget) -> list[HistoryEntry]:
    """Every act on the budget in time order: set, each request, each decision (who, when, why)."""
    entries = [
        HistoryEntry(
            budget.set_at, "set", budget.set_by, budget.initial_tco2, budget.note or budget.basis_note
        )
    ]
    for adjustment in budget.adjustments.all():
        entries.append(
            HistoryEntry(
                adjustment.requested_at,
                "requested",
                adjustment.requested_by,
                adjustment.requested_tco2,
                adjustment.reason,
            )
        )
        decision = _decision(adjustment)
        if decision:
            entries.append(
                HistoryEntry(
                    decision.decided_at,
                    decision.outcome,
                    decision.decided_by,
                    adjustment.requested_tco2,
                    decision.reason,
                )
            )
    return sorted(entries, key=lambda entry: entry.at)


# ------------------------------------------------------------------------------------------- actual emissions


def sealed_months(enterprise_ids: list[int], year: int) -> dict[int, dict[int, Decimal]]:
    """enterprise id → month → the sealed tCO2 of its latest locked version (oversight read model)."""
    found: dict[int, dict[int, Decimal]] = {}
    if not enterprise_ids:
        return found
    rows = MonthFact.objects.filter(
        enterprise_id__in=enterprise_ids, year=year, figures_version__isnull=False, total_tco2__isnull=False
    ).values_list("enterprise_id", "month", "total_tco2")
    for enterprise_id, month, tco2 in rows:
        found.setdefault(enterprise_id, {})[month] = tco2
    return found


def quick_months(
    registered_ids: list[int], year: int, factors: FactorSource
) -> dict[int, dict[int, Decimal]]:
    """registered id → month → 速算 tCO2 (one statement for all of them)."""
    found: dict[int, dict[int, Decimal]] = {}
    if not registered_ids:
        return found
    for figure in register_selectors.enterprise_figures(year, factors, registered_ids=registered_ids):
        found.setdefault(figure.registered_id, {})[figure.month] = figure.tco2
    return found


def actuals(
    entries: list[RegisteredEnterprise], year: int, factors: FactorSource | None = None
) -> dict[int, Actuals]:
    """registered id → month → (tCO2, source): the sealed figure where the month is locked, 速算 elsewhere."""
    factors = factors or FactorSnapshot.current()
    sealed = sealed_months([e.enterprise_id for e in entries if e.enterprise_id], year)
    quick = quick_months([e.pk for e in entries], year, factors)
    found: dict[int, Actuals] = {}
    for entry in entries:
        months: Actuals = {month: (tco2, burndown.QUICK) for month, tco2 in quick.get(entry.pk, {}).items()}
        for month, tco2 in sealed.get(entry.enterprise_id, {}).items():
            months[month] = (tco2, burndown.SEALED)
        found[entry.pk] = months
    return found


@dataclass(frozen=True)
class BudgetView:
    budget: CarbonBudget
    in_force: Decimal
    pending: BudgetAdjustment | None
    burn: burndown.Burndown


def burn_downs(budgets: list[CarbonBudget], factors: FactorSource | None = None) -> list[BudgetView]:
    """Each budget's burn-down: four statements for any number of budgets of one year (this year's and last
    year's actuals, the latter for the seasonal profile)."""
    factors = factors or FactorSnapshot.current()
    by_year: dict[int, list[CarbonBudget]] = {}
    for budget in budgets:
        by_year.setdefault(budget.year, []).append(budget)
    views: dict[int, BudgetView] = {}
    for year, of_year in by_year.items():
        entries = [budget.registered for budget in of_year]
        current = actuals(entries, year, factors)
        seasonal = [b.registered for b in of_year if b.profile == CarbonBudget.Profile.SEASONAL]
        previous = actuals(seasonal, year - 1, factors) if seasonal else {}
        for budget in of_year:
            in_force = budget_in_force(budget)
            reference = {m: tco2 for m, (tco2, _s) in previous.get(budget.registered_id, {}).items()}
            burn = burndown.burn_down(
                in_force, current.get(budget.registered_id, {}), profile=budget.profile, reference=reference
            )
            views[budget.pk] = BudgetView(budget, in_force, pending_adjustment(budget), burn)
    return [views[budget.pk] for budget in budgets]


# ------------------------------------------------------------------------------------------- what a budget is set from


@dataclass(frozen=True)
class AllocationFigure:
    allowances: Decimal
    label: str  # "pre v1", "final v2"


def allocation_of(entry: RegisteredEnterprise, year: int) -> AllocationFigure | None:
    """The allocation in force of a register enterprise with a workspace, from the read model."""
    if entry.enterprise_id is None:
        return None
    metric = Metric.objects.filter(
        enterprise_id=entry.enterprise_id, key=ALLOCATION_KEY, year=year, month=0, value__isnull=False
    ).first()
    return AllocationFigure(metric.value, metric.label) if metric else None


@dataclass(frozen=True)
class ValueAdded:
    value: Decimal
    months: int  # months reported by the statistics feed
    forecast: bool  # True: the months reported, scaled to the year


def value_added_of(entry: RegisteredEnterprise, year: int) -> ValueAdded | None:
    """The statistics feed's value added of the year (newest batch per month); with fewer than twelve months
    reported, the months reported × 12 ÷ their number (a forecast, said so)."""
    latest: dict[int, Decimal] = {}
    rows = (
        OutputRecord.objects.filter(registered=entry, year=year, value_added__isnull=False)
        .order_by("month", "-batch_id")
        .values_list("month", "value_added")
    )
    for month, value in rows:
        latest.setdefault(month, value)
    if not latest:
        return None
    total = sum(latest.values(), ZERO)
    if len(latest) == 12:
        return ValueAdded(total, 12, False)
    return ValueAdded((total * 12 / len(latest)).quantize(Decimal("0.0001")), len(latest), True)


@dataclass(frozen=True)
class IndustryAverage:
    value: Decimal  # tCO2 per 万元 of value added
    year: int  # the year of the grading run it came from (the budget's, or the one before)
    run: GradingRun


def industry_average_of(entry: RegisteredEnterprise, year: int) -> IndustryAverage | None:
    """The industry average L of the enterprise's industry, as the latest register grading run of `year`
    computed it (`RegisterGrade.industry_average_l`, the same on every graded row of the industry); when that
    run has none for the industry (or the year has no run yet), the previous year's latest run's."""
    for candidate in (year, year - 1):
        run = GradingRun.objects.filter(year=candidate).order_by("-pk").first()
        if run is None:
            continue
        value = (
            RegisterGrade.objects.filter(run=run, industry_id=entry.industry_id, industry_average_l__gt=0)
            .values_list("industry_average_l", flat=True)
            .first()
        )
        if value is not None:
            return IndustryAverage(value, candidate, run)
    return None
