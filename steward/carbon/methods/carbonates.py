"""Formulas the reporting-only sector methods share (平板玻璃, 化工, 造纸): carbonate decomposition, a carbon content
burnt or balanced, the non-CO2 gases as CO2e with their GWP, and the refusals and notes around them.

E_carbonate = M × PUR × EF × F          (GB/T 32151.7 / .10 structure [R])
    M the carbonate-bearing material consumed (t), PUR the carbonate's mass fraction in it, EF the stoichiometric
    factor (tCO2 per t of pure carbonate: 44.01/M; CaCO3 0.440, MgCO3 0.522, Na2CO3 0.415, CaMg(CO3)2 0.477 …),
    F the calcination fraction (the share actually decomposed).
Worked example: 10,000 t limestone × 0.95 CaCO3 × 0.440 × 1.0 = 4,180.00 tCO2.
"""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.methods.common import input_not_used, measured
from steward.carbon.request import CalculationRequest
from steward.carbon.sector_request import CARBONATES, CarbonateItem
from steward.carbon.trace import Line, Origin, TracedValue

ONE = Decimal(1)
KG_PER_T = Decimal(1000)
STOICHIOMETRY_SOURCE = "化学计量 44.01/M（IPCC 2006 第3卷 表2.1），按指南表列三位小数"
# [R] Global warming potentials (IPCC SAR, 100-year) as the Chinese 2013–2015 sector guidelines and GB/T 32151 are
# recalled to use: to verify against each guideline (AR5 would be 28 and 265).
GWP = {"CH4": Decimal("21"), "N2O": Decimal("310")}
GWP_SOURCE = "IPCC SAR 100-year GWP (as recalled for the Chinese sector guidelines)"


def carbonate_co2(mass_t: Decimal, purity: Decimal, factor: Decimal, calcination: Decimal) -> Decimal:
    """E = M × PUR × EF × F."""
    return mass_t * purity * factor * calcination


def stoichiometric_factor(carbonate: str) -> TracedValue:
    name, factor = CARBONATES[carbonate]
    return TracedValue(
        "EF_carbonate", Decimal(factor), "tCO2/t", Origin.DEFAULT, STOICHIOMETRY_SOURCE, status="to_verify",
        reason=f"{name}的化学计量排放因子",
    )  # fmt: skip


def fraction_or_default(name: str, quantity, reason: str) -> TracedValue:
    """A fraction as given, else 1 (conservative: all of it is carbonate / all of it decomposes)."""
    if quantity is not None:
        return measured(name, quantity, "fraction")
    return TracedValue(name, ONE, "fraction", Origin.DEFAULT, "保守取值", status="to_verify", reason=reason)


def carbonate_line(item: CarbonateItem, key: str) -> Line:
    name = CARBONATES[item.carbonate][0]
    inputs = [
        measured("M", item.quantity, "t"),
        fraction_or_default("PUR", item.purity, "未提供碳酸盐纯度，按 100% 计（保守）"),
        stoichiometric_factor(item.carbonate),
        fraction_or_default("F_calc", item.calcination_fraction, "未提供煅烧比例，按全部分解计（保守）"),
    ]
    return Line(
        key=f"{key}[{item.index}]",
        label=f"碳酸盐分解：{item.label or name}",
        category="process",
        formula="E = M × PUR × EF_carbonate × F_calc",
        inputs=inputs,
        tco2=carbonate_co2(*(value.value for value in inputs)),
    )


def gwp(gas: str) -> TracedValue:
    return TracedValue(f"GWP_{gas}", GWP[gas], "tCO2e/t", Origin.DEFAULT, GWP_SOURCE, status="to_verify",
                       reason="全球增温潜势，取指南规定值")  # fmt: skip


def foreign_inputs(request: CalculationRequest, errors: dict, title: str) -> None:
    """Figures of another process given to a reporting-sector method are refused, never dropped."""
    if request.clinker:
        errors["clinker"] = [
            {"code": "not_used_by_methodology", "message": f"{title}方法不含熟料生产过程排放"}
        ]
    if request.clinker_facility_electricity:
        errors["clinker_facility_electricity"] = [
            {"code": "not_used_by_methodology", "message": f"{title}方法没有熟料生产设施层级"}
        ]


def unused_notes(request: CalculationRequest, notes: list[dict], title: str) -> None:
    """Inputs the method takes but does not use: named in the warnings."""
    for key in request.outputs:
        input_not_used(notes, "outputs", f"outputs.{key}", f"{title}方法不计算该产出的排放强度，{key} 未使用")
    for fuel in request.fuels:
        if fuel.boundary != "clinker_facility":
            input_not_used(
                notes, f"fuel[{fuel.index}]", "boundary", f"{title}方法只有企业一个边界：该燃料计入直接排放"
            )
