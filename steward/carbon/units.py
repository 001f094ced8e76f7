"""The explicit whitelist of units the engine accepts, with exact Decimal conversions per dimension.

An unknown unit, or a unit of the wrong dimension for a field, is an error with a code; nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


class UnitError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Dimension:
    name: str
    label_zh: str
    base: str
    factors: dict[str, Decimal]  # unit symbol → how many base units one of it is


def _dimension(name: str, label_zh: str, base: str, factors: dict[str, str]) -> Dimension:
    return Dimension(name, label_zh, base, {symbol: Decimal(value) for symbol, value in factors.items()})


DIMENSIONS: dict[str, Dimension] = {
    dimension.name: dimension
    for dimension in [
        _dimension("mass", "质量", "t", {"t": "1", "kg": "0.001", "10^4 t": "10000"}),
        _dimension(
            "gas_volume",
            "气体体积（标准状态）",
            "10^4 Nm3",
            {"10^4 Nm3": "1", "10^4 m3": "1", "Nm3": "0.0001", "m3": "0.0001"},
        ),
        _dimension(
            "electricity", "电量", "MWh", {"MWh": "1", "kWh": "0.001", "10^4 kWh": "10", "GWh": "1000"}
        ),
        _dimension("heat", "热量", "GJ", {"GJ": "1", "MJ": "0.001", "TJ": "1000"}),
        _dimension(
            "ncv_mass",
            "低位发热量（固体/液体）",
            "GJ/t",
            {"GJ/t": "1", "MJ/kg": "1", "TJ/Gg": "1", "kJ/kg": "0.001"},
        ),
        _dimension(
            "ncv_gas",
            "低位发热量（气体）",
            "GJ/10^4 Nm3",
            {"GJ/10^4 Nm3": "1", "GJ/10^4 m3": "1", "MJ/Nm3": "10", "MJ/m3": "10"},
        ),
        _dimension(
            "carbon_per_heat", "单位热值含碳量", "tC/GJ", {"tC/GJ": "1", "tC/TJ": "0.001", "kgC/GJ": "0.001"}
        ),
        _dimension("fraction", "比例", "fraction", {"fraction": "1", "%": "0.01"}),
        _dimension("grid_factor", "电力排放因子", "tCO2/MWh", {"tCO2/MWh": "1", "kgCO2/kWh": "1"}),
        _dimension("heat_factor", "热力排放因子", "tCO2/GJ", {"tCO2/GJ": "1", "kgCO2/GJ": "0.001"}),
        _dimension("time", "时间", "h", {"h": "1"}),
        _dimension("specific_mass", "单位产品质量", "kg/t", {"kg/t": "1", "g/t": "0.001", "t/t": "1000"}),
        # Carbon content of a gaseous raw material (化工 feedstock natural gas, refinery gas …).
        _dimension(
            "carbon_per_volume",
            "单位体积含碳量（气体）",
            "tC/10^4 Nm3",
            {"tC/10^4 Nm3": "1", "tC/10^4 m3": "1", "kgC/Nm3": "10", "kgC/m3": "10"},
        ),
        # COD of wastewater (造纸 anaerobic treatment): kg per m³; 1 mg/L = 1 g/m³.
        _dimension("concentration", "浓度", "kg/m3", {"kg/m3": "1", "g/L": "1", "mg/L": "0.001"}),
    ]
}

ALL_UNITS: dict[str, str] = {
    symbol: dimension.name for dimension in DIMENSIONS.values() for symbol in dimension.factors
}


def dimension_of(unit: str) -> str:
    try:
        return ALL_UNITS[unit]
    except KeyError:
        raise UnitError("unknown_unit", f"未知单位 {unit}") from None


def to_base(value: Decimal, unit: str, dimension: str) -> Decimal:
    """`value` in `unit`, expressed in the base unit of `dimension` (error if the unit is of another kind)."""
    found = dimension_of(unit)
    if found != dimension:
        expected = DIMENSIONS[dimension]
        raise UnitError(
            "wrong_dimension",
            f"单位 {unit} 不是{expected.label_zh}单位，应为：{'、'.join(expected.factors)}",
        )
    return value * DIMENSIONS[dimension].factors[unit]


def convert(value: Decimal, unit: str, target: str) -> Decimal:
    """Convert between two units of the same dimension."""
    dimension = dimension_of(target)
    return to_base(value, unit, dimension) / DIMENSIONS[dimension].factors[target]
