"""Chemicals (化工生产), a reporting-only sector of the national market from 2026 (DOMAIN.md §2.x, the 2026 notice
[V-reprint]): GB/T 32151.10-2015 《温室气体排放核算与报告要求 第10部分：化工生产企业》 and the 2013 sector guideline.
The structure below is recalled [R], to verify against the text; DOMAIN.md gives no chemical formula.

E = E_fuel + E_feedstock + E_carbonate + E_N2O + E_elec + E_heat
E_feedstock = [Σ_r AD_r × CC_r − (Σ_p AD_p × CC_p + Σ_w AD_w × CC_w)] × 44/12
    carbon mass balance of fossil fuels and hydrocarbons used as raw materials (r), minus the carbon leaving in
    carbon-bearing products (p) and wastes (w); each item is a line (outputs negative). Solids and liquids in t
    with a mass fraction of carbon, gases in 10^4 Nm3 with tC/10^4 Nm3. More carbon out than in
    is impossible inside the boundary (a feedstock booked as fuel, or a missing input): refused, never netted.
E_carbonate = Σ M × PUR × EF × F (steward/carbon/methods/carbonates.py)
E_N2O       = Σ P × EF_N2O × (1 − η × μ) / 1000 × GWP_N2O     (nitric acid and adipic acid production)
    P production (t), EF_N2O the N2O generation factor of the plant's technology (kg N2O per t, the enterprise's
    figure: no technology table is shipped), η the abatement's removal efficiency and μ its use rate (given
    together; without them no abatement is credited); GWP_N2O 310 (SAR, recalled, to_verify).
Not modelled: the deduction of CO2 recovered and supplied outside (the method does not take it, so it cannot be
entered and dropped). Direct = fuel + feedstock + carbonates + N2O; purchased electricity and heat are indirect.

Worked example (tests/steward/carbon/test_sector_chemicals.py): naphtha 50,000 t × 0.84 = 42,000 tC in; ethylene
products 30,000 t × 0.857 = 25,710 tC and tar 1,000 t × 0.90 = 900 tC out → (42,000 − 26,610) × 44/12 =
56,430.00 t; nitric acid 100,000 t × 8 kg/t × (1 − 0.9 × 0.95) / 1000 × 310 = 35,960.00 tCO2e.
"""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.methods.carbonates import (
    KG_PER_T,
    carbonate_line,
    foreign_inputs,
    gwp,
    unused_notes,
)
from steward.carbon.methods.common import fuel_refusals, measured, refuse, sector_block_refusals
from steward.carbon.methods.gbt32150 import energy_lines
from steward.carbon.request import GAS_UNIT, CalculationRequest
from steward.carbon.sector_request import OUTPUT_KINDS, MaterialItem, N2OItem
from steward.carbon.trace import CO2_PER_C, Line, Result
from steward.carbon.units import DIMENSIONS
from steward.factors.source import FactorSource

ID = "cn_chemicals"
VERSION = "GB/T 32151.10-2015 (化工生产企业; structure to_verify)"
TITLE = "化工生产"
GRID_RULES = "general"
N2O_PROCESSES = {"nitric_acid": ("硝酸生产", "P_HNO3"), "adipic_acid": ("己二酸生产", "P_adipic")}
SUBSCRIPTS = {"product": "p", "waste": "w"}
GAS_UNITS = frozenset(DIMENSIONS["gas_volume"].factors)


def feedstock_co2(inputs: list[tuple[Decimal, Decimal]], outputs: list[tuple[Decimal, Decimal]]) -> Decimal:
    """E = [Σ AD_r × CC_r − Σ AD_out × CC_out] × 44/12 (outputs: products and wastes)."""
    return (carbon_mass(inputs) - carbon_mass(outputs)) * CO2_PER_C


def carbon_mass(items: list[tuple[Decimal, Decimal]]) -> Decimal:
    return sum((quantity * content for quantity, content in items), Decimal(0))


def n2o_co2e(production_t: Decimal, factor_kg_per_t: Decimal, efficiency: Decimal, use: Decimal) -> Decimal:
    """E = P × EF_N2O × (1 − η × μ) / 1000 × GWP_N2O, tCO2e."""
    return production_t * factor_kg_per_t * (1 - efficiency * use) / KG_PER_T * gwp("N2O").value


