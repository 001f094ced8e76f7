"""China national carbon market, power generation facilities: the power guideline in the edition of the data
year — 2021 edition (环办气候〔2021〕9号) for 2019–2020 data, the 2022 revision (环办气候函〔2022〕111号) for
2021–2022 data, the December 2022 edition (环办气候函〔2022〕485号) from 2023 data.

E = E_fuel + E_elec. Coal is preferably accounted in the element-carbon form from a monthly CMA/CNAS test;
without a valid carbon test the edition's high default unit-heat carbon content applies (conservative, so
emissions are never understated). Purchased heat is not part of this guideline: given, it is named in the
warnings and left out. Intensity per MWh supplied and per GJ of heat supplied.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from steward.carbon.methods.common import (
    combustion_line,
    electricity_co2,
    fuel_refusals,
    input_not_used,
    intensity_inputs,
    measured,
    refuse,
    sector_block_refusals,
)
from steward.carbon.request import CalculationRequest
from steward.carbon.trace import Intensity, Line, Origin, Result, TracedValue
from steward.factors.grid_rules import grid_row
from steward.factors.source import FactorSource

ID = "cn_ets_power_2022"
TITLE = "发电设施（2022年修订版）"
GRID_RULES = "power"


@dataclass(frozen=True)
class Edition:
    """The guideline edition that governs a range of data years, with its no-test coal default."""

    first_year: int
    last_year: int
    version: str
    guideline: str
    coal_carbon_per_heat: Decimal  # tC/GJ, deliberately high
    coal_oxidation: Decimal
    status: str  # of the defaults: [R] in DOMAIN.md §1.2 and §1.4, so to_verify
    note: str = ""


EDITIONS = (
    Edition(2019, 2020, "2021 (环办气候〔2021〕9号)", "发电设施核算指南（2021年版）", Decimal("0.03356"),
            Decimal("0.99"), "to_verify"),
    Edition(2021, 2022, "2022-revision (环办气候函〔2022〕111号)", "发电设施核算指南（2022年修订版）",
            Decimal("0.03085"), Decimal("0.99"), "to_verify"),
    Edition(2023, 2100, "2022-12 (环办气候函〔2022〕485号)", "发电设施核算与报告指南（2022年12月版）",
            Decimal("0.03085"), Decimal("0.99"), "to_verify",
            "缺省值沿用2022年修订版（485号文本未读到）"),
)  # fmt: skip
VERSION = EDITIONS[1].version  # the edition this module was first written for


def edition_for(year: int) -> Edition | None:
    return next((e for e in EDITIONS if e.first_year <= year <= e.last_year), None)


def coal_carbon_default(edition: Edition) -> TracedValue:
    reason = "未提供有效的元素碳检测，按指南取高限缺省值（保守）"
    return TracedValue(
        "CC",
        edition.coal_carbon_per_heat,
        "tC/GJ",
        Origin.DEFAULT,
        edition.guideline,
        status=edition.status,
        reason=f"{reason}；{edition.note}" if edition.note else reason,
    )


def coal_oxidation_default(edition: Edition) -> TracedValue:
    return TracedValue(
        "OF",
        edition.coal_oxidation,
        "fraction",
        Origin.DEFAULT,
        edition.guideline,
        status=edition.status,
        reason="未实测，取指南燃煤碳氧化率缺省值",
    )


def grid_factor(request: CalculationRequest, factors: FactorSource, applies_to: str) -> TracedValue:
    """The request's factor when given, else the one rule of `applies_to` for the data year (grid_rules)."""
    if request.grid_factor:
        return measured("EF_grid", request.grid_factor, "tCO2/MWh")
    rule, row = grid_row(factors, applies_to, request.year)
    return TracedValue(
        "EF_grid",
        row.value_tco2_per_mwh,
        "tCO2/MWh",
        Origin.FACTOR_LIBRARY,
        f"{row.source_document}；规则：{rule.source_document}",
        row.row_id,
        "verified" if row.status == rule.status == "verified" else "to_verify",
        reason=rule.note,
    )


def electricity_line(request: CalculationRequest, factor: TracedValue) -> Line:
    consumption = measured("AD", request.purchased_electricity, "MWh")
    return Line(
        key="purchased_electricity",
        label="净购入电力",
        category="purchased_electricity",
        formula="E = AD × EF_grid",
        inputs=[consumption, factor],
        tco2=electricity_co2(consumption.value, factor.value),
    )


def check(request: CalculationRequest) -> None:
    errors = fuel_refusals(request)
    if request.year and edition_for(request.year) is None:
        errors["period.year"] = [
            {"code": "no_edition", "message": "发电设施核算指南适用于2019年及以后的数据"}
        ]
    if request.clinker:
        errors["clinker"] = [
            {"code": "not_used_by_methodology", "message": "发电设施核算方法不含熟料生产过程排放"}
        ]
    sector_block_refusals(request, errors)
    refuse(errors)


def compute(request: CalculationRequest, factors: FactorSource) -> Result:
    edition = edition_for(request.year)
    result = Result(ID, edition.version, request.year, request.month, factors.version)
    result.lines = [
        combustion_line(
            fuel,
            factors,
            result.notes,
            element_oxidation_default=coal_oxidation_default(edition),
            coal_carbon_default=coal_carbon_default(edition),
            coal_oxidation_default=coal_oxidation_default(edition),
        )
        for fuel in request.fuels
    ]
    if request.purchased_electricity:
        result.lines.append(electricity_line(request, grid_factor(request, factors, GRID_RULES)))
    if request.purchased_heat:
        input_not_used(
            result.notes,
            "purchased_heat",
            "purchased_heat",
            "发电设施核算指南不计购入热力排放：已录入的购入热力未计入排放量",
        )
    add_intensities(result, request)
    return result


def add_intensities(result: Result, request: CalculationRequest) -> None:
    """Power per MWh supplied, heat per GJ supplied; a CHP unit's emissions split by its heat ratio (供热比)."""
    total = result.total_tco2
    power = intensity_inputs(request, "electricity_supplied", "MWh")
    heat = intensity_inputs(request, "heat_supplied", "GJ")
    heat_ratio = request.outputs.get("heat_ratio")
    if power and heat and heat.value > 0:
        if heat_ratio is None:
            result.notes.append(
                {
                    "code": "heat_ratio_missing",
                    "line": "intensities",
                    "parameter": "heat_ratio",
                    "message": "同时供电供热：需提供供热比（outputs.heat_ratio）才能分别计算供电、供热强度",
                }
            )
            return
        shares = {"power": total * (1 - heat_ratio.base), "heat": total * heat_ratio.base}
    else:
        shares = {"power": total, "heat": total}
    for denominator, share, name, unit in (
        (power, shares["power"], "供电碳排放强度", "MWh"),
        (heat, shares["heat"], "供热碳排放强度", "GJ"),
    ):
        if denominator and denominator.value > 0:
            result.intensities.append(
                Intensity(name, share / denominator.value, f"tCO2/{unit}", share, denominator)
            )
