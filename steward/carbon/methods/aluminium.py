"""Electrolytic aluminium (电解铝) in the national market from 2024: 《企业温室气体排放核算与报告指南 铝冶炼》
CETS-AG-04.01-V01-2024 (环办气候函〔2024〕321号). Structure [R] (DOMAIN.md §2.2):

E = E_fuel + E_anode + E_PFC + E_elec
E_anode = P_Al × NC × (1 − S_a − A_a) × 44/12
    P_Al primary aluminium (t), NC net anode consumption (t per t Al; given per tonne too, 410 kg/t = 0.41),
    S_a and A_a the anode's sulphur and ash;
E_PFC = P_Al × (EF_CF4 × GWP_CF4 + EF_C2F6 × GWP_C2F6) / 1000
    EF in kg per t Al (the slope method: EF_CF4 = slope × anode-effect minutes per cell-day, `pfc_slope_factor`).
The ETS figure is direct (fuel + anode + PFC, CO2 and CF4/C2F6 as CO2e); purchased electricity, which dominates
an aluminium smelter, is reported but not counted. Carbonate (limestone, soda) process emissions are not
modelled: the method does not take them, so they cannot be entered and silently dropped.
"""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.methods.common import fuel_refusals, measured, refuse, sector_block_refusals
from steward.carbon.methods.gbt32150 import energy_lines
from steward.carbon.request import CalculationRequest
from steward.carbon.trace import CO2_PER_C, Line, Origin, Result, TracedValue
from steward.factors.source import FactorSource

ID = "cn_aluminium"
VERSION = "CETS-AG-04.01-V01-2024 (环办气候函〔2024〕321号; structure to_verify)"
TITLE = "电解铝（铝冶炼）"
GRID_RULES = "ets_industry"
# [R] Global warming potentials as used by the Chinese aluminium guideline (IPCC SAR values, 100-year): recalled,
# to verify against CETS-AG-04.01-V01-2024 (AR5 would be 6630 and 11100).
GWP = {"CF4": Decimal("6500"), "C2F6": Decimal("9200")}
GWP_SOURCE = "IPCC SAR 100-year GWP (as recalled for the aluminium guideline)"
KG_PER_T = Decimal(1000)


def anode_co2(aluminium_t: Decimal, net_anode: Decimal, sulphur: Decimal, ash: Decimal) -> Decimal:
    """E_anode = P × NC × (1 − S − A) × 44/12."""
    return aluminium_t * net_anode * (1 - sulphur - ash) * CO2_PER_C


def pfc_co2e(aluminium_t: Decimal, cf4_kg_per_t: Decimal, c2f6_kg_per_t: Decimal) -> Decimal:
    """E_PFC = P × (EF_CF4 × GWP_CF4 + EF_C2F6 × GWP_C2F6) / 1000, tCO2e."""
    return aluminium_t * (cf4_kg_per_t * GWP["CF4"] + c2f6_kg_per_t * GWP["C2F6"]) / KG_PER_T


def pfc_slope_factor(slope: Decimal, anode_effect_minutes_per_cell_day: Decimal) -> Decimal:
    """EF_CF4 (kg/t Al) = slope ((kg CF4/t Al)/(AE-min/cell-day)) × anode-effect minutes per cell-day."""
    return slope * anode_effect_minutes_per_cell_day


def gwp(name: str) -> TracedValue:
    return TracedValue(f"GWP_{name}", GWP[name], "tCO2e/t", Origin.DEFAULT, GWP_SOURCE, status="to_verify",
                       reason="全球增温潜势，取指南规定值")  # fmt: skip


def check(request: CalculationRequest) -> None:
    errors = fuel_refusals(request)
    data = request.aluminium
    if data is None:
        errors["aluminium"] = [
            {"code": "required", "message": "电解铝方法需要原铝产量、阳极净耗及阳极效应排放因子"}
        ]
    elif None not in data.values() and data["anode_sulphur"].base + data["anode_ash"].base >= 1:
        errors["aluminium.anode_ash.value"] = [
            {"code": "out_of_range", "message": "阳极含硫量与灰分之和须小于 100%"}
        ]
    if request.clinker:
        errors["clinker"] = [{"code": "not_used_by_methodology", "message": "电解铝方法不含熟料生产过程排放"}]
    sector_block_refusals(request, errors)
    refuse(errors)


def anode_line(data: dict) -> Line:
    inputs = [
        measured("P_Al", data["output"], "t"),
        measured("NC", data["net_anode_consumption"], "fraction"),
        measured("S_a", data["anode_sulphur"], "fraction"),
        measured("A_a", data["anode_ash"], "fraction"),
    ]
    return Line(
        key="anode_consumption",
        label="炭阳极消耗",
        category="process",
        formula="E = P_Al × NC × (1 − S_a − A_a) × 44/12",
        inputs=inputs,
        tco2=anode_co2(*(value.value for value in inputs)),
    )


def pfc_line(data: dict) -> Line:
    output = measured("P_Al", data["output"], "t")
    cf4, c2f6 = (
        measured("EF_CF4", data["cf4_kg_per_t"], "kg/t"),
        measured("EF_C2F6", data["c2f6_kg_per_t"], "kg/t"),
    )
    return Line(
        key="anode_effect_pfc",
        label="阳极效应全氟化碳（CF4、C2F6）",
        category="process",
        formula="E = P_Al × (EF_CF4 × GWP_CF4 + EF_C2F6 × GWP_C2F6) / 1000",
        inputs=[output, cf4, gwp("CF4"), c2f6, gwp("C2F6")],
        tco2=pfc_co2e(output.value, cf4.value, c2f6.value),
    )


def compute(request: CalculationRequest, factors: FactorSource) -> Result:
    result = Result(ID, VERSION, request.year, request.month, factors.version)
    result.lines = energy_lines(request, factors, result.notes, GRID_RULES)
    result.lines += [anode_line(request.aluminium), pfc_line(request.aluminium)]
    return result
