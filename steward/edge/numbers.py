"""Decimals with a documented range and precision per kind of unit.

A number is accepted as a JSON integer, a Decimal (JSON numbers are read as Decimal, never float) or a string
of ASCII digits (`"85000.5"`, `"1.2e3"`); never a float, a bool, `NaN` or `Infinity`. Its text has at most
`MAX_NUMBER_CHARS` characters, and the value must lie in `[0, maximum]` of its dimension (the maximum is in
the dimension's base unit, so `1e9 t` and `1e12 kg` are the same bound) with at most `places` decimals as
given. The bounds are generous for one enterprise's year and far inside what the arithmetic and the database
(24 digits, 8 decimals) hold, so nothing downstream overflows. They are documented in docs/api.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from steward.carbon.units import DIMENSIONS
from steward.edge.errors import EdgeError

MAX_NUMBER_CHARS = 40
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
NOT_FINITE = {"nan", "snan", "inf", "infinity"}


@dataclass(frozen=True)
class Bound:
    maximum: str  # in the dimension's base unit
    places: int  # decimals, as given
    why: str


BOUNDS: dict[str, Bound] = {
    "mass": Bound("1e9", 8, "t：十亿吨，远超单个企业一年的燃料或产品量"),
    "gas_volume": Bound("1e8", 8, "10^4 Nm3：一万亿标准立方米"),
    "electricity": Bound("1e9", 8, "MWh：一万亿千瓦时"),
    "heat": Bound("1e10", 8, "GJ"),
    "ncv_mass": Bound("200", 8, "GJ/t：氢气约 120 GJ/t，化石燃料不超过 50"),
    "ncv_gas": Bound("5000", 8, "GJ/10^4 Nm3：丁烷约 1200"),
    "carbon_per_heat": Bound("1", 8, "tC/GJ：化石燃料约 0.015–0.03"),
    "fraction": Bound("1", 8, "比例不超过 1（100%）"),
    "grid_factor": Bound("10", 8, "tCO2/MWh：电网因子约 0.5–1"),
    "heat_factor": Bound("1", 8, "tCO2/GJ：热力因子约 0.11"),
    "time": Bound("8784", 8, "h：一年（闰年）的小时数"),
    "specific_mass": Bound("1e6", 8, "kg/t：每吨产品消耗的物质，如电解铝阳极约 400 kg/t"),
    "carbon_per_volume": Bound("50", 8, "tC/10^4 Nm3：甲烷约 5.4，丁烷约 21"),
    "concentration": Bound("1000", 8, "kg/m3：废水 COD，造纸废水约 1–20 kg/m3（1000–20000 mg/L）"),
}


def parse_decimal(raw, path: str) -> Decimal:
    """`raw` as a finite Decimal of bounded length, or an EdgeError naming `path` (no range check)."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal)):
        raise EdgeError.one(path, "not_a_decimal", '数值须写成字符串（如 "85000.5"）或整数，不接受浮点数')
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise EdgeError.one(path, "not_finite", "数值必须是有限数")
        text = str(raw)
    elif isinstance(raw, int):
        if raw.bit_length() > 4 * MAX_NUMBER_CHARS:
            raise EdgeError.one(path, "too_long", f"数值不能超过 {MAX_NUMBER_CHARS} 位")
        text = str(raw)
    else:
        text = raw.strip()
    if text.lstrip("+-").lower() in NOT_FINITE:
        raise EdgeError.one(path, "not_finite", "数值必须是有限数")
    if len(text) > MAX_NUMBER_CHARS:
        raise EdgeError.one(path, "too_long", f"数值不能超过 {MAX_NUMBER_CHARS} 个字符")
    if not NUMBER.fullmatch(text):
        raise EdgeError.one(path, "not_a_decimal", f"无法识别的数值 {text[:MAX_NUMBER_CHARS]!r}")
    try:
        return Decimal(text)
    except InvalidOperation:  # an exponent beyond what Decimal can hold at all
        raise EdgeError.one(path, "out_of_range", "数值超出允许范围") from None


def check_bounds(value: Decimal, unit: str, dimension: str, path: str, *, precision: bool = True) -> None:
    """Refuse `value` (in `unit` of `dimension`) outside [0, maximum] or (with `precision`) with more decimals
    than allowed. Spreadsheet cells arrive as binary floats with long tails, so the intake's services pass
    precision=False and the database rounds to its 8 decimals.

    Compared in the unit as given, so a huge exponent is refused before any multiplication could overflow.
    """
    bound = BOUNDS[dimension]
    if value < 0:
        raise EdgeError.one(path, "negative", "数值不能为负")
    factor = DIMENSIONS[dimension].factors[unit]
    maximum = Decimal(bound.maximum) / factor
    if value > maximum:
        limit = f"{maximum.normalize():f}"
        raise EdgeError.one(path, "out_of_range", f"数值超出允许范围：不能大于 {limit} {unit}")
    if precision and value.as_tuple().exponent < -bound.places:
        raise EdgeError.one(path, "too_precise", f"小数位数不能超过 {bound.places} 位")


def bounded_decimal(raw, unit: str, dimension: str, path: str) -> Decimal:
    """Parse and bound in one step (the unit must already be known to be of `dimension`)."""
    value = parse_decimal(raw, path)
    check_bounds(value, unit, dimension, path)
    return value
