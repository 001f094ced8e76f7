"""Generic industrial enterprise: GB/T 32150-2015 《工业企业温室气体排放核算和报告通则》.

E = Σ fuel combustion (heat-value form, defaults from the Chinese guideline table, GB/T 32150 Annex B)
  + purchased electricity × the latest published national grid factor (MEE/NBS; data year Y−2 or earlier)
  + purchased heat × heat factor.
"""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.methods.common import heat_value_line, measured
from steward.carbon.methods.power_2022 import electricity_line, grid_factor
from steward.carbon.request import CalculationRequest
from steward.carbon.trace import Line, Origin, Result, TracedValue
from steward.factors.source import FactorSource

ID = "gbt32150_generic"
VERSION = "GB/T 32150-2015"
TITLE = "工业企业通则（GB/T 32150）"
GRID_REGIME = "general"
# [R] GB/T 32150 / NDRC guidelines' default for purchased heat; to_verify until checked against the text.
HEAT_DEFAULT_FACTOR = Decimal("0.11")
GRID_PUBLICATION_LAG_YEARS = 2


def heat_line(request: CalculationRequest) -> Line:
    heat = measured("AD_heat", request.purchased_heat, "GJ")
    if request.heat_factor:
        factor = measured("EF_heat", request.heat_factor, "tCO2/GJ")
    else:
        factor = TracedValue(
            "EF_heat",
            HEAT_DEFAULT_FACTOR,
            "tCO2/GJ",
            Origin.DEFAULT,
            VERSION,
            status="to_verify",
            reason="未提供供热单位的实测因子，取通则缺省值",
        )
    return Line(
        key="purchased_heat",
        label="净购入热力",
        category="purchased_heat",
        formula="E = AD_heat × EF_heat",
        inputs=[heat, factor],
        tco2=heat.value * factor.value,
    )


def energy_lines(request: CalculationRequest, factors: FactorSource) -> list[Line]:
    """Fuel, purchased electricity and purchased heat lines shared by the generic and cement methodologies."""
    lines = [heat_value_line(fuel, factors) for fuel in request.fuels]
    if request.purchased_electricity:
        factor = grid_factor(request, factors, GRID_REGIME, request.year - GRID_PUBLICATION_LAG_YEARS)
        lines.append(electricity_line(request, factor))
    if request.purchased_heat:
        lines.append(heat_line(request))
    return lines


def compute(request: CalculationRequest, factors: FactorSource) -> Result:
    result = Result(ID, VERSION, request.year, request.month, factors.version)
    result.lines = energy_lines(request, factors)
    return result
