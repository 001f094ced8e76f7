"""Reading compliance: the reference rules of a year, the current allocation, the verified emissions and the
position, forecast and carbon-efficiency grade built from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from steward.carbon.models import CalculationRun
from steward.compliance import forecast as forecasting
from steward.compliance import scope as scopes
from steward.compliance.grading import Band, Grading, grade_enterprise
from steward.compliance.models import Allocation, ValueAddedRecord
from steward.compliance.position import PolicyRule, Position, compliance_position
from steward.compliance.reference.models import (
    AllocationBenchmark,
    CompliancePolicy,
    GradingBand,
    ReferenceRelease,
)
from steward.filing.models import FilingStatus, MonthlyFiling

ZERO = Decimal(0)
LOCKED_MONTHS = "locked_months"
ANNUAL_REPORT = "annual_report"


def accepted_annual_report_total(year: int, scope: str | None = None) -> Decimal | None:
    """The latest annual report version the bureau accepted for `year`, counted in `scope` (None: its total)."""
    from steward.annual.models import AnnualReport, ReportStatus

    report = AnnualReport.objects.filter(year=year, status=ReportStatus.ACCEPTED).order_by("-version").first()
    if report is None:
        return None
    return report.total_tco2 if scope is None else scopes.scoped_tco2(report.payload["lines"], scope)


# Where a year's verified total comes from before the locked months are summed (None: locked months only).
ANNUAL_REPORT_TOTAL: Callable[..., Decimal | None] | None = accepted_annual_report_total


@dataclass(frozen=True)
class EmissionsBasis:
    year: int
    source: str  # ANNUAL_REPORT or LOCKED_MONTHS
    total: Decimal
    months: dict[int, Decimal] = field(default_factory=dict)
    scope: str | None = None  # None: every line (the carbon-efficiency code); else a compliance scope
    unscoped_months: tuple[int, ...] = ()  # months whose pinned run is missing: counted at their sealed total

    @property
    def complete(self) -> bool:
        return self.source == ANNUAL_REPORT or len(self.months) == 12


def policy_for(year: int, sector: str | None = None) -> CompliancePolicy | None:
    """The rules of `sector` (default: the selected enterprise's) for `year`; None outside the market."""
    sector = sector or scopes.current_sector()
    release = ReferenceRelease.objects.first()
    if release is None or sector is None:
        return None
    return release.policies.filter(sector=sector, compliance_year=year).first()


def policy_rule(policy: CompliancePolicy) -> PolicyRule:
    return PolicyRule(
        year=policy.compliance_year,
        deficit_cap_share=policy.deficit_cap_share,
        gas_capped_at_allocation=policy.gas_capped_at_allocation,
        ccer_cap_share=policy.ccer_cap_share,
        status=policy.status,
        ccer_earliest_issue_year=policy.ccer_earliest_issue_year,
    )


def allocation_rule(year: int, stage: str, sector: str | None = None, line_category: str = "all"):
    """The allocation rule of the sector (default: the selected enterprise's) for year and stage, if published."""
    sector = sector or scopes.current_sector()
    release = ReferenceRelease.objects.first()
    if release is None or sector is None:
        return None
    return release.allocation_rules.filter(
        sector=sector, year=year, stage=stage, line_category=line_category
    ).first()


def current_allocation(year: int) -> Allocation | None:
    """The final allocation when it exists, else the pre-allocation (latest version of either)."""
    for stage in (Allocation.Stage.FINAL, Allocation.Stage.PRE):
        row = Allocation.objects.filter(year=year, stage=stage).order_by("-version").first()
        if row:
            return row
    return None


def _locked_results(year: int) -> dict[int, dict]:
    """month → the sealed result of its latest locked filing version (a reopened month keeps its seal)."""
    found: dict[int, dict] = {}
    filings = MonthlyFiling.objects.filter(year=year, status=FilingStatus.LOCKED).order_by("month", "version")
    for filing in filings:
        result = (filing.sealed_payload or {}).get("result")
        if result:
            found[filing.month] = result  # later versions overwrite earlier ones
    return found


def locked_month_figures(year: int, scope: str | None = None) -> tuple[dict[int, Decimal], tuple[int, ...]]:
    """(month → tCO2 in `scope` from the run each sealed month pinned, months whose run is missing).

    `scope` None is the sealed total. A month whose pinned run cannot be read counts at its sealed total and is
    named, so a compliance figure never silently includes indirect emissions."""
    sealed = _locked_results(year)
    if scope is None:
        return {month: Decimal(result["total_tco2"]) for month, result in sealed.items()}, ()
    runs = CalculationRun.objects.in_bulk([result.get("run") for result in sealed.values()])
    figures, missing = {}, []
    for month, result in sealed.items():
        run = runs.get(result.get("run"))
        if run is None:
            figures[month] = Decimal(result["total_tco2"])
            missing.append(month)
        else:
            figures[month] = scopes.scoped_tco2(run.result["lines"], scope)
    return figures, tuple(missing)


def locked_month_totals(year: int, scope: str | None = None) -> dict[int, Decimal]:
    return locked_month_figures(year, scope)[0]


def verified_emissions(year: int, scope: str | None = None) -> EmissionsBasis:
    """The accepted annual report's figure when there is one, otherwise the sum of the locked months, counted in
    `scope` (None: every line, as the carbon-efficiency code does)."""
    if ANNUAL_REPORT_TOTAL is not None and (total := ANNUAL_REPORT_TOTAL(year, scope)) is not None:
        return EmissionsBasis(year=year, source=ANNUAL_REPORT, total=total, scope=scope)
    months, missing = locked_month_figures(year, scope)
    return EmissionsBasis(
        year=year,
        source=LOCKED_MONTHS,
        total=sum(months.values(), ZERO),
        months=months,
        scope=scope,
        unscoped_months=missing,
    )


def compliance_scope(policy: CompliancePolicy | None) -> str:
    """The policy's emissions scope; direct emissions when no rule is published for the year."""
    return policy.emissions_scope if policy else scopes.DIRECT


@dataclass(frozen=True)
class YearPosition:
    year: int
    policy: CompliancePolicy | None
    allocation: Allocation | None
    emissions: EmissionsBasis
    forecast: forecasting.Forecast | None
    position: Position | None  # on verified emissions when complete, else on the central forecast
    on_forecast: bool
    forecast_positions: dict[str, Decimal] | None
    warning: str

    @property
    def unit_category_label(self) -> str:
        """The allocation's unit category as the plan names it (300MW等级以上常规燃煤机组), not its code; empty
        when the plan treats the whole sector alike."""
        if self.allocation is None or self.allocation.unit_category in ("", "all"):
            return ""
        row = AllocationBenchmark.objects.filter(
            benchmark_set=self.allocation.benchmark_set, unit_category=self.allocation.unit_category
        ).first()
        return row.label if row else self.allocation.unit_category

    @property
    def benchmark_covers_year(self) -> bool:
        """False when the allocation used a benchmark set published for other years (shown as a warning)."""
        if self.allocation is None:
            return False
        if self.allocation.method != "benchmark":
            return True  # allocation rules are published per sector and year
        row = AllocationBenchmark.objects.filter(benchmark_set=self.allocation.benchmark_set).first()
        return row is not None and row.first_year <= self.year <= row.last_year


def year_position(year: int) -> YearPosition:
    """Position and forecast on the compliance figure of the year's rules (direct emissions from 2023)."""
    policy = policy_for(year)
    allocation = current_allocation(year)
    scope = compliance_scope(policy)
    emissions = verified_emissions(year, scope)
    projection = None
    if not emissions.complete:
        last_year = locked_month_totals(year - 1, scope)
        projection = forecasting.forecast_year(emissions.months, last_year)
    position = positions = None
    warning = ""
    basis = emissions.total if emissions.complete else (projection.point if projection else None)
    if policy and allocation and basis is not None:
        position = compliance_position(
            allocated=allocation.allocated,
            carried_in=allocation.carried_in,
            verified=basis,
            rule=policy_rule(policy),
            is_gas_unit=allocation.is_gas_unit,
        )
        if projection:
            holdings = allocation.allocated + allocation.carried_in
            positions = projection.position(holdings)
            warning = projection.warning(holdings)
    return YearPosition(
        year=year,
        policy=policy,
        allocation=allocation,
        emissions=emissions,
        forecast=projection,
        position=position,
        on_forecast=not emissions.complete,
        forecast_positions=positions,
        warning=warning,
    )


def grading_bands() -> tuple[list[Band], list[Band]]:
    """(levels, grades) of the current reference release."""
    release = ReferenceRelease.objects.first()
    rows = release.grading_bands.all() if release else GradingBand.objects.none()
    bands = {
        kind: [
            Band(
                label=row.label,
                lower_exclusive=row.lower_exclusive,
                upper_inclusive=row.upper_inclusive,
                grade=row.grade,
                colour=row.colour,
                threshold_status=row.threshold_status,
                colour_status=row.colour_status,
            )
            for row in rows
            if row.kind == kind
        ]
        for kind in GradingBand.Kind.values
    }
    for kind in bands:  # read from the lowest band up: 低碳 before 中碳, grade 1 before grade 2
        bands[kind].sort(key=lambda band: (band.lower_exclusive is not None, band.lower_exclusive or 0))
    return bands[GradingBand.Kind.LEVEL], bands[GradingBand.Kind.GRADE]


def current_value_added(year: int) -> ValueAddedRecord | None:
    return ValueAddedRecord.objects.filter(year=year).order_by("-version").first()


@dataclass(frozen=True)
class YearEfficiency:
    year: int
    value_added: ValueAddedRecord | None
    emissions: EmissionsBasis
    emissions_used: Decimal | None
    provisional: bool  # graded on the central forecast because the year is not complete
    grading: Grading | None
    levels: list[Band]
    grades: list[Band]


def carbon_efficiency(year: int) -> YearEfficiency:
    """Graded on emissions from energy use, electricity and heat included (DOMAIN.md §5)."""
    emissions = verified_emissions(year, scopes.ENERGY_USE)
    used, provisional = emissions.total, False
    if not emissions.complete:
        last_year = locked_month_totals(year - 1, scopes.ENERGY_USE)
        projection = forecasting.forecast_year(emissions.months, last_year)
        used, provisional = (projection.point if projection else None), True
    levels, grades = grading_bands()
    value_added = current_value_added(year)
    grading = None
    if value_added and used is not None and levels and grades:
        grading = grade_enterprise(
            emissions_t=used,
            zero_carbon_t=value_added.zero_carbon_t,
            value_added_10k=value_added.value_added_10k_cny,
            industry_average_l=value_added.industry_average_l,
            levels=levels,
            grades=grades,
        )
    return YearEfficiency(year, value_added, emissions, used, provisional, grading, levels, grades)
