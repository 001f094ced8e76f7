"""The annual calculation: the sum of the months' pinned calculation results, and the year's intensities.

Plain functions over the sealed monthly figures (no database): a year's emissions are the sum of the twelve
locked months' totals as each month sealed them (核算指南: 年度排放量为各月排放量之和), its lines the months'
lines summed by key, outputs are summed per kind, and each intensity divides the year's total by the year's
output (never an average of monthly intensities).

A month's total is rounded from its unrounded lines (steward/carbon/trace.py), so it can differ by a cent or two
from the sum of its rounded lines; the year adds up the totals the months sealed (and handed to the national
platform), and its summed lines may then differ from its total by as much.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from steward.carbon.units import convert

TCO2_PLACES = Decimal("0.01")
INTENSITY_PLACES = Decimal("0.0001")

# Output kind → the intensity it is the denominator of (label, intensity unit, denominator unit).
INTENSITY_BASES = {
    "electricity_supplied": ("供电碳排放强度", "tCO2/MWh", "MWh"),
    "electricity_generated": ("发电碳排放强度", "tCO2/MWh", "MWh"),
    "clinker_output": ("单位熟料碳排放强度", "tCO2/t", "t"),
    "heat_supplied": ("供热碳排放强度", "tCO2/GJ", "GJ"),
}


class UnitMismatch(ValueError):
    """Two months report the same output in different units: they cannot be added up."""


@dataclass(frozen=True)
class MonthFigures:
    """One locked month: its result lines (key, label, category, tco2), its total as sealed and its outputs
    (kind → value, unit)."""

    month: int
    lines: list[dict]
    total_tco2: Decimal
    outputs: dict[str, tuple[Decimal, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class AnnualTotals:
    lines: list[dict]
    outputs: dict[str, tuple[Decimal, str]]
    intensities: list[dict]
    total_tco2: Decimal
    monthly_tco2: dict[int, Decimal]


def sum_lines(months: list[MonthFigures]) -> list[dict]:
    """Lines summed by key, in the order they first appear."""
    summed: dict[str, dict] = {}
    for figures in months:
        for line in figures.lines:
            entry = summed.setdefault(
                line["key"],
                {"key": line["key"], "label": line["label"], "category": line.get("category", ""), "tco2": 0},
            )
            entry["tco2"] += Decimal(line["tco2"])
    return [entry | {"tco2": entry["tco2"].quantize(TCO2_PLACES, ROUND_HALF_UP)} for entry in summed.values()]


def sum_outputs(months: list[MonthFigures]) -> dict[str, tuple[Decimal, str]]:
    summed: dict[str, tuple[Decimal, str]] = {}
    for figures in months:
        for kind, (value, unit) in figures.outputs.items():
            previous, previous_unit = summed.get(kind, (Decimal(0), unit))
            if previous_unit != unit:
                raise UnitMismatch(f"{kind}: {previous_unit} and {unit} in {figures.month}月")
            summed[kind] = (previous + value, unit)
    return summed


def intensities(total_tco2: Decimal, outputs: dict[str, tuple[Decimal, str]]) -> list[dict]:
    """Year total ÷ year output for every output that is an intensity base and not zero."""
    found = []
    for kind, (label, unit, denominator_unit) in INTENSITY_BASES.items():
        if kind not in outputs or not outputs[kind][0]:
            continue
        value = convert(outputs[kind][0], outputs[kind][1], denominator_unit)
        found.append(
            {
                "kind": kind,
                "label": label,
                "unit": unit,
                "denominator": value,
                "denominator_unit": denominator_unit,
                "value": (total_tco2 / value).quantize(INTENSITY_PLACES, ROUND_HALF_UP),
            }
        )
    return found


def annual_totals(months: list[MonthFigures]) -> AnnualTotals:
    lines = sum_lines(months)
    outputs = sum_outputs(months)
    total = sum((figures.total_tco2 for figures in months), Decimal(0)).quantize(TCO2_PLACES, ROUND_HALF_UP)
    return AnnualTotals(
        lines=lines,
        outputs=outputs,
        intensities=intensities(total, outputs),
        total_tco2=total,
        monthly_tco2={figures.month: figures.total_tco2 for figures in months},
    )
