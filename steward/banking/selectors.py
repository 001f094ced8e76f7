"""What a bank sees of one consenting enterprise: exactly the consented items, each figure with its hash.

Read inside the enterprise's schema, from sealed content only: a month counts once its filing is locked (the
figures of its latest locked version, `MonthlyFiling.sealed_payload`, with that version's `seal`); a year's
emissions are the annual report's total when a version reached the bureau (submitted or accepted, with its
`payload_sha256`), otherwise the sum of the locked months (each with its seal). The 碳效 grade is the
workspace's own (`steward.compliance.selectors.carbon_efficiency`), with the hashes of the emissions it was
graded on. Nothing of an item outside the consent is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django_tenants.utils import schema_context

from steward.annual.models import AnnualReport, ReportStatus
from steward.compliance import selectors as compliance
from steward.compliance.models import ValueAddedRecord
from steward.filing.models import FilingStatus, MonthlyFiling
from steward.filing.seal import verify_chain
from steward.oversight.projectors import INTENSITY_OUTPUTS
from tenants.access import BankGrant

YEARS_SHOWN = 3  # the latest years with sealed figures
INTENSITY_PLACES = Decimal("0.000001")
REPORTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


@dataclass(frozen=True)
class SealedMonth:
    """One locked month: its sealed total and intensity, and the seal over them."""

    year: int
    month: int
    version: int
    total_tco2: Decimal
    output_value: Decimal | None
    output_unit: str
    output_kind: str
    intensity: Decimal | None
    seal: str
    previous_seal: str
    locked_at: object


@dataclass(frozen=True)
class YearEmissions:
    year: int
    total_tco2: Decimal
    source: str  # "annual_report" or "locked_months"
    months_locked: int
    report_version: int | None = None
    report_status: str = ""
    report_hash: str = ""
    months: list[SealedMonth] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.source == "annual_report" or self.months_locked == 12


@dataclass(frozen=True)
class YearIntensity:
    year: int
    months: list[SealedMonth]
    annual: list[dict]  # the annual report's intensities (value, unit, label) when the year is reported
    report_hash: str = ""


@dataclass(frozen=True)
class YearGrade:
    year: int
    grade: int | None
    grade_label: str
    level_label: str
    provisional: bool
    basis: str  # "annual_report" or "locked_months"
    hashes: list[str]  # the annual report's content hash, or each graded month's seal
    months: tuple[int, ...] = ()  # the graded months, in the order of their seals in `hashes`

    @property
    def sealed_months(self) -> list[tuple[int, str]]:
        """(month, seal) of each graded month, as the page lists them."""
        return list(zip(self.months, self.hashes, strict=False))


@dataclass(frozen=True)
class MonthSealStatus:
    year: int
    month: int
    version: int
    status: str
    status_label: str
    seal: str  # of the latest locked version of the month, if any
    sealed_version: int | None


@dataclass(frozen=True)
class SealStatus:
    months: list[MonthSealStatus]
    chain_intact: bool
    problems: int
    locked_count: int


@dataclass(frozen=True)
class BankView:
    enterprise: object
    items: frozenset[str]
    years: list[int]
    grades: list[YearGrade] | None = None
    emissions: list[YearEmissions] | None = None
    intensity: list[YearIntensity] | None = None
    seal_status: SealStatus | None = None


def _sealed_months() -> dict[tuple[int, int], SealedMonth]:
    """(year, month) → the latest locked version's sealed figures."""
    found: dict[tuple[int, int], SealedMonth] = {}
    for filing in (
        MonthlyFiling.objects.filter(status=FilingStatus.LOCKED)
        .exclude(seal="")
        .order_by("year", "month", "version")
    ):
        payload = filing.sealed_payload or {}
        result = payload.get("result")
        if not result:
            continue
        total = Decimal(result["total_tco2"])
        outputs = {row["kind"]: row for row in payload.get("outputs", [])}
        output = next((outputs[kind] for kind in INTENSITY_OUTPUTS if kind in outputs), None)
        value = Decimal(output["value"]) if output else None
        found[(filing.year, filing.month)] = SealedMonth(
            year=filing.year,
            month=filing.month,
            version=filing.version,
            total_tco2=total,
            output_value=value,
            output_unit=output["unit"] if output else "",
            output_kind=output["kind"] if output else "",
            intensity=(total / value).quantize(INTENSITY_PLACES) if value else None,
            seal=filing.seal,
            previous_seal=filing.previous_seal,
            locked_at=filing.locked_at,
        )
    return found


