"""Reading an enterprise's carbon records: the current version of each figure, and the calculation request
a month's records amount to."""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.models import (
    ActivityRecord,
    CalculationRun,
    ElectricityBill,
    EmissionSource,
    Facility,
    FuelStockRecord,
    MeasuredParameter,
    OutputRecord,
)
from steward.carbon.sector_records import sector_blocks
from steward.carbon.trace import plain
from steward.carbon.units import convert

INDUSTRY_METHODOLOGIES = {
    "4411": "cn_ets_power_2022",
    "4412": "cn_ets_power_2022",
    "3011": "cn_cement_clinker",
    "3041": "cn_flat_glass",  # 平板玻璃制造
    # [R] 3110 炼铁 / 3120 炼钢 and 3216 铝冶炼: recalled class codes, as steward/compliance/scope.py (to verify).
    "3110": "cn_steel",
    "3120": "cn_steel",
    "3216": "cn_aluminium",
}
# Whole GB/T 4754 divisions of the reporting-only sectors (the 2026 notice, DOMAIN.md §2.x): an exact class code
# above wins over its division.
INDUSTRY_DIVISION_METHODOLOGIES = {
    "22": "cn_paper",  # 造纸和纸制品业
    "26": "cn_chemicals",  # 化学原料和化学制品制造业
}
FUEL_PARAMETERS = (
    "ncv",
    "carbon_content_ar",
    "carbon_content_ad",
    "moisture_ar",
    "moisture_ad",
    "carbon_content_per_heat",
    "oxidation_rate",
)
CLINKER_PARAMETERS = {
    "cao": "clinker_cao",
    "mgo": "clinker_mgo",
    "cao_noncarbonate": "noncarbonate_cao",
    "mgo_noncarbonate": "noncarbonate_mgo",
    "kiln_dust": "kiln_dust",
    "bypass_dust": "bypass_dust",
    "raw_meal": "raw_meal",
    "raw_meal_carbon": "raw_meal_carbon",
}
CEMENT = "cn_cement_clinker"


def methodology_for_industry(code: str | None) -> str:
    """The methodology an industry class is accounted by: its own entry, else its division's, else GB/T 32150."""
    code = code or ""
    return INDUSTRY_METHODOLOGIES.get(code) or INDUSTRY_DIVISION_METHODOLOGIES.get(
        code[:2], "gbt32150_generic"
    )


def methodology_for(enterprise) -> str:
    return methodology_for_industry(enterprise.industry_id)


def current_records(year: int, month: int) -> dict[int, ActivityRecord]:
    """source id → the latest version of its record for the month."""
    records = (
        ActivityRecord.objects.filter(year=year, month=month)
        .select_related("source__facility")
        .prefetch_related("parameters")
        .order_by("source_id", "version")
    )
    return {record.source_id: record for record in records}  # later versions overwrite earlier ones


def current_outputs(year: int, month: int) -> dict[str, OutputRecord]:
    rows = OutputRecord.objects.filter(year=year, month=month).order_by("kind", "version")
    return {row.kind: row for row in rows}


def current_ledger(model: type[FuelStockRecord] | type[ElectricityBill], year: int, month: int) -> list:
    """The latest version per source of a month's stock ledger or grid bills, with its evidence and author."""
    rows = model.objects.filter(year=year, month=month).select_related("source", "evidence", "entered_by")
    latest = {row.source_id: row for row in rows.order_by("source_id", "version")}
    return list(latest.values())


def _value(value: Decimal, unit: str) -> dict[str, str]:
    return {"value": plain(value), "unit": unit}


def _summed(records: list[ActivityRecord], unit: str) -> dict[str, str] | None:
    if not records:
        return None
    return _value(sum((convert(record.quantity, record.unit, unit) for record in records), Decimal(0)), unit)


def _facility_electricity(records: list[ActivityRecord]) -> dict[str, str] | None:
    """Cement: the clinker facility's part of the purchased electricity, summed over the grid sources (MWh)."""
    parts = [
        convert(parameter.value, parameter.unit, "MWh")
        for record in records
        for parameter in record.parameters.all()
        if parameter.name == MeasuredParameter.Name.CLINKER_FACILITY_ELECTRICITY
    ]
    return _value(sum(parts, Decimal(0)), "MWh") if parts else None


def _clinker_line(record: ActivityRecord) -> dict:
    parameters = {parameter.name: parameter for parameter in record.parameters.all()}
    return {"output": _value(record.quantity, record.unit)} | {
        key: _value(parameters[name].value, parameters[name].unit)
        for key, name in CLINKER_PARAMETERS.items()
        if name in parameters
    }


