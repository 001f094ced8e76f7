"""Free allocation, as plain functions with their trace: the power unit's benchmark method, and for steel,
cement and aluminium (2024–2025 plan) allowances equal to verified emissions, a pre-allocation as a share of last
year's verified emissions and the intensity-based final allocation.

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


def _whole(value: Decimal) -> Decimal:
    return value.quantize(WHOLE_TONNE, rounding=ROUND_HALF_UP)


def allocate_verified(verified_tco2: Decimal) -> AllocationResult:
    """New sectors, 2024 (and the exempt cement lines in 2025): allowances = the year's verified direct emissions."""
    allocated = _whole(verified_tco2)
    trace = [
        {
            "label": _("核查排放量（直接排放）"),
            "expression": plain(verified_tco2),
            "value": plain(verified_tco2),
        },
        {"label": _("配额（取整）"), "expression": plain(verified_tco2), "value": plain(allocated)},
    ]
    return AllocationResult(allocated, Decimal(0), Decimal(0), Decimal(1), trace)


def pre_allocate_share(previous_verified_tco2: Decimal, share: Decimal) -> AllocationResult:
    """New sectors, 2025 pre-allocation: share (70%) × last year's verified direct emissions."""
    value = previous_verified_tco2 * share
    allocated = _whole(value)
    trace = [
        {
            "label": _("上年核查排放量 × 预分配比例"),
            "expression": f"{plain(previous_verified_tco2)} × {plain(share)}",
            "value": plain(value),
        },
        {"label": _("预分配配额（取整）"), "expression": plain(value), "value": plain(allocated)},
    ]
    return AllocationResult(allocated, Decimal(0), Decimal(0), Decimal(1), trace)


def allocate_intensity(output: Decimal, output_unit: str, benchmark: Decimal) -> AllocationResult:
    """New sectors, 2025 final: output × the intensity benchmark of the allocation notice (tCO2 per output unit).
    The plan's balance adjustment is not modelled here (not read): the benchmark entered is the notice's."""
    value = output * benchmark
    allocated = _whole(value)
    trace = [
        {
            "label": _("产量 × 强度基准值"),
            "expression": f"{plain(output)} {output_unit} × {plain(benchmark)} tCO2/{output_unit}",
            "value": plain(value),
        },
        {"label": _("核定配额（取整）"), "expression": plain(value), "value": plain(allocated)},
    ]
    return AllocationResult(allocated, Decimal(0), Decimal(0), Decimal(1), trace)
