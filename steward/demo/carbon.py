"""Demo carbon records: a year of monthly data for the power plant and the cement plant, most months
computed, one month corrected after computation (so its result shows as needing recomputation)."""

from __future__ import annotations

import contextlib
import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_tenants.utils import schema_context

from steward import events
from steward.carbon import accounting, ledgers, services
from steward.carbon.models import Facility
from steward.carbon.services import ParameterInput
from steward.demo.clock import BEIJING, RETURN_COMMENTS, MonthPlan, acting_on, entered_on, year_plan
from steward.demo.period import last_month
from tenants.models import Enterprise, User

# Seasonal load of a coal unit: winter and summer peaks.
LOAD = [
    Decimal(x)
    for x in ("1.08", "0.92", "0.97", "0.88", "0.93", "1.02", "1.12", "1.15", "0.98", "0.9", "0.96", "1.06")
]


def _ledgers(coal, grid, year: int, month: int, filer: User, *, burnt: Decimal, billed: Decimal, gap=0):
    """The coal yard's month (balanced, unless `gap` t are missing from the ledger) and the grid bill."""
    opening = Decimal("40000") + month * 500
    closing = opening + 500
    ledgers.record_fuel_stock(
        source=coal,
        year=year,
        month=month,
        opening_stock=opening,
        receipts=burnt + closing - opening - gap,
        closing_stock=closing,
        unit="t",
        by=filer,
    )
    bill = f"GD-{grid.code}-{year}{month:02d}"
    ledgers.record_electricity_bill(
        source=grid,
        year=year,
        month=month,
        bill_number=bill,
        billed_quantity=billed,
        unit="MWh",
        upload=SimpleUploadedFile(f"{bill}.pdf", f"%PDF-1.4 demo {bill}".encode(), "application/pdf"),
        by=filer,
    )


def _power_plan(year: int, coal, grid, admin: User) -> None:
    """The power plant's control plan: a first version in January, revised in July for a new coal scale."""
    from steward.quality.plans import SpecInput, register_meter, revise_plan

    def meter(name: str, serial: str, calibrated: datetime.date, source=coal):
        return register_meter(
            source=source,
            name=name,
            serial_number=serial,
            accuracy_class="0.5级",
            calibrated_on=calibrated,
            calibration_due_on=calibrated.replace(year=calibrated.year + 1),
            by=admin,
        )

    old_scale = meter("入炉煤皮带秤", "PDC-2019-01", datetime.date(year - 1, 3, 1))
    new_scale = meter("入炉煤电子皮带秤（新）", "PDC-2026-07", datetime.date(year, 6, 20))
    grid_meter = meter("关口电能表", "DNB-330501", datetime.date(year - 1, 9, 15), source=grid)

    def specs(scale) -> list:
        return [
            SpecInput(
                coal, "quantity", "measured", scale, "连续计量，日累计", "燃料部", "取入厂煤量与库存变化之差"
            ),
            SpecInput(
                coal, "ncv", "measured", None, "每日入炉煤缩分，月度化验", "化学试验室", "取当年最高月值"
            ),
            SpecInput(coal, "carbon_content_ar", "measured", None, "每月", "化学试验室", "按缺省值上浮"),
            SpecInput(coal, "oxidation_rate", "default", None, "", "生产技术部", ""),
            SpecInput(grid, "quantity", "measured", grid_meter, "每月抄表", "电气部", "以电网结算单为准"),
        ]

    revise_plan(
        effective_from=datetime.date(year, 1, 1),
        reason="首版（按2022年修订版指南编制）",
        specs=specs(old_scale),
        by=admin,
    )
    revise_plan(
        effective_from=datetime.date(year, 7, 1),
        reason="更换入炉煤电子皮带秤，提高计量准确度",
        specs=specs(new_scale),
        by=admin,
    )


def _power_plant(year: int, months: range, filer: User, enterprise: Enterprise) -> None:
    unit = services.add_facility(
        code="U1", name="1号机组（660MW 超超临界）", kind="generating_unit", capacity_mw=Decimal("660")
    )
    coal = services.add_source(
        facility=unit,
        code="U1-COAL",
        name="1号机组入炉烟煤",
        kind="fuel_combustion",
        fuel_code="bituminous_coal",
        unit="t",
    )
    gas = services.add_source(
        facility=unit,
        code="U1-GAS",
        name="1号机组启动用天然气",
        kind="fuel_combustion",
        fuel_code="natural_gas",
        unit="10^4 Nm3",
    )
    grid = services.add_source(
        facility=unit, code="GRID", name="外购电力（停机期间）", kind="purchased_electricity", unit="MWh"
    )
    _power_plan(year, coal, grid, User.objects.get(username="power.admin"))
    for month in months:
        with acting_on(entered_on(year, month)):
            _power_month(year, month, months, enterprise, filer, coal, gas, grid)
    first = coal.records.get(year=year, month=1)
    with acting_on(entered_on(year, 1) + datetime.timedelta(days=4)):  # before January is submitted
        services.correct_activity(
            record=first,
            quantity=first.quantity + 1200,
            unit="t",
            data_source="production_metering",
            reason="皮带秤校准后补录 1,200 t",
            entered_by=filer,
            parameters=[ParameterInput(p.name, p.value, p.unit) for p in first.parameters.all()],
        )


