"""Demo budgets (`manage.py load_demo_budgets`, also run by `manage.py demo` after the register).

The demo year is the year of last month (steward/demo/period.py). This year's feeds up to last month are imported
through the register's importer (the same generator as the register's year; the same call imports nothing again,
the files hash the same), so months without a locked filing have 速算. Then, set by the city inspector:
the power plant's budget from its allocation (with a pending adjustment request by its admin); the cement
plant's from an intensity target that its pace exceeds (a warning); the dyeing mill's with an approved adjustment;
intensity budgets on track for the other workspaces and a few register enterprises without a workspace; and a
碳效 target budget (the industry L of this year's grading run) for a register enterprise whose pace runs 10–30 %
over it (a warning; late in the year, an overrun). Targets are derived from each enterprise's own pace so far, so the statuses hold on any day.
The levels they stand at are then recorded (`warnings.record_rises`): the early-warning notices of the cement
plant (to its administrators and the bureau) and of the 碳效 target (to the bureau). Idempotent.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from steward.budget import selectors, services, warnings
from steward.budget.models import CarbonBudget, LevelNotice
from steward.demo.period import last_month
from steward.factors.source import FactorSnapshot
from steward.oversight.models import MonthFact
from steward.register import demo as register_demo
from steward.register import importer
from steward.register import selectors as register_selectors
from steward.register.grading import ensure_graded
from steward.register.models import RegisteredEnterprise
from tenants.models import Enterprise, User

ON_TRACK = Decimal("0.90")  # projected share of the budget for the enterprises on track
WARNING = Decimal("1.08")  # the cement plant: beyond the 5 % elastic band of warning_rules.csv
GENERATED_ON_TRACK = 8  # register enterprises without a workspace that get a budget


def _import_this_year(year: int, last: int) -> None:
    codes = list(RegisteredEnterprise.objects.order_by("id").values_list("credit_code", flat=True))
    overrides = _coal_near_sealed(year, last)
    by = User.objects.get(username="platform")
    for kind, source, carriers in register_demo.FEEDS:
        rows = [
            row
            for row in register_demo.energy_rows(codes, year, carriers, overrides)
            if row[2] <= last  # (code, year, month, …)
        ]
        importer.import_feed(
            name=f"{kind}-{year}-01-{last:02d}.csv",
            data=register_demo.feed_bytes(register_demo.ENERGY_HEADER, rows),
            kind=kind,
            year=year,
            source=source,
            by=by,
        )
    rows = [row for row in register_demo.output_rows(codes, year) if row[2] <= last]
    importer.import_feed(
        name=f"statistics-{year}-01-{last:02d}.csv",
        data=register_demo.feed_bytes(register_demo.OUTPUT_HEADER, rows),
        kind="statistics_output",
        year=year,
        source="湖州市统计局",
        by=by,
    )


def _coal_near_sealed(year: int, last: int) -> dict:
    """For plants with locked months this year: coal that puts each month's 速算 at about 90 % of their mean sealed
    month (速算 leaves out process emissions), so their months without a seal look like their sealed ones."""
    from steward.register.quick import carrier_factor

    per_tonne = carrier_factor("coal", year, FactorSnapshot.current()).tco2_per_unit
    sealed: dict[str, list[Decimal]] = {}
    for code, tco2 in MonthFact.objects.filter(
        year=year, figures_version__isnull=False, total_tco2__isnull=False
    ).values_list("enterprise__credit_code", "total_tco2"):
        sealed.setdefault(code, []).append(tco2)
    overrides = {}
    for code, figures in sealed.items():
        coal = (sum(figures) / len(figures) * Decimal("0.90") / per_tonne).quantize(Decimal("0.01"))
        for month in range(1, last + 1):
            overrides[(code, month, "coal")] = coal
    return overrides


def _target(entry: RegisteredEnterprise, year: int, share: Decimal) -> Decimal | None:
    """The intensity target whose budget the enterprise's pace so far reaches at `share` of it by year end."""
    actuals = selectors.actuals([entry], year)[entry.pk]
    value_added = selectors.value_added_of(entry, year)
    if not actuals or value_added is None:
        return None
    as_of = max(actuals)
    projected = sum((tco2 for tco2, _source in actuals.values()), Decimal(0)) * 12 / as_of
    return (projected / share / value_added.value).quantize(Decimal("0.000001"))


def _intensity(entry, year, share, by, note="") -> CarbonBudget | None:
    existing = CarbonBudget.objects.filter(registered=entry, year=year).first()
    if existing:
        return existing
    target = _target(entry, year, share)
    if target is None or target <= 0:
        return None
    return services.set_budget(
        entry=entry, year=year, basis="intensity", intensity_target=target, by=by, note=note
    )


