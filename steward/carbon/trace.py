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
# Direct emissions (fuel combustion and industrial processes at the site) versus indirect ones (purchased
# electricity and heat). The national market's compliance figure for the new sectors from 2024, and for power
# since the 2023–2024 plan, is the direct figure (DOMAIN.md §2.x); the indirect lines are reported beside it.
DIRECT_CATEGORIES = frozenset({"fuel_combustion", "process"})
INDIRECT_CATEGORIES = frozenset({"purchased_electricity", "purchased_heat"})
# A line whose boundary is the enterprise level only (e.g. a cement plant's boiler outside the clinker facility)
# is reported at that level but is outside the ETS boundary, so never part of the direct (compliance) figure.
ENTERPRISE_ONLY = "enterprise"


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
    boundary: str = ""  # "" (the method has one boundary), or the reporting level the line belongs to

    @property
    def in_ets_boundary(self) -> bool:
        return self.boundary != ENTERPRISE_ONLY

    def as_json(self) -> dict:
        data = {
            "key": self.key,
            "label": self.label,
            "category": self.category,
            "formula": self.formula,
            "inputs": [value.as_json() for value in self.inputs],
            "tco2": str(round_tco2(self.tco2)),
        }
        if self.boundary:
            data["boundary"] = self.boundary
        return data


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
    boundaries: dict[str, str] = field(default_factory=dict)  # key → label, for methods with two levels

    @property
    def total_tco2(self) -> Decimal:
        return sum((line.tco2 for line in self.lines), Decimal(0))

    @property
    def direct_tco2(self) -> Decimal:
        """Fuel combustion and process lines inside the ETS boundary: the compliance figure."""
        return sum(
            (line.tco2 for line in self.lines if line.category in DIRECT_CATEGORIES and line.in_ets_boundary),
            Decimal(0),
        )

    def boundary_figures(self, boundary: str) -> dict[str, Decimal]:
        """Direct, indirect and total of one reporting level; the enterprise level holds every line."""
        lines = [line for line in self.lines if boundary == ENTERPRISE_ONLY or line.boundary == boundary]
        direct = sum((line.tco2 for line in lines if line.category in DIRECT_CATEGORIES), Decimal(0))
        indirect = sum((line.tco2 for line in lines if line.category in INDIRECT_CATEGORIES), Decimal(0))
        return {"direct_tco2": direct, "indirect_tco2": indirect, "total_tco2": direct + indirect}

    def boundaries_json(self) -> dict:
        return {
            key: {"label": label}
            | {name: str(round_tco2(value)) for name, value in self.boundary_figures(key).items()}
            for key, label in self.boundaries.items()
        }

    @property
    def indirect_tco2(self) -> Decimal:
        return sum((line.tco2 for line in self.lines if line.category in INDIRECT_CATEGORIES), Decimal(0))

    def warnings(self) -> list[dict]:
        found = list(self.notes)
        for line in self.lines:
            for value in line.inputs:
                if value.origin == Origin.DEFAULT:
                    found.append(
                        {
                            "code": "default_used",
                            "line": line.key,
                            "label": line.label,
                            "parameter": value.name,
                            "message": f"{line.label}：{value.name} 使用缺省值（{value.reason}）",
                        }
                    )
                if value.origin != Origin.MEASURED and value.status == "to_verify":
                    found.append(
                        {
                            "code": "unconfirmed_factor",
                            "line": line.key,
                            "label": line.label,
                            "parameter": value.name,
                            "message": f"{line.label}：{value.name} 取自待核实的因子（{value.source}）",
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
            "direct_tco2": str(round_tco2(self.direct_tco2)),
            "indirect_tco2": str(round_tco2(self.indirect_tco2)),
            "lines": [line.as_json() for line in self.lines],
            **({"boundaries": self.boundaries_json()} if self.boundaries else {}),
            "intensities": [intensity.as_json() for intensity in self.intensities],
            "warnings": self.warnings(),
        }


def plain(value: Decimal) -> str:
    """A Decimal as written by a person: no exponent, no trailing zeros (0.99000000 → 0.99)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def round_tco2(value: Decimal) -> Decimal:
    return value.quantize(TCO2_PLACES, ROUND_HALF_UP)