def material_line(item: MaterialItem, side: str) -> Line:
    sub = "r" if side == "inputs" else SUBSCRIPTS[item.kind]
    gas = item.quantity.unit in GAS_UNITS
    quantity = measured(f"AD_{sub}", item.quantity, GAS_UNIT if gas else "t")
    carbon = measured(f"CC_{sub}", item.carbon_content, f"tC/{GAS_UNIT}" if gas else "fraction")
    tco2 = quantity.value * carbon.value * CO2_PER_C
    name = item.label or item.material
    if side == "inputs":
        return Line(f"chemicals.inputs[{item.index}]", f"原料碳：{name}", "process",
                    "E = AD_r × CC_r × 44/12", [quantity, carbon], tco2)  # fmt: skip
    return Line(f"chemicals.outputs[{item.index}]", f"{OUTPUT_KINDS[item.kind]}：{name}（碳平衡扣减）", "process",
                f"E = −(AD_{sub} × CC_{sub} × 44/12)", [quantity, carbon], -tco2)  # fmt: skip


def n2o_line(item: N2OItem, process: str) -> Line:
    label, production_name = N2O_PROCESSES[process]
    inputs = [measured(production_name, item.production, "t"), measured("EF_N2O", item.n2o_factor, "kg/t")]
    formula = f"E = {production_name} × EF_N2O / 1000 × GWP_N2O"
    abatement = Decimal(0)
    if item.abatement_efficiency is not None:
        efficiency = measured("eta", item.abatement_efficiency, "fraction")
        use = measured("mu", item.abatement_use, "fraction")
        inputs += [efficiency, use]
        abatement = efficiency.value * use.value
        formula = f"E = {production_name} × EF_N2O × (1 − eta × mu) / 1000 × GWP_N2O"
    inputs.append(gwp("N2O"))
    return Line(
        key=f"chemicals.{process}[{item.index}]",
        label=f"{label}氧化亚氮（N2O）" + (f"：{item.label}" if item.label else ""),
        category="process",
        formula=formula,
        inputs=inputs,
        tco2=n2o_co2e(inputs[0].value, inputs[1].value, abatement, Decimal(1)),
    )


def check(request: CalculationRequest) -> None:
    """More carbon leaving in products and wastes than entering with the raw materials is refused (the balance
    would be negative); an abatement efficiency without its use rate, or the reverse, too."""
    errors = fuel_refusals(request)
    foreign_inputs(request, errors, TITLE)
    chemicals = request.chemicals or {}
    carbon_in = carbon_mass([(i.quantity.base, i.carbon_content.base) for i in chemicals.get("inputs", ())])
    carbon_out = carbon_mass([(i.quantity.base, i.carbon_content.base) for i in chemicals.get("outputs", ())])
    if carbon_out > carbon_in:
        errors["chemicals.outputs"] = [
            {
                "code": "exceeds_total",
                "message": "产品和废物带出的碳多于原料投入的碳：请核对是否漏填原料，或把用作原料的燃料记成了燃烧",
            }
        ]
    for process in N2O_PROCESSES:
        for item in chemicals.get(process, ()):
            if (item.abatement_efficiency is None) != (item.abatement_use is None):
                missing = "abatement_use" if item.abatement_use is None else "abatement_efficiency"
                errors[f"chemicals.{process}[{item.index}].{missing}"] = [
                    {"code": "required", "message": "N2O 尾气处理须同时提供去除效率和使用率"}
                ]
    sector_block_refusals(request, errors)
    refuse(errors)


def compute(request: CalculationRequest, factors: FactorSource) -> Result:
    result = Result(ID, VERSION, request.year, request.month, factors.version)
    result.lines = energy_lines(request, factors, result.notes, GRID_RULES)
    chemicals = request.chemicals or {}
    result.lines += [material_line(item, "inputs") for item in chemicals.get("inputs", ())]
    result.lines += [material_line(item, "outputs") for item in chemicals.get("outputs", ())]
    result.lines += [carbonate_line(item, "chemicals.carbonates") for item in chemicals.get("carbonates", ())]
    for process in N2O_PROCESSES:
        result.lines += [n2o_line(item, process) for item in chemicals.get(process, ())]
    if not any(chemicals.get(key) for key in ("inputs", "carbonates", "nitric_acid", "adipic_acid")):
        result.notes.append(
            {
                "code": "process_data_missing",
                "line": "chemicals",
                "parameter": "chemicals",
                "message": "未录入原料碳平衡、碳酸盐使用或硝酸/己二酸生产：工业生产过程排放未计入",
            }
        )
    unused_notes(request, result.notes, TITLE)
    return result
