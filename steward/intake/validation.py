"""Every rule an imported row must pass, reported by sheet, row and column with a code and a Chinese message.

Nothing is written here: the result is the plan (create, correct or leave each record) and the problems.
All lookups are made once per file (sources, current records with parameters, filing states), so checking
500 rows costs a handful of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import translation

from steward.carbon.models import ActivityRecord, DataSource, EmissionSource, LabReport
from steward.carbon.parameter_sets import PARAMETER_SET_TITLES, ParameterSpec, parameter_set
from steward.carbon.request import GAS_UNIT
from steward.carbon.services import ParameterInput, carried_parameters, check_parameter, is_unchanged
from steward.carbon.unit_rules import SOURCE_DIMENSIONS
from steward.carbon.units import DIMENSIONS
from steward.factors.models import FactorSet, FuelFactor
from steward.filing.models import FilingStatus, MonthlyFiling
from steward.intake.columns import ACTIVITY_UNIT, BY_KEY, DATA_SHEET, NCV, PERCENT
from steward.intake.numbers import NumberError, parse_decimal
from steward.intake.reader import ParsedWorkbook, RawRow

CLOSED_STATUSES = {FilingStatus.IN_REVIEW, FilingStatus.LOCKED}
DATA_SOURCE_BY_TEXT = {str(label): value for value, label in DataSource.choices} | {
    value: value for value in DataSource.values
}


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str  # letter, as Excel shows it
    header: str
    code: str
    message: str


@dataclass
class PlannedRow:
    row: int
    source: EmissionSource
    month: int
    quantity: Decimal
    unit: str
    data_source: str
    parameters: list[ParameterInput]
    current: ActivityRecord | None
    action: str = "create"  # create | correct | unchanged


@dataclass
class Plan:
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


class _RowCheck:
    def __init__(self, parsed: ParsedWorkbook, raw: RawRow, plan: Plan):
        self.parsed, self.raw, self.plan, self.failed = parsed, raw, plan, False

    def fail(self, key: str, code: str, message: str) -> None:
        self.failed = True
        header = self.parsed.headers.get(key) or BY_KEY[key].header
        self.plan.problems.append(
            Problem(DATA_SHEET, self.raw.number, self.parsed.letters.get(key, ""), header, code, message)
        )

    def number(self, key: str, *, percent: bool = False) -> Decimal | None:
        try:
            value = parse_decimal(self.raw.values.get(key), percent=percent)
        except NumberError as error:
            self.fail(key, error.code, error.message)
            return None
        if percent and value is not None and value > 100:
            self.fail(key, "out_of_range", f"百分数应在 0–100 之间：{value}")
            return None
        return value

    def text(self, key: str) -> str:
        return _text(self.raw.values.get(key))


def check_rows(parsed: ParsedWorkbook, *, methodology: str) -> Plan:
    """Check every row against the enterprise's sources and its methodology's parameter sets."""
    plan = Plan()
    sources = {s.code: s for s in EmissionSource.objects.all()}
    reports = _lab_reports(parsed)
    dimensions = _dimensions(sources)
    gas = {code: dim == "gas_volume" for code, dim in dimensions.items()}
    current = _current_records(parsed.year)
    closed = _closed_months(parsed.year)
    seen: dict[tuple[str, int], int] = {}
    for raw in parsed.rows:
        check = _RowCheck(parsed, raw, plan)
        code = check.text("source_code")
        source = sources.get(code)
        if source is None:
            check.fail("source_code", "unknown_source", f"本企业没有编号为“{code}”的排放源。")
        year, month = _period(check, parsed)
        quantity = check.number("quantity")
        unit = check.text("unit")
        if source is not None and unit not in DIMENSIONS[dimensions[code]].factors:
            allowed = "、".join(DIMENSIONS[dimensions[code]].factors)
            check.fail("unit", "wrong_unit", f"单位“{unit}”不适用于该排放源，应为：{allowed}。")
        data_source = DATA_SOURCE_BY_TEXT.get(check.text("data_source"))
        if data_source is None:
            check.fail(
                "data_source", "unknown_data_source", "数据来源应为：生产系统计量、购销存台账或结算凭证。"
            )
        parameters = _parameters(check, source, gas.get(code, False), methodology, reports)
        if source is None or month is None:
            continue
        if (code, month) in seen:
            check.fail("month", "duplicate_row", f"与第 {seen[(code, month)]} 行重复（同一排放源同一月份）。")
        seen.setdefault((code, month), raw.number)
        if month in closed:
            check.fail("month", "month_closed", f"{year}年{month}月的存证已提交或锁定，需先退回或申请重开。")
        if check.failed:
            continue
        planned = PlannedRow(raw.number, source, month, quantity, unit, data_source, parameters, None)
        planned.current = current.get((source.pk, month))
        planned.action = _action(planned)
        plan.rows.append(planned)
    return plan


def _period(check: _RowCheck, parsed: ParsedWorkbook) -> tuple[int | None, int | None]:
    year = check.number("year")
    if year is None or year != parsed.year:
        check.fail("year", "wrong_year", f"年份应为 {parsed.year}（模板年份）。")
    month = check.number("month")
    if month is None or month != month.to_integral_value() or int(month) not in parsed.months:
        months = "、".join(str(m) for m in parsed.months)
        check.fail("month", "wrong_month", f"月份应为模板所含月份之一：{months}。")
        return parsed.year, None
    return parsed.year, int(month)


def _parameters(
    check: _RowCheck,
    source: EmissionSource | None,
    is_gas: bool,
    methodology: str,
    reports: dict[str, LabReport],
) -> list[ParameterInput]:
    """The row's measured values, each in its source's parameter set (`parameter_set(methodology, kind)`),
    entered and stored as the month page does (a percentage as 52.30 with unit %), the lab-backed ones citing the
    row's lab report. Each value passes the write's own check (`check_parameter`), so the confirmation cannot
    meet a refusal the dry run did not report."""
    filled = [key for key in check.parsed.parameter_keys if not _blank(check.raw.values.get(key))]
    if source is None:
        return []
    specs = {spec.name: spec for spec in parameter_set(methodology, source.kind)}
    report = _cited_report(check, reports, [specs[key] for key in filled if key in specs])
    parameters = []
    for key in filled:
        spec = specs.get(key)
        if spec is None:
            check.fail(key, "not_applicable", _not_in_set(check, key, source, methodology))
            continue
        value = check.number(key, percent=spec.unit == PERCENT)
        unit = _parameter_unit(check, spec, is_gas)
        if value is None or unit is None:
            continue
        parameter = ParameterInput(key, value, unit, report if spec.lab else None)
        try:
            check_parameter(parameter, source, ncv_dimension="ncv_gas" if is_gas else "ncv_mass")
        except ValidationError as error:
            check.fail(key, *_first_refusal(error))
            continue
        parameters.append(parameter)
    return parameters


def _not_in_set(check: _RowCheck, key: str, source: EmissionSource, methodology: str) -> str:
    header = check.parsed.headers.get(key, key)
    with translation.override("zh-hans"):  # like every intake message, whatever the page's language
        kind = str(EmissionSource.Kind(source.kind).label)
        allowed = "、".join(spec.label for spec in parameter_set(methodology, source.kind)) or "无"
        title = str(PARAMETER_SET_TITLES.get(methodology, ""))
    where = f"（{title}）" if title else ""
    return f"“{header}”不属于{kind}排放源的月度参数{where}，请留空；该类排放源的参数为：{allowed}。"


def _parameter_unit(check: _RowCheck, spec: ParameterSpec, is_gas: bool) -> str | None:
    """The stored unit: % as on the page, a heating value's from 热值单位, the row's own, or the set's fixed unit."""
    if spec.unit == NCV:
        unit = check.text("ncv_unit") or ("GJ/10^4 Nm3" if is_gas else "GJ/t")
        dimension = "ncv_gas" if is_gas else "ncv_mass"  # steward.carbon.unit_rules.parameter_dimension
        if unit not in DIMENSIONS[dimension].factors:
            check.fail(
                "ncv_unit", "wrong_unit", f"热值单位应为：{'、'.join(DIMENSIONS[dimension].factors)}。"
            )
            return None
        return unit
    if spec.unit == ACTIVITY_UNIT:
        return check.text("unit")
    return spec.unit


