"""Flat glass (平板玻璃生产), a reporting-only sector of the national market from 2026 (DOMAIN.md §2.x, the 2026
notice [V-reprint]): GB/T 32151.7-2015 《温室气体排放核算与报告要求 第7部分：平板玻璃生产企业》 and the 2013 sector
guideline. The structure below is recalled [R], to verify against the text; DOMAIN.md gives no glass formula.

E = E_fuel + E_carbonate + E_carbon_powder + E_elec + E_heat
E_carbonate     = Σ_i M_i × PUR_i × EF_i × F_i         (batch carbonates: limestone, dolomite, soda ash …;
                                                         steward/carbon/methods/carbonates.py)
E_carbon_powder = Q_cp × C_cp × 44/12                   (carbon powder in the batch, oxidised in the melt)
Direct = fuel + carbonates + carbon powder; purchased electricity and heat are reported as indirect, outside it.
Electricity uses the `general` grid rule (reporting-only sectors, steward/factors/data/grid_factor_rules.csv).

Worked example (tests/steward/carbon/test_sector_glass.py): soda ash 20,000 t × 0.99 × 0.415 = 8,217.00 t;
dolomite 15,000 t × 0.98 × 0.477 = 7,011.90 t; limestone 5,000 t × 0.95 × 0.440 × 0.98 = 2,048.20 t;
carbon powder 100 t × 0.85 × 44/12 = 311.67 t → process 17,588.77 tCO2.
"""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.methods.carbonates import (
    carbonate_line,
    foreign_inputs,
    unused_notes,
)
from steward.carbon.methods.common import fuel_refusals, measured, refuse, sector_block_refusals
from steward.carbon.methods.gbt32150 import energy_lines
from steward.carbon.request import CalculationRequest
from steward.carbon.trace import CO2_PER_C, Line, Result
from steward.factors.source import FactorSource

ID = "cn_flat_glass"
VERSION = "GB/T 32151.7-2015 (平板玻璃生产企业; structure to_verify)"
TITLE = "平板玻璃生产"
GRID_RULES = "general"


def carbon_powder_co2(quantity_t: Decimal, carbon_content: Decimal) -> Decimal:
    """E = Q_cp × C_cp × 44/12."""
    return quantity_t * carbon_content * CO2_PER_C


def carbon_powder_line(powder: dict) -> Line:
    quantity = measured("Q_cp", powder["quantity"], "t")
    carbon = measured("C_cp", powder["carbon_content"], "fraction")
    return Line(
        key="glass.carbon_powder",
        label="配料碳粉氧化",
        category="process",
        formula="E = Q_cp × C_cp × 44/12",
        inputs=[quantity, carbon],
        tco2=carbon_powder_co2(quantity.value, carbon.value),
    )


def check(request: CalculationRequest) -> None:
    errors = fuel_refusals(request)
    foreign_inputs(request, errors, TITLE)
    sector_block_refusals(request, errors)
    refuse(errors)


def compute(request: CalculationRequest, factors: FactorSource) -> Result:
    result = Result(ID, VERSION, request.year, request.month, factors.version)
    result.lines = energy_lines(request, factors, result.notes, GRID_RULES)
    glass = request.glass or {"carbonates": (), "carbon_powder": None}
    result.lines += [carbonate_line(item, "glass.carbonates") for item in glass["carbonates"]]
    if glass["carbon_powder"]:
        result.lines.append(carbon_powder_line(glass["carbon_powder"]))
    if not glass["carbonates"]:
        result.notes.append(
            {
                "code": "process_data_missing",
                "line": "glass.carbonates",
                "parameter": "glass.carbonates",
                "message": "未录入配料碳酸盐（石灰石、白云石、纯碱等）：碳酸盐分解排放未计入",
            }
        )
    unused_notes(request, result.notes, TITLE)
    return result
