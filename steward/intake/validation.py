"""Every rule an imported row must pass, reported by sheet, row and column with a code and a Chinese message.

Nothing is written here: the result is the plan (create, correct or leave each record) and the problems.
All lookups are made once per file (sources, current records with parameters, filing states), so checking
500 rows costs a handful of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from steward.carbon.models import ActivityRecord, DataSource, EmissionSource
from steward.carbon.request import GAS_UNIT
from steward.carbon.services import ParameterInput, carried_parameters, is_unchanged
from steward.carbon.unit_rules import SOURCE_DIMENSIONS
from steward.carbon.units import DIMENSIONS
from steward.factors.models import FactorSet, FuelFactor
from steward.filing.models import FilingStatus, MonthlyFiling
from steward.intake.columns import BY_KEY, DATA_SHEET, PERCENT_PARAMETERS
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
        column = BY_KEY[key]
        self.plan.problems.append(
            Problem(
                DATA_SHEET, self.raw.number, self.parsed.letters.get(key, ""), column.header, code, message
            )
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
        value = self.raw.values.get(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()


def check_rows(parsed: ParsedWorkbook) -> Plan:
    plan = Plan()
    sources = {s.code: s for s in EmissionSource.objects.all()}
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
        parameters = _parameters(check, source, gas.get(code, False))
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


def _parameters(check: _RowCheck, source: EmissionSource | None, is_gas: bool) -> list[ParameterInput]:
    values = {"ncv": check.number("ncv")} | {
        key: check.number(key, percent=True) for key in PERCENT_PARAMETERS
    }
    filled = {key: value for key, value in values.items() if value is not None}
    if not filled or source is None:
        return []
    if source.kind != EmissionSource.Kind.FUEL_COMBUSTION:
        for key in filled:
            check.fail(key, "not_applicable", "只有燃料燃烧源可以填写热值和碳含量。")
        return []
    parameters = []
    if "ncv" in filled:
        unit = check.text("ncv_unit") or ("GJ/10^4 Nm3" if is_gas else "GJ/t")
        dimension = "ncv_gas" if is_gas else "ncv_mass"  # steward.carbon.unit_rules.parameter_dimension
        if unit not in DIMENSIONS[dimension].factors:
            check.fail(
                "ncv_unit", "wrong_unit", f"热值单位应为：{'、'.join(DIMENSIONS[dimension].factors)}。"
            )
        parameters.append(ParameterInput("ncv", filled["ncv"], unit))
    for key in PERCENT_PARAMETERS:
        if key in filled:
            parameters.append(ParameterInput(key, filled[key], "%"))
    return parameters


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
