"""Generic industrial enterprise: GB/T 32150-2015 《工业企业温室气体排放核算和报告通则》.

E = Σ fuel combustion (a measured carbon content wins: element-carbon form; otherwise heat-value form with the
    Chinese guideline table's defaults, GB/T 32150 Annex B)
  + purchased electricity × the grid factor of the `general` rule (latest MEE/NBS publication, data year Y−2)
  + purchased heat × heat factor.
Clinker (a cement process) is not part of this method: a request carrying it is refused, so a process source is
never silently missing from the total.
"""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.methods.common import (
    combustion_line,
    fuel_refusals,
    measured,
    refuse,
    sector_block_refusals,
)
from steward.carbon.methods.power_2022 import electricity_line, grid_factor
from steward.carbon.request import CalculationRequest
from steward.carbon.trace import Line, Origin, Result, TracedValue
from steward.factors.source import FactorSource

ID = "gbt32150_generic"
VERSION = "GB/T 32150-2015"
TITLE = "工业企业通则（GB/T 32150）"
GRID_RULES = "general"
# [R] GB/T 32150 / NDRC guidelines' default for purchased heat; to_verify until checked against the text.
HEAT_DEFAULT_FACTOR = Decimal("0.11")


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


def energy_lines(
    request: CalculationRequest, factors: FactorSource, notes: list[dict], grid_rules: str
) -> list[Line]:
    """Fuel, purchased electricity and purchased heat lines shared by the generic and the sector methods."""
    lines = [combustion_line(fuel, factors, notes) for fuel in request.fuels]
    if request.purchased_electricity:
        lines.append(electricity_line(request, grid_factor(request, factors, grid_rules)))
    if request.purchased_heat:
        lines.append(heat_line(request))
    return lines


def check(request: CalculationRequest) -> None:
    errors = fuel_refusals(request)
    if request.clinker:
        errors["clinker"] = [
            {
                "code": "not_used_by_methodology",
                "message": "通则方法不含熟料生产过程排放：水泥熟料企业请用 cn_cement_clinker 方法",
            }
        ]
    sector_block_refusals(request, errors)
    refuse(errors)


def compute(request: CalculationRequest, factors: FactorSource) -> Result:
    result = Result(ID, VERSION, request.year, request.month, factors.version)
    result.lines = energy_lines(request, factors, result.notes, GRID_RULES)
    return result