def _power_month(year: int, month: int, months: range, enterprise, filer, coal, gas, grid) -> None:
    load = LOAD[month - 1]
    services.record_activity(
        source=coal,
        year=year,
        month=month,
        quantity=(burnt := (Decimal("128000") * load).quantize(Decimal("1"))),
        unit="t",
        data_source="production_metering",
        entered_by=filer,
        parameters=[
            ParameterInput("carbon_content_ar", Decimal("52.30") - Decimal(month % 3) / 10, "%"),
            ParameterInput("ncv", Decimal("20.85"), "GJ/t"),
            ParameterInput("oxidation_rate", Decimal("99"), "%"),
        ],
    )
    services.record_activity(
        source=gas,
        year=year,
        month=month,
        quantity=Decimal("12.5"),
        unit="10^4 Nm3",
        data_source="settlement_voucher",
        entered_by=filer,
    )
    services.record_activity(
        source=grid,
        year=year,
        month=month,
        quantity=Decimal("850"),
        unit="MWh",
        data_source="settlement_voucher",
        entered_by=filer,
    )
    # Month 2: the ledger misses a 4,000 t delivery, so the mass balance (DQ-K05) asks for a cause.
    _ledgers(
        coal, grid, year, month, filer, burnt=burnt, billed=Decimal("850"), gap=4000 if month == 2 else 0
    )
    services.record_output(
        kind="electricity_generated",
        year=year,
        month=month,
        value=(Decimal("352000") * load).quantize(Decimal("1")),
        unit="MWh",
        entered_by=filer,
    )
    services.record_output(
        kind="electricity_supplied",
        year=year,
        month=month,
        value=(Decimal("334000") * load).quantize(Decimal("1")),
        unit="MWh",
        entered_by=filer,
    )
    if month < months.stop - 1:
        accounting.compute_month(enterprise=enterprise, year=year, month=month, by=filer)


def cement_kiln_figures(clinker_t: Decimal) -> list[ParameterInput]:
    """The rest of the cement plant's monthly 存证 set for a month's clinker (CETS-AG-02.01-V01-2024): kiln-head
    dust 1.5 % and bypass dust 0.27 % of the clinker, raw meal 1.55 t per t clinker with 0.18 % non-fuel carbon."""
    return [
        ParameterInput("kiln_dust", (clinker_t * Decimal("0.015")).quantize(Decimal("1")), "t"),
        ParameterInput("bypass_dust", (clinker_t * Decimal("0.0027")).quantize(Decimal("1")), "t"),
        ParameterInput("raw_meal", (clinker_t * Decimal("1.55")).quantize(Decimal("1")), "t"),
        ParameterInput("raw_meal_carbon", Decimal("0.18"), "%"),
    ]


def _cement_plant(year: int, months: range, filer: User, enterprise: Enterprise) -> None:
    kiln = services.add_facility(code="K1", name="5000t/d 熟料生产线", kind="kiln")
    coal = services.add_source(
        facility=kiln,
        code="K1-COAL",
        name="窑头窑尾烟煤",
        kind="fuel_combustion",
        fuel_code="bituminous_coal",
        unit="t",
    )
    clinker = services.add_source(
        facility=kiln, code="K1-CLK", name="熟料煅烧", kind="clinker_process", unit="t"
    )
    grid = services.add_source(
        facility=kiln, code="GRID", name="外购电力", kind="purchased_electricity", unit="MWh"
    )
    for month in months:
        with acting_on(entered_on(year, month)):
            _cement_month(year, month, enterprise, filer, coal, clinker, grid)


def _cement_month(year: int, month: int, enterprise, filer, coal, clinker, grid) -> None:
    services.record_activity(
        source=coal,
        year=year,
        month=month,
        quantity=Decimal("19800"),
        unit="t",
        data_source="inventory_ledger",
        entered_by=filer,
        parameters=[ParameterInput("ncv", Decimal("22.1"), "GJ/t")],
    )
    services.record_activity(
        source=clinker,
        year=year,
        month=month,
        quantity=Decimal("148000"),
        unit="t",
        data_source="production_metering",
        entered_by=filer,
        parameters=[
            ParameterInput("clinker_cao", Decimal("65.2"), "%"),
            ParameterInput("clinker_mgo", Decimal("2.4"), "%"),
            ParameterInput("noncarbonate_cao", Decimal("0.8"), "%"),
            ParameterInput("noncarbonate_mgo", Decimal("0"), "%"),
            *cement_kiln_figures(Decimal("148000")),
        ],
    )
    services.record_activity(
        source=grid,
        year=year,
        month=month,
        quantity=Decimal("9100"),
        unit="MWh",
        data_source="settlement_voucher",
        entered_by=filer,
        parameters=[ParameterInput("clinker_facility_electricity", Decimal("8200"), "MWh")],
    )
    _ledgers(coal, grid, year, month, filer, burnt=Decimal("19800"), billed=Decimal("9100"))
    accounting.compute_month(enterprise=enterprise, year=year, month=month, by=filer)