@transaction.atomic
def load_demo_budgets() -> dict[str, int]:
    year, last = last_month()
    _import_this_year(year, last)
    inspector = User.objects.get(username="city.inspector")
    entries = {
        entry.enterprise.slug: entry
        for entry in RegisteredEnterprise.objects.filter(enterprise__isnull=False).select_related(
            "enterprise"
        )
    }
    power = entries.get("cx-power")
    if power and not CarbonBudget.objects.filter(registered=power, year=year).exists():
        if selectors.allocation_of(power, year) is None:
            from steward.oversight.projection import refresh_enterprise

            refresh_enterprise(
                Enterprise.objects.get(slug="cx-power")
            )  # a read model older than its projector
        if selectors.allocation_of(power, year) is not None:
            services.set_budget(
                entry=power, year=year, basis="allocation", by=inspector, note="演示：依据本年度预分配配额"
            )
        else:
            _intensity(power, year, ON_TRACK, inspector)
    budget = CarbonBudget.objects.filter(registered=power, year=year).first() if power else None
    if budget and not budget.adjustments.exists():
        services.request_adjustment(
            budget=budget,
            requested_tco2=(budget.initial_tco2 * Decimal("1.05")).quantize(Decimal("1")),
            reason="演示：3号机组供热改造后供热量增加，申请上调预算 5%",
            by=User.objects.get(username="power.admin"),
        )
    if "wx-cement" in entries:
        _intensity(entries["wx-cement"], year, WARNING, inspector, note="演示：强度目标低于当前进度")
    dyeing = (
        _intensity(entries["nx-dyeing"], year, Decimal("1.02"), inspector) if "nx-dyeing" in entries else None
    )
    if dyeing and not dyeing.adjustments.exists():
        adjustment = services.request_adjustment(
            budget=dyeing,
            requested_tco2=(dyeing.initial_tco2 * Decimal("1.10")).quantize(Decimal("1")),
            reason="演示：新增一条定型机生产线，已办理节能审查",
            by=User.objects.get(username="dyeing.admin"),
        )
        services.decide_adjustment(
            adjustment=adjustment, approve=True, reason="演示：新增产线已备案，同意调整", by=inspector
        )
    for slug in ("nth-paper", "dq-fibre", "aj-wood"):
        if slug in entries:
            _intensity(entries[slug], year, ON_TRACK, inspector)
    generated = RegisteredEnterprise.objects.filter(enterprise__isnull=True).order_by("id")
    for entry in generated[:GENERATED_ON_TRACK]:
        _intensity(entry, year, ON_TRACK, inspector)
    _grade_target(generated[GENERATED_ON_TRACK:], year, inspector)
    # The year's feeds landed before these budgets were set: record the levels they stand at now, as the next
    # data to land would (one notice per budget and level, so a second run records nothing).
    warnings.record_rises(warnings.budgets_to_check(year), cause="demo")
    return {
        "year": year,
        "budgets": CarbonBudget.objects.filter(year=year).count(),
        "notices": LevelNotice.objects.filter(budget__year=year).count(),
    }


def _grade_target(candidates, year: int, by) -> CarbonBudget | None:
    """A 碳效 target budget for a register enterprise without a workspace, one grade better than its pace: the
    first graded this year whose K is 10–30 % above the upper K bound of a target grade, so its projection runs
    that far over the budget (projected ÷ budget = K ÷ the bound: the same months, the same industry L): 预警,
    or 超预算 once the months so far have used it up (late in the year). Once set for one of them, nothing more."""
    existing = CarbonBudget.objects.filter(registered__in=candidates, year=year, basis="grade").first()
    if existing:
        return existing
    ensure_graded(year)  # this year's feeds were imported above; their own regrade waits for the commit
    grades = register_selectors.latest_grades([entry.pk for entry in candidates], year=year)
    targets = services.target_grades()
    for entry in candidates:
        row = grades.get(entry.pk)
        if (
            row is None
            or row.k_value is None
            or CarbonBudget.objects.filter(registered=entry, year=year).exists()
        ):
            continue
        for band in targets:
            if Decimal("1.10") <= row.k_value / band.upper_inclusive <= Decimal("1.30"):
                return services.set_budget(
                    entry=entry,
                    year=year,
                    basis="grade",
                    target_grade=band.grade,
                    by=by,
                    note=f"演示：碳效 {band.grade} 级目标，当前为 {row.grade} 级",
                )
    return None
