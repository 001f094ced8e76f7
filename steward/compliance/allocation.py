"""Free allocation of a power unit, as a plain function with its trace.

《2021、2022年度全国碳排放权交易配额总量设定与分配实施方案（发电行业）》: unit allowance =
benchmark × output (electricity supplied; electricity generated from 2023) × correction factors
+ heat benchmark × heat supplied. Allowances are whole tonnes (rounded half up once, at the end).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_noop as _  # translated where shown

from steward.carbon.trace import plain

WHOLE_TONNE = Decimal("1")


@dataclass(frozen=True)
class CorrectionFactor:
    name: str  # e.g. "冷却方式修正系数", "供热量修正系数", "负荷（出力）系数修正系数"
    value: Decimal


@dataclass(frozen=True)
class AllocationInput:
    benchmark: Decimal  # tCO2/MWh of the output basis
    output_mwh: Decimal
    heat_benchmark: Decimal = Decimal(0)  # tCO2/GJ
    heat_supplied_gj: Decimal = Decimal(0)
    corrections: tuple[CorrectionFactor, ...] = ()


@dataclass(frozen=True)
class AllocationResult:
    allocated_t: Decimal
    electricity_part_t: Decimal
    heat_part_t: Decimal
    correction_product: Decimal
    trace: list[dict] = field(default_factory=list)


def correction_product(corrections: tuple[CorrectionFactor, ...]) -> Decimal:
    product = Decimal(1)
    for factor in corrections:
        product *= factor.value
    return product


def allocate(data: AllocationInput) -> AllocationResult:
    """benchmark × output × Π corrections + heat benchmark × heat supplied, rounded to whole allowances."""
    product = correction_product(data.corrections)
    electricity = data.benchmark * data.output_mwh * product
    heat = data.heat_benchmark * data.heat_supplied_gj
    allocated = (electricity + heat).quantize(WHOLE_TONNE, rounding=ROUND_HALF_UP)
    factors = " × ".join(plain(f.value) for f in data.corrections) or "1"
    trace = [
        {
            "label": _("修正系数乘积"),
            "expression": factors,
            "value": plain(product),
        },
        {
            "label": _("电力部分配额"),
            "expression": f"{plain(data.benchmark)} tCO2/MWh × {plain(data.output_mwh)} MWh × {plain(product)}",
            "value": plain(electricity),
        },
        {
            "label": _("热力部分配额"),
            "expression": f"{plain(data.heat_benchmark)} tCO2/GJ × {plain(data.heat_supplied_gj)} GJ",
            "value": plain(heat),
        },
        {
            "label": _("配额（取整）"),
            "expression": f"{plain(electricity)} + {plain(heat)}",
            "value": plain(allocated),
        },
    ]
    return AllocationResult(allocated, electricity, heat, product, trace)
