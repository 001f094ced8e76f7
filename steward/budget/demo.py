"""Demo budgets (`manage.py load_demo_budgets`, also run by `manage.py demo` after the register).

The demo year is the year of last month (steward/demo/period.py). This year's feeds up to last month are imported
through the register's importer (the same generator as the register's year; the same call imports nothing again,
the files hash the same), so months without a locked filing have 速算. Then, set by the city inspector:
the power plant's budget from its allocation (with a pending adjustment request by its admin); the cement
plant's from an intensity target that its pace exceeds (a warning); the dyeing mill's with an approved adjustment;
and intensity budgets on track for the other workspaces and a few register enterprises without a workspace.
Targets are derived from each enterprise's own pace so far, so the statuses hold on any day. Idempotent.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from steward.budget import selectors, services
from steward.budget.models import CarbonBudget
from steward.demo.period import last_month
from steward.factors.source import FactorSnapshot
from steward.oversight.models import MonthFact
from steward.register import demo as register_demo
from steward.register import importer
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
    generated = RegisteredEnterprise.objects.filter(enterprise__isnull=True).order_by("id")[
        :GENERATED_ON_TRACK
    ]
    for entry in generated:
        _intensity(entry, year, ON_TRACK, inspector)
    return {"year": year, "budgets": CarbonBudget.objects.filter(year=year).count()}
