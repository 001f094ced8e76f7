"""Results that explain themselves: every line carries each input used, where it came from and the formula.

Rounding happens only here, when a result is written out: emissions in tCO2 to 2 decimals (ROUND_HALF_UP),
the total rounded from the sum of unrounded lines, intensities to 4 decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TCO2_PLACES = Decimal("0.01")
INTENSITY_PLACES = Decimal("0.0001")
CO2_PER_C = Decimal(44) / Decimal(12)


class Origin:
    MEASURED = "measured"  # given in the request (a measurement or an entered figure)
    DEFAULT = "default"  # a conservative methodology default, because no valid measurement was given
    FACTOR_LIBRARY = "factor_library"  # a row of the pinned factor set


@dataclass(frozen=True)
class TracedValue:
    name: str
    value: Decimal
    unit: str
    origin: str
    source: str = ""
    row_id: str = ""
    status: str = "verified"
    reason: str = ""

    def as_json(self) -> dict:
        data = {"name": self.name, "value": plain(self.value), "unit": self.unit, "origin": self.origin}
        for key in ("source", "row_id", "reason"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.origin != Origin.MEASURED:
            data["status"] = self.status
        return data


@dataclass
class Line:
    key: str
    label: str
    category: str
    formula: str
    inputs: list[TracedValue]
    tco2: Decimal

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "category": self.category,
            "formula": self.formula,
            "inputs": [value.as_json() for value in self.inputs],
            "tco2": str(round_tco2(self.tco2)),
        }


@dataclass
class Intensity:
    name: str
    value: Decimal
    unit: str
    numerator_tco2: Decimal
    denominator: TracedValue

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "value": str(self.value.quantize(INTENSITY_PLACES, ROUND_HALF_UP)),
            "unit": self.unit,
            "denominator": self.denominator.as_json(),
        }


@dataclass
class Result:
    methodology: str
    methodology_version: str
    year: int
    month: int | None
    factor_set_version: str
    lines: list[Line] = field(default_factory=list)
    intensities: list[Intensity] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)

    @property
    def total_tco2(self) -> Decimal:
        return sum((line.tco2 for line in self.lines), Decimal(0))

    def warnings(self) -> list[dict]:
        found = list(self.notes)
        for line in self.lines:
            for value in line.inputs:
                if value.origin == Origin.DEFAULT:
                    found.append(
                        {
                            "code": "default_used",
                            "line": line.key,
                            "parameter": value.name,
                            "message": f"{line.label}：{value.name} 使用缺省值（{value.reason}）",
                        }
                    )
                if value.origin != Origin.MEASURED and value.status == "to_verify":
                    found.append(
                        {
                            "code": "unconfirmed_factor",
                            "line": line.key,
                            "parameter": value.name,
                            "message": f"{line.label}：{value.name} 取自待核实的因子 {value.row_id or value.source}",
                        }
                    )
        return found

    def as_json(self) -> dict:
        return {
            "methodology": self.methodology,
            "methodology_version": self.methodology_version,
            "period": {"year": self.year, "month": self.month},
            "factor_set_version": self.factor_set_version,
            "total_tco2": str(round_tco2(self.total_tco2)),
            "lines": [line.as_json() for line in self.lines],
            "intensities": [intensity.as_json() for intensity in self.intensities],
            "warnings": self.warnings(),
        }


def plain(value: Decimal) -> str:
    """A Decimal as written by a person: no exponent, no trailing zeros (0.99000000 → 0.99)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def round_tco2(value: Decimal) -> Decimal:
    return value.quantize(TCO2_PLACES, ROUND_HALF_UP)