def _cited_report(
    check: _RowCheck, reports: dict[str, LabReport], specs: list[ParameterSpec]
) -> LabReport | None:
    """The lab report the row's lab-backed values cite (one per row, as on the month page)."""
    number = check.text("lab_report")
    if not number:
        return None
    report = reports.get(number)
    if report is None:
        check.fail(
            "lab_report",
            "unknown_lab_report",
            "未登记该编号的检测报告：请先在月度数据页面上传登记报告，或核对编号。",
        )
    elif not any(spec.lab for spec in specs):
        check.fail("lab_report", "not_applicable", "本行没有填写依据检测报告的实测参数，检测报告编号请留空。")
    return report


def _lab_reports(parsed: ParsedWorkbook) -> dict[str, LabReport]:
    """report number → report, for the numbers this file cites (one query)."""
    numbers = {_text(raw.values.get("lab_report")) for raw in parsed.rows} - {""}
    return (
        {r.report_number: r for r in LabReport.objects.filter(report_number__in=numbers)} if numbers else {}
    )


def _first_refusal(error: ValidationError) -> tuple[str, str]:
    """(code, message) of a service's refusal, whether it names a field or not."""
    errors = (
        [item for items in error.error_dict.values() for item in items]
        if hasattr(error, "error_dict")
        else error.error_list
    )
    first = errors[0]
    return first.code or "invalid", " ".join(str(message) for message in first.messages)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _dimensions(sources: dict[str, EmissionSource]) -> dict[str, str]:
    """source code → unit dimension, as steward.carbon.unit_rules.source_dimension, with one query in all."""
    gases = set(
        FuelFactor.objects.filter(factor_set=FactorSet.current(), unit=GAS_UNIT).values_list(
            "fuel_code", flat=True
        )
    )
    return {
        code: ("gas_volume" if source.fuel_code in gases else "mass")
        if source.kind == EmissionSource.Kind.FUEL_COMBUSTION
        else SOURCE_DIMENSIONS[source.kind]
        for code, source in sources.items()
    }


