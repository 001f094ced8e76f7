"""China national carbon market, power generation facilities: 《企业温室气体排放核算方法与报告指南 发电设施
（2022年修订版）》(环办气候函〔2022〕111号).

E = E_fuel + E_elec. Coal is preferably accounted in the element-carbon form from a monthly CMA/CNAS test;
without a valid carbon test the guideline's high default unit-heat carbon content applies (conservative, so
emissions are never understated). Intensity per MWh supplied and per GJ of heat supplied.
"""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.methods.common import (
    COAL_FUELS,
    air_dried_to_as_received,
    electricity_co2,
    fuel_co2_element_carbon,
    fuel_label,
    heat_value_line,
    intensity_inputs,
    measured,
)
from steward.carbon.request import CalculationRequest, FuelInput
from steward.carbon.trace import Intensity, Line, Origin, Result, TracedValue
from steward.factors.source import FactorSource

ID = "cn_ets_power_2022"
VERSION = "2022-revision (环办气候函〔2022〕111号)"
TITLE = "发电设施（2022年修订版）"
GUIDELINE = "发电设施核算指南（2022年修订版）"
GRID_REGIME = "ets_power"

# [R] in DOMAIN.md §1.4: recalled values, so marked to_verify wherever they are used.
COAL_DEFAULT_CARBON_PER_HEAT = Decimal("0.03085")  # tC/GJ, deliberately high
COAL_DEFAULT_OXIDATION = Decimal("0.99")


def coal_carbon_default() -> TracedValue:
    return TracedValue(
        "CC",
        COAL_DEFAULT_CARBON_PER_HEAT,
        "tC/GJ",
        Origin.DEFAULT,
        GUIDELINE,
        status="to_verify",
        reason="未提供有效的元素碳检测，按指南取高限缺省值（保守）",
    )


def coal_oxidation_default() -> TracedValue:
    return TracedValue(
        "OF",
        COAL_DEFAULT_OXIDATION,
        "fraction",
        Origin.DEFAULT,
        GUIDELINE,
        status="to_verify",
        reason="未实测，取指南燃煤碳氧化率缺省值",
    )


def as_received_carbon(fuel: FuelInput) -> list[TracedValue] | None:
    """The as-received carbon content, measured directly or converted from an air-dried test."""
    if fuel.carbon_content_ar:
        return [measured("C_ar", fuel.carbon_content_ar, "fraction")]
    if fuel.carbon_content_ad and fuel.moisture_ar and fuel.moisture_ad:
        inputs = [
            measured("C_ad", fuel.carbon_content_ad, "fraction"),
            measured("M_ar", fuel.moisture_ar, "fraction"),
            measured("M_ad", fuel.moisture_ad, "fraction"),
        ]
        converted = air_dried_to_as_received(*(value.value for value in inputs))
        return inputs + [
            TracedValue(
                "C_ar", converted, "fraction", Origin.MEASURED, reason="C_ar = C_ad × (1 − M_ar) / (1 − M_ad)"
            )
        ]
    return None


def element_carbon_line(fuel: FuelInput, carbon: list[TracedValue], factors: FactorSource) -> Line:
    row = factors.fuel_default(fuel.fuel)
    consumption = measured("FC", fuel.consumption, row.unit)
    if fuel.oxidation_rate:
        oxidation = measured("OF", fuel.oxidation_rate, "fraction")
    else:
        oxidation = coal_oxidation_default()
    tco2 = fuel_co2_element_carbon(consumption.value, carbon[-1].value, oxidation.value)
    return Line(
        key=f"fuel[{fuel.index}]",
        label=fuel_label(fuel, row),
        category="fuel_combustion",
        formula="E = FC × C_ar × OF × 44/12",
        inputs=[consumption, *carbon, oxidation],
        tco2=tco2,
    )


def fuel_line(fuel: FuelInput, factors: FactorSource) -> Line:
    carbon = as_received_carbon(fuel)
    if carbon and fuel.consumption.unit in {"t", "kg", "10^4 t"}:
        return element_carbon_line(fuel, carbon, factors)
    if fuel.fuel in COAL_FUELS:
        return heat_value_line(
            fuel, factors, carbon_default=coal_carbon_default(), oxidation_default=coal_oxidation_default()
        )
    return heat_value_line(fuel, factors)


def grid_factor(
    request: CalculationRequest, factors: FactorSource, regime: str, latest_year: int
) -> TracedValue:
    if request.grid_factor:
        return measured("EF_grid", request.grid_factor, "tCO2/MWh")
    row = factors.grid_factor(regime, latest_data_year=latest_year)
    if row is None:
        raise LookupError(
            f"因子库没有 {regime} 体系 {latest_year} 年及以前的电网排放因子，请在请求中提供 grid_factor"
        )
    return TracedValue(
        "EF_grid",
        row.value_tco2_per_mwh,
        "tCO2/MWh",
        Origin.FACTOR_LIBRARY,
        row.source_document,
        row.row_id,
        row.status,
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


def compute(request: CalculationRequest, factors: FactorSource) -> Result:
    result = Result(ID, VERSION, request.year, request.month, factors.version)
    result.lines = [fuel_line(fuel, factors) for fuel in request.fuels]
    if request.purchased_electricity:
        # The power guideline fixes one national factor per data year.
        factor = grid_factor(request, factors, GRID_REGIME, request.year)
        result.lines.append(electricity_line(request, factor))
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
