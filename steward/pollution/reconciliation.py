"""Cross-regime reconciliation: fuel declared in a permit execution report against the carbon-side activity
records for the same source and month (DOMAIN.md §4.3; ANCHORS: no system reconciles two regulators' filings)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from steward.carbon.trace import plain
from steward.carbon.units import UnitError, convert
from steward.pollution.accounting import current_activity
from steward.pollution.models import DeclaredFuel, ExecutionReport


@dataclass(frozen=True)
class FuelDifference:
    source_code: str
    source_name: str
    month: int
    declared: Decimal | None
    recorded: Decimal | None
    unit: str
    message: str


def current_declarations(report: ExecutionReport) -> dict[tuple[int, int], DeclaredFuel]:
    """(source id, month) → the latest declaration (a later row corrects an earlier one)."""
    rows = report.fuels.select_related("source").order_by("entered_at", "pk")
    return {(row.source_id, row.month): row for row in rows}


def compare(declared: Decimal, declared_unit: str, recorded: Decimal, recorded_unit: str) -> Decimal:
    """Recorded minus declared, in the declared unit (error if the units are of different kinds)."""
    return convert(recorded, recorded_unit, declared_unit) - declared


def reconcile(report: ExecutionReport) -> list[FuelDifference]:
    differences = []
    for (source_id, month), row in sorted(current_declarations(report).items(), key=lambda item: item[0]):
        record = current_activity(source_id, report.year, month)
        source = row.source
        if record is None:
            differences.append(
                FuelDifference(
                    source.code,
                    source.name,
                    month,
                    row.quantity,
                    None,
                    row.unit,
                    "碳排放月度数据中无该月记录",
                )
            )
            continue
        try:
            delta = compare(row.quantity, row.unit, record.quantity, record.unit)
        except UnitError as error:
            differences.append(
                FuelDifference(
                    source.code, source.name, month, row.quantity, record.quantity, row.unit, error.message
                )
            )
            continue
        if delta:
            recorded = convert(record.quantity, record.unit, row.unit)
            message = (
                f"执行报告申报 {plain(row.quantity)} {row.unit}，碳排放月度数据 {plain(recorded)} {row.unit}，"
                f"相差 {plain(delta)} {row.unit}"
            )
            differences.append(
                FuelDifference(source.code, source.name, month, row.quantity, recorded, row.unit, message)
            )
    return differences
