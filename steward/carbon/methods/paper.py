"""Paper and paper products (造纸和纸制品生产), a reporting-only sector of the national market from 2026 (DOMAIN.md
§2.x, the 2026 notice [V-reprint]): the 2015 sector guideline 《中国造纸和纸制品生产企业温室气体排放核算方法与报告指南
（试行）》 (发改办气候〔2015〕1722号, recalled); its GB/T 32151 part number was not confirmed. The structure below is
recalled [R], to verify against the text; DOMAIN.md gives no paper formula.

E = E_fuel + E_process + E_wastewater + E_elec + E_heat
E_process    = Σ M × PUR × EF_CaCO3 × F           (limestone bought as make-up for the lime kiln; the CaCO3 of the
               lime mud from causticizing carries biogenic carbon from black liquor and is not counted, and sodium
               carbonate is not decomposed in causticizing: only CaCO3 is accepted)
E_wastewater = [(W × (COD_in − COD_out) − S) × B0 × MCF − R] × GWP_CH4 / 1000     (anaerobic treatment, tCO2e)
    W wastewater treated anaerobically (t, 1 t = 1 m³), COD_in/COD_out in kg/m³, S COD removed with the sludge
    (kg), B0 the maximum CH4 producing capacity (0.25 kg CH4/kg COD) and MCF the methane correction factor (0.5),
    both recalled defaults to_verify when not given, R the CH4 recovered (kg); GWP_CH4 21 (SAR, recalled).
Direct = fuel + process + wastewater CH4 (category `process`: not energy use); purchased electricity and heat are
reported as indirect. Biomass (black liquor, bark) is not a fossil fuel and is not entered as a fuel.

Worked example (tests/steward/carbon/test_sector_paper.py): limestone 2,000 t × 0.95 × 0.440 = 836.00 t;
wastewater 1,000,000 t × (3.0 − 0.3) kg/m³ = 2,700,000 kg COD, less 200,000 kg in sludge, × 0.25 × 0.5 =
312,500 kg CH4, less 12,500 kg recovered = 300,000 kg × 21 / 1000 = 6,300.00 tCO2e.
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
from steward.carbon.request import CalculationRequest
from steward.carbon.trace import Line, Origin, Result, TracedValue
from steward.factors.source import FactorSource

ID = "cn_paper"
VERSION = "造纸行业核算指南（2015，试行） (发改办气候〔2015〕1722号 recalled; GB/T 32151 part not confirmed; structure to_verify)"
TITLE = "造纸和纸制品生产"
GRID_RULES = "general"
PAPER_CARBONATES = {"CaCO3"}
DEFAULT_SOURCE = "造纸行业核算指南（2015，试行）推荐值（回忆，待核实）"
B0_DEFAULT = Decimal("0.25")  # kg CH4 per kg COD [R]
MCF_DEFAULT = Decimal("0.5")  # anaerobic treatment [R]


def wastewater_ch4_kg(
    volume_m3: Decimal, cod_in: Decimal, cod_out: Decimal, sludge_kg: Decimal, b0: Decimal, mcf: Decimal,
    recovered_kg: Decimal,
) -> Decimal:  # fmt: skip
    """CH4 (kg) = (W × (COD_in − COD_out) − S) × B0 × MCF − R."""
    return (volume_m3 * (cod_in - cod_out) - sludge_kg) * b0 * mcf - recovered_kg


def wastewater_co2e(ch4_kg: Decimal) -> Decimal:
    """E = CH4 × GWP_CH4 / 1000, tCO2e."""
    return ch4_kg * gwp("CH4").value / KG_PER_T


def _kg(name: str, quantity) -> TracedValue:
    note = f"录入 {quantity.value} {quantity.unit}"
    return TracedValue(name, quantity.base * KG_PER_T, "kg", Origin.MEASURED, reason=note)


def _zero(name: str, unit: str) -> TracedValue:
    return TracedValue(name, Decimal(0), unit, Origin.MEASURED, reason="未录入，按 0 计")


def _default(name: str, quantity, value: Decimal, unit: str, reason: str) -> TracedValue:
    if quantity is not None:
        return measured(name, quantity, "fraction")
    return TracedValue(name, value, unit, Origin.DEFAULT, DEFAULT_SOURCE, status="to_verify", reason=reason)


def wastewater_inputs(water: dict) -> list[TracedValue]:
    volume = water["volume"]
    return [
        TracedValue("W", volume.base, "m3", Origin.MEASURED,
                    reason="按 1 t = 1 m³ 计" + ("" if volume.unit == "t" else f"；录入 {volume.value} {volume.unit}")),
        measured("COD_in", water["cod_in"], "kg/m3"),
        measured("COD_out", water["cod_out"], "kg/m3"),
        _kg("S", water["sludge_cod"]) if "sludge_cod" in water else _zero("S", "kg"),
        _default("B0", water.get("b0"), B0_DEFAULT, "kgCH4/kgCOD", "未提供实测最大产甲烷能力，取推荐值"),
        _default("MCF", water.get("mcf"), MCF_DEFAULT, "fraction", "未提供甲烷修正因子，取厌氧处理推荐值"),
        _kg("R_CH4", water["ch4_recovered"]) if "ch4_recovered" in water else _zero("R_CH4", "kg"),
    ]  # fmt: skip


def wastewater_line(water: dict) -> Line:
    inputs = wastewater_inputs(water)
    ch4 = wastewater_ch4_kg(*(value.value for value in inputs))
    return Line(
        key="paper.wastewater",
        label="废水厌氧处理甲烷（CH4）",
        category="process",
        formula="E = [(W × (COD_in − COD_out) − S) × B0 × MCF − R_CH4] × GWP_CH4 / 1000",
        inputs=[*inputs, gwp("CH4")],
        tco2=wastewater_co2e(ch4),
    )


def check(request: CalculationRequest) -> None:
    """Outlet COD above inlet COD, sludge COD above the COD removed, or more CH4 recovered than generated would
    give negative emissions: refused with the field. Carbonates other than CaCO3 are refused."""
    errors = fuel_refusals(request)
    foreign_inputs(request, errors, TITLE)
    paper = request.paper or {}
    for item in paper.get("carbonates", ()):
        if item.carbonate not in PAPER_CARBONATES:
            errors[f"paper.carbonates[{item.index}].carbonate"] = [
                {
                    "code": "not_used_by_methodology",
                    "message": "造纸方法只计石灰窑外购补充的碳酸钙（CaCO3）：苛化中的纯碱不分解，白泥中的碳来自黑液（生物质）",
                }
            ]
    water = paper.get("wastewater")
    if water:
        inputs = {value.name: value.value for value in wastewater_inputs(water)}
        removed = inputs["W"] * (inputs["COD_in"] - inputs["COD_out"])
        if inputs["COD_out"] > inputs["COD_in"]:
            errors["paper.wastewater.cod_out.value"] = [
                {"code": "exceeds_total", "message": "出口 COD 浓度不能高于进口 COD 浓度"}
            ]
        elif inputs["S"] > removed:
            errors["paper.wastewater.sludge_cod.value"] = [
                {"code": "exceeds_total", "message": "随污泥去除的 COD 不能多于厌氧处理去除的 COD 总量"}
            ]
        elif inputs["R_CH4"] > (removed - inputs["S"]) * inputs["B0"] * inputs["MCF"]:
            errors["paper.wastewater.ch4_recovered.value"] = [
                {"code": "exceeds_total", "message": "回收的甲烷不能多于厌氧处理产生的甲烷"}
            ]
    sector_block_refusals(request, errors)
    refuse(errors)


def compute(request: CalculationRequest, factors: FactorSource) -> Result:
    result = Result(ID, VERSION, request.year, request.month, factors.version)
    result.lines = energy_lines(request, factors, result.notes, GRID_RULES)
    paper = request.paper or {"carbonates": (), "wastewater": None}
    result.lines += [carbonate_line(item, "paper.carbonates") for item in paper["carbonates"]]
    if paper["wastewater"]:
        result.lines.append(wastewater_line(paper["wastewater"]))
    if not paper["carbonates"] and not paper["wastewater"]:
        result.notes.append(
            {
                "code": "process_data_missing",
                "line": "paper",
                "parameter": "paper",
                "message": "未录入石灰窑补充碳酸钙或废水厌氧处理：过程排放和废水甲烷未计入（无此类工序的企业可忽略）",
            }
        )
    unused_notes(request, result.notes, TITLE)
    return result