def _clinker(records: list[ActivityRecord]) -> dict | list | None:
    """One clinker line as the object it always was; several (kilns) as one entry per line, in source-code
    order, each named by its source: the method applies each line's composition to its own clinker."""
    if len(records) <= 1:
        return _clinker_line(records[0]) if records else None
    ordered = sorted(records, key=lambda record: record.source.code)
    return [{"label": record.source.name[:80]} | _clinker_line(record) for record in ordered]


def month_request(*, year: int, month: int, methodology: str) -> dict:
    """The calculation request for one month, built from the current version of every record.

    Cement (CETS-AG-02.01-V01-2024): a fuel burnt in a facility other than a clinker line (kind `kiln`) is
    reported at the enterprise level only (`boundary: enterprise`); the clinker record gives output,
    composition, kiln and bypass dust and raw meal (several clinker lines: one `clinker[]` entry each); the grid
    records give the clinker facility's part. The other
    sectors' process blocks (aluminium, steel, glass, chemicals, paper) come from their process sources
    (steward/carbon/sector_records.py).
    """
    records = list(current_records(year, month).values())
    by_kind = {kind: [r for r in records if r.source.kind == kind] for kind in EmissionSource.Kind.values}
    fuels = []
    for record in by_kind[EmissionSource.Kind.FUEL_COMBUSTION]:
        entry = {
            "fuel": record.source.fuel_code,
            "label": record.source.name,
            "consumption": _value(record.quantity, record.unit),
        }
        if methodology == CEMENT and record.source.facility.kind != Facility.Kind.KILN:
            entry["boundary"] = "enterprise"  # the default, clinker_facility, is left implicit
        for parameter in record.parameters.all():
            if parameter.name in FUEL_PARAMETERS:
                entry[parameter.name] = _value(parameter.value, parameter.unit)
        fuels.append(entry)
    request: dict = {"methodology": methodology, "period": {"year": year, "month": month}, "fuels": fuels}
    if electricity := _summed(by_kind[EmissionSource.Kind.PURCHASED_ELECTRICITY], "MWh"):
        request["purchased_electricity"] = electricity
        facility = _facility_electricity(by_kind[EmissionSource.Kind.PURCHASED_ELECTRICITY])
        if facility and methodology == CEMENT:
            request["clinker_facility_electricity"] = facility
    if heat := _summed(by_kind[EmissionSource.Kind.PURCHASED_HEAT], "GJ"):
        request["purchased_heat"] = heat
    if clinker := _clinker(by_kind[EmissionSource.Kind.CLINKER_PROCESS]):
        request["clinker"] = clinker
    outputs = {
        kind: _value(row.value, row.unit)
        for kind, row in current_outputs(year, month).items()
        if kind != OutputRecord.Kind.RUNNING_HOURS
    }
    if outputs:
        request["outputs"] = outputs
    request |= sector_blocks(methodology, by_kind)
    return request


def current_run(year: int, month: int) -> CalculationRun | None:
    return CalculationRun.objects.filter(year=year, month=month, superseded_by__isnull=True).first()


def runs_visible_to(grant, year: int, months) -> dict[int, CalculationRun]:
    """month → the calculation run whose figures this grant may see.

    The enterprise and its carbon steward see each month's current run. Oversight sees a month only once a
    version was submitted: the run a locked version sealed, or the current run while a version is in review
    (a month in review is frozen); months without a submitted version are absent, never shown as zero.
    """
    from steward.filing.models import FilingStatus
    from steward.filing.selectors import filings_visible_to, sees_unsubmitted

    if sees_unsubmitted(grant):
        return {month: run for month in months if (run := current_run(year, month)) is not None}
    latest: dict[int, object] = {}
    for filing in filings_visible_to(grant).filter(year=year, month__in=list(months)).order_by("version"):
        latest[filing.month] = filing
    runs: dict[int, CalculationRun] = {}
    for month, filing in latest.items():
        if filing.status == FilingStatus.LOCKED:
            sealed = (filing.sealed_payload or {}).get("result") or {}
            run = CalculationRun.objects.filter(pk=sealed.get("run")).first() if sealed.get("run") else None
        else:
            run = current_run(year, month)
        if run is not None:
            runs[month] = run
    return runs


def run_is_stale(run: CalculationRun) -> bool:
    """True when the records have been corrected since the run: its request no longer matches them."""
    return run.request != month_request(year=run.year, month=run.month, methodology=run.methodology)


def year_overview(year: int) -> list[dict]:
    """Per month: how many sources have data, and the current result."""
    counts = {}
    for record in ActivityRecord.objects.filter(year=year).values("month", "source_id").distinct():
        counts[record["month"]] = counts.get(record["month"], 0) + 1
    runs = {run.month: run for run in CalculationRun.objects.filter(year=year, superseded_by__isnull=True)}
    return [
        {"month": month, "sources_with_data": counts.get(month, 0), "run": runs.get(month)}
        for month in range(1, 13)
    ]
