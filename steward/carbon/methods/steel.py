"""Steel (钢铁生产) in the national market from 2024, by process (工序: 烧结、球团、炼铁、炼钢、轧钢). The national
guideline's structure [R] (DOMAIN.md §2.2): E = E_fuel + E_process − E_fixed (+ purchased electricity and heat,
reported outside the direct figure). This module accounts the process part as a carbon balance per process:

E_process,p = Σ inputs_p Q × C × 44/12     (fluxes such as limestone and dolomite, electrodes, carburisers,
                                          purchased pig iron, DRI and ferroalloys: carbon content as a fraction)
E_fixed     = Σ outputs Q × C × 44/12       (carbon fixed in crude steel and carbon-bearing by-products; a month
                                          from records also sends its carbon-bearing wastes leaving here [R])
Fuels are entered as fuels (combustion lines). Factors are the enterprise's measured carbon contents; no
default content is assumed (e.g. pure limestone CaCO3 holds 12.01/100.09 ≈ 0.12 carbon).
"""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.methods.common import fuel_refusals, measured, refuse, sector_block_refusals
from steward.carbon.methods.gbt32150 import energy_lines
from steward.carbon.request import CalculationRequest, SteelItem
from steward.carbon.trace import CO2_PER_C, Line, Result
from steward.factors.source import FactorSource

ID = "cn_steel"
VERSION = "national market steel guideline, process carbon balance (structure to_verify)"
TITLE = "钢铁生产（按工序）"
GRID_RULES = "ets_industry"
PROCESS_LABELS = {
    "sintering": "烧结",
    "pelletizing": "球团",
    "ironmaking": "炼铁",
    "steelmaking": "炼钢",
    "rolling": "轧钢",
    "other": "其他工序",
}


def carbon_co2(quantity_t: Decimal, carbon_content: Decimal) -> Decimal:
    """E = Q × C × 44/12."""
    return quantity_t * carbon_content * CO2_PER_C


def item_line(item: SteelItem, side: str) -> Line:
    quantity = measured("Q", item.quantity, "t")
    carbon = measured("C", item.carbon_content, "fraction")
    sign = Decimal(1) if side == "inputs" else Decimal(-1)
    label = item.label or item.material
    return Line(
        key=f"steel.{side}[{item.index}]",
        label=f"{PROCESS_LABELS[item.process]}：{label}" + ("" if side == "inputs" else "（固碳扣减）"),
        category="process",
        formula="E = Q × C × 44/12" if side == "inputs" else "E = −(Q × C × 44/12)",
        inputs=[quantity, carbon],
        tco2=sign * carbon_co2(quantity.value, carbon.value),
        boundary="",
    )


def check(request: CalculationRequest) -> None:
    errors = fuel_refusals(request)
    sector_block_refusals(request, errors)
    if request.clinker:
        errors["clinker"] = [{"code": "not_used_by_methodology", "message": "钢铁方法不含熟料生产过程排放"}]
    refuse(errors)


def compute(request: CalculationRequest, factors: FactorSource) -> Result:
    result = Result(ID, VERSION, request.year, request.month, factors.version)
    result.lines = energy_lines(request, factors, result.notes, GRID_RULES)
    steel = request.steel or {"inputs": (), "outputs": ()}
    result.lines += [item_line(item, "inputs") for item in steel["inputs"]]
    result.lines += [item_line(item, "outputs") for item in steel["outputs"]]
    if not steel["inputs"] and not steel["outputs"]:
        result.notes.append(
            {
                "code": "steel_process_missing",
                "line": "steel",
                "parameter": "steel",
                "message": "未录入含碳物料（熔剂、电极、外购生铁等）与产品固碳：过程排放未计入",
            }
        )
    return result