def reported_annual_report(year: int) -> AnnualReport | None:
    """The latest version of `year` that reached the bureau and was not superseded (the year's figure)."""
    return AnnualReport.objects.filter(year=year, status__in=REPORTED).order_by("-version").first()


def _years(sealed: dict) -> list[int]:
    years = {year for year, _month in sealed}
    years |= set(AnnualReport.objects.filter(status__in=REPORTED).values_list("year", flat=True))
    years |= set(ValueAddedRecord.objects.values_list("year", flat=True))
    return sorted(years)[-YEARS_SHOWN:]


def _emissions(year: int, sealed: dict) -> YearEmissions:
    months = [sealed[key] for key in sorted(sealed) if key[0] == year]
    report = reported_annual_report(year)
    if report is not None:
        return YearEmissions(
            year=year,
            total_tco2=report.total_tco2,
            source="annual_report",
            months_locked=len(months),
            report_version=report.version,
            report_status=report.get_status_display(),
            report_hash=report.payload_sha256,
            months=months,
        )
    return YearEmissions(
        year=year,
        total_tco2=sum((m.total_tco2 for m in months), Decimal(0)),
        source="locked_months",
        months_locked=len(months),
        months=months,
    )


def _intensity(year: int, sealed: dict) -> YearIntensity:
    months = [sealed[key] for key in sorted(sealed) if key[0] == year and sealed[key].intensity is not None]
    report = reported_annual_report(year)
    annual = []
    if report is not None:
        annual = [
            {"label": item.get("label", ""), "value": Decimal(item["value"]), "unit": item.get("unit", "")}
            for item in report.payload.get("intensities", [])
        ]
    return YearIntensity(year, months, annual, report.payload_sha256 if report else "")


def _grade(year: int, sealed: dict) -> YearGrade | None:
    efficiency = compliance.carbon_efficiency(year)
    grading = efficiency.grading
    if grading is None:
        return None
    accepted = (
        AnnualReport.objects.filter(year=year, status=ReportStatus.ACCEPTED).order_by("-version").first()
    )
    if efficiency.emissions.source == compliance.ANNUAL_REPORT and accepted is not None:
        basis, hashes, months = "annual_report", [accepted.payload_sha256], ()
    else:
        basis = "locked_months"
        months = tuple(m for m in sorted(efficiency.emissions.months) if (year, m) in sealed)
        hashes = [sealed[(year, m)].seal for m in months]
    return YearGrade(
        year=year,
        grade=grading.grade.grade,
        grade_label=grading.grade.label,
        level_label=grading.level.label,
        provisional=efficiency.provisional,
        basis=basis,
        hashes=hashes,
        months=months,
    )


def _seal_status(years: list[int], sealed: dict) -> SealStatus:
    latest: dict[tuple[int, int], MonthlyFiling] = {}
    for filing in MonthlyFiling.objects.filter(year__in=years).order_by("year", "month", "version"):
        latest[(filing.year, filing.month)] = filing
    months = [
        MonthSealStatus(
            year=year,
            month=month,
            version=filing.version,
            status=filing.status,
            status_label=filing.get_status_display(),
            seal=sealed[(year, month)].seal if (year, month) in sealed else "",
            sealed_version=sealed[(year, month)].version if (year, month) in sealed else None,
        )
        for (year, month), filing in sorted(latest.items())
    ]
    problems = verify_chain()
    return SealStatus(
        months=months,
        chain_intact=not problems,
        problems=len(problems),
        locked_count=sum(1 for m in months if m.seal),
    )


def bank_view(grant: BankGrant) -> BankView:
    """The consented items of `grant`'s enterprise, read from its schema. Refuses a grant that is not live."""
    if not grant:
        raise PermissionError("no live consent")
    items = grant.items
    with schema_context(grant.enterprise.schema_name):
        sealed = _sealed_months()
        years = _years(sealed)
        return BankView(
            enterprise=grant.enterprise,
            items=items,
            years=years,
            grades=[g for year in years if (g := _grade(year, sealed))] if "grade" in items else None,
            emissions=[_emissions(year, sealed) for year in years] if "emissions" in items else None,
            intensity=[_intensity(year, sealed) for year in years] if "intensity" in items else None,
            seal_status=_seal_status(years, sealed) if "seal_status" in items else None,
        )