def _current_records(year: int) -> dict[tuple[int, int], ActivityRecord]:
    records = (
        ActivityRecord.objects.filter(year=year)
        .select_related("source")
        .prefetch_related("parameters__lab_report")
        .order_by("source_id", "month", "version")
    )
    return {(record.source_id, record.month): record for record in records}  # latest version wins


def _closed_months(year: int) -> set[int]:
    latest = {}
    for filing in MonthlyFiling.objects.filter(year=year).order_by("month", "version"):
        latest[filing.month] = filing.status
    return {month for month, status in latest.items() if status in CLOSED_STATUSES}


def merged_parameters(planned: PlannedRow) -> list[ParameterInput]:
    """The imported values, plus the current version's values the template does not carry (kept as they were,
    with their lab-report citation): what `record_activity_batch` writes for a correction."""
    existing = {p.name: p for p in planned.current.parameters.all()} if planned.current else {}
    return carried_parameters(existing, planned.parameters)


def _action(planned: PlannedRow) -> str:
    record = planned.current
    if record is None:
        return "create"
    existing = {p.name: p for p in record.parameters.all()}
    same = is_unchanged(
        record,
        existing,
        quantity=planned.quantity,
        unit=planned.unit,
        data_source=planned.data_source,
        parameters=planned.parameters,
    )
    return "unchanged" if same else "correct"
