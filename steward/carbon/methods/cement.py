"""Cement clinker production (水泥熟料生产), national market methodology for cement (2024 onward) and
GB/T 32151.8 structure: E = E_fuel + E_process + E_elec, intensity per tonne of clinker.

E_process = Q_clinker × [(CaO − CaO_nc) × 44/56 + (MgO − MgO_nc) × 44/40], contents as mass fractions of
clinker, "nc" the part not from carbonates (carbide slag, steel slag …). Structure recalled [R] in DOMAIN.md
§2.2; kiln dust and raw-meal organic carbon are not yet included.
"""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.methods.common import measured
from steward.carbon.methods.gbt32150 import energy_lines
from steward.carbon.request import CalculationRequest
from steward.carbon.trace import Intensity, Line, Result

ID = "cn_cement_clinker"
VERSION = "2024 (national market, cement; GB/T 32151.8 structure, to_verify)"
TITLE = "水泥熟料生产"
CO2_PER_CAO = Decimal(44) / Decimal(56)
CO2_PER_MGO = Decimal(44) / Decimal(40)


def clinker_process_co2(
    clinker_t: Decimal, cao: Decimal, mgo: Decimal, cao_noncarbonate: Decimal, mgo_noncarbonate: Decimal
) -> Decimal:
    """E_process = Q × [(CaO − CaO_nc) × 44/56 + (MgO − MgO_nc) × 44/40]."""
    return clinker_t * ((cao - cao_noncarbonate) * CO2_PER_CAO + (mgo - mgo_noncarbonate) * CO2_PER_MGO)


def process_line(request: CalculationRequest) -> Line:
    clinker = request.clinker
    inputs = [measured("Q_clinker", clinker["output"], "t")] + [
        measured(name, clinker[key], "fraction")
        for name, key in (
            ("CaO", "cao"),
            ("MgO", "mgo"),
            ("CaO_nc", "cao_noncarbonate"),
            ("MgO_nc", "mgo_noncarbonate"),
        )
    ]
    return Line(
        key="clinker_process",
        label="熟料生产过程（碳酸盐分解）",
        category="process",
        formula="E = Q × [(CaO − CaO_nc) × 44/56 + (MgO − MgO_nc) × 44/40]",
        inputs=inputs,
        tco2=clinker_process_co2(*(value.value for value in inputs)),
    )


def compute(request: CalculationRequest, factors) -> Result:
    result = Result(ID, VERSION, request.year, request.month, factors.version)
    result.lines = energy_lines(request, factors)
    if request.clinker:
        result.lines.append(process_line(request))
    clinker_t = request.clinker["output"].base if request.clinker else None
    if clinker_t:
        total = result.total_tco2
        denominator = measured("clinker_output", request.clinker["output"], "t")
        result.intensities.append(
            Intensity("熟料单位产品碳排放", total / clinker_t, "tCO2/t", total, denominator)
        )
    return result