@transaction.atomic
@events.in_unit_of_work  # the read model is projected once per enterprise, not after every act
def load_demo_carbon() -> None:
    year, last = last_month()
    months = range(1, last + 1)
    for slug, username, build in (
        ("cx-power", "power.filer", _power_plant),
        ("wx-cement", "cement.filer", _cement_plant),
    ):
        enterprise = Enterprise.objects.get(slug=slug)
        with schema_context(enterprise.schema_name):
            if Facility.objects.exists():
                continue
            build(year, months, User.objects.get(username=username), enterprise)


def _walk_month(
    enterprise: Enterprise,
    year: int,
    month: int,
    filer: User,
    steward: User,
    *,
    approve: bool,
    plan: MonthPlan | None = None,
) -> None:
    """Take a demo month through checks, acknowledgements, waivers and submission (and approval); with a
    `plan`, each step on its planned day (a returned month is returned with comments and resubmitted)."""
    from tenants.access import workspace_access
    from workflows import monthly_filing as filing_services

    # Grants as of today: the demo's people and engagements are today's (memberships start on the day they
    # were created); only the acts are dated.
    filer_grant, steward_grant = workspace_access(filer, enterprise), workspace_access(steward, enterprise)

    def when(moment):
        return acting_on(moment) if plan is not None else contextlib.nullcontext()

    with when(plan and plan.submitted):
        filing = filing_services.open_filing(enterprise=enterprise, year=year, month=month, by=filer)
        filing_services.run_checks(enterprise=enterprise, filing=filing, by=filer)
        for finding in filing.findings.filter(severity="warning"):
            filing_services.acknowledge(
                finding=finding, comment="演示数据：已核实", by=filer, grant=filer_grant
            )
        for finding in filing.findings.filter(severity="blocking"):
            filing_services.waive(
                finding=finding,
                reason="检测报告纸质原件已线下核验（演示数据）",
                by=steward,
                grant=steward_grant,
            )
        filing = filing_services.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    if plan is not None and plan.returned is not None:
        with acting_on(plan.returned):
            filing = filing_services.return_for_changes(
                filing=filing, comments=RETURN_COMMENTS, by=steward, grant=steward_grant
            )
        with acting_on(plan.resubmitted):
            filing_services.run_checks(enterprise=enterprise, filing=filing, by=filer)
            for finding in filing.findings.filter(severity="warning", acknowledgement=""):
                filing_services.acknowledge(
                    finding=finding, comment="演示数据：已核实", by=filer, grant=filer_grant
                )
            filing = filing_services.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    if approve:
        with when(plan and plan.approved):
            filing_services.approve(filing=filing, by=steward, grant=steward_grant)


def _record_platform_receipts(enterprise: Enterprise, year: int, plans: dict, filer: User) -> None:
    """The national platform's receipts of locked months, as the filer records them two days after the lock
    (within the 40-day window unless the month was late); the latest locked month is left for the filer to
    hand off."""
    from steward.handoff import services as handoff
    from tenants.access import workspace_access

    grant = workspace_access(filer, enterprise)
    for month, plan in plans.items():
        with acting_on(plan.approved + datetime.timedelta(days=2)) as moment:
            handoff.record_submission(
                grant=grant,
                year=year,
                month=month,
                submitted_on=moment.astimezone(BEIJING).date(),
                receipt_number=f"DEMO-{year}{month:02d}-0001",
                by=filer,
            )


@transaction.atomic
@events.in_unit_of_work  # the read model is projected once per enterprise, not after every act
def load_demo_filings() -> None:
    """Cement: earlier months locked and sealed (all but the latest with the national platform's receipt),
    the last one in review; power plant: last month in review. Each on its day (steward/demo/clock.py): most
    months on time, a few late, one returned and resubmitted."""
    from steward.filing.models import MonthlyFiling

    year, last = last_month()
    for slug, filer_name, steward_name, locked_months in (
        ("wx-cement", "cement.filer", "greencarbon.manager", range(1, max(1, last - 1))),
        ("cx-power", "power.filer", "greencarbon.reviewer", range(0)),
    ):
        enterprise = Enterprise.objects.get(slug=slug)
        with schema_context(enterprise.schema_name):
            if MonthlyFiling.objects.filter(year=year).exists() or last < 2:  # past years: demo.annual
                continue
            filer, steward = User.objects.get(username=filer_name), User.objects.get(username=steward_name)
            plans = year_plan(enterprise, year, range(1, last), demo_year=year)
            for month in locked_months:
                _walk_month(enterprise, year, month, filer, steward, approve=True, plan=plans[month])
            _record_platform_receipts(
                enterprise, year, {month: plans[month] for month in list(locked_months)[:-1]}, filer
            )
            _walk_month(enterprise, year, last - 1, filer, steward, approve=False, plan=plans[last - 1])
