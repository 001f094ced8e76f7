"""Cement clinker production (水泥熟料生产) in the national market from 2024: 《企业温室气体排放核算与报告指南
水泥熟料生产》CETS-AG-02.01-V01-2024 (环办气候函〔2024〕321号). Structure [R] (DOMAIN.md §2.2, §2.x), figures
in the trace; reported at two levels side by side:

- 熟料生产设施 (clinker facility): the kiln system's fuels, the clinker process and purchased electricity of
  the facility;
- 企业层级 (enterprise): every fuel, process and purchased electricity and heat of the enterprise.

The ETS figure is the facility's direct emissions: fuel combustion + clinker process + raw-meal non-fuel carbon.
Purchased electricity and heat are reported but not counted (Result.direct_tco2 is the ETS figure).

E_process = (Q_clinker + Q_kiln_dust + Q_bypass_dust) × [(CaO − CaO_nc) × 44/56 + (MgO − MgO_nc) × 44/40]
    contents as mass fractions of clinker, "nc" the part not from carbonates (carbide slag, steel slag …); the dust
    leaving the kiln system is counted at the clinker's composition (2013 guideline and GB/T 32151.8 structure [R]).
E_raw_meal = Q_raw_meal × C_raw_meal × 44/12 (non-fuel carbon of the raw meal, measured: no default is assumed).
A plant with several clinker lines (kilns) sums them, each line's composition applied to its own clinker, dust
and raw meal (one process line per kiln in the trace); the intensity divides by the clinker of every line.
"""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.methods.common import fuel_refusals, measured, refuse, sector_block_refusals
from steward.carbon.methods.gbt32150 import energy_lines
from steward.carbon.request import CalculationRequest, ClinkerLine, Quantity
from steward.carbon.trace import CO2_PER_C, Intensity, Line, Origin, Result, TracedValue

ID = "cn_cement_clinker"
VERSION = "CETS-AG-02.01-V01-2024 (环办气候函〔2024〕321号; structure to_verify)"
TITLE = "水泥熟料生产"
GRID_RULES = "ets_industry"
FACILITY = "clinker_facility"
ENTERPRISE = "enterprise"
CO2_PER_CAO = Decimal(44) / Decimal(56)
CO2_PER_MGO = Decimal(44) / Decimal(40)


def clinker_process_co2(
    clinker_t: Decimal, cao: Decimal, mgo: Decimal, cao_noncarbonate: Decimal, mgo_noncarbonate: Decimal
) -> Decimal:
    """E_process = Q × [(CaO − CaO_nc) × 44/56 + (MgO − MgO_nc) × 44/40]; Q includes the kiln dust."""
    return clinker_t * ((cao - cao_noncarbonate) * CO2_PER_CAO + (mgo - mgo_noncarbonate) * CO2_PER_MGO)


def raw_meal_co2(raw_meal_t: Decimal, non_fuel_carbon: Decimal) -> Decimal:
    """E = Q_raw × C_raw × 44/12."""
    return raw_meal_t * non_fuel_carbon * CO2_PER_C


def _line_key(key: str, clinker: ClinkerLine, several: bool) -> str:
    """One line: the key as it always was; several kilns: one key per kiln (`clinker_process[1]`)."""
    return f"{key}[{clinker.path.removeprefix('clinker[').removesuffix(']')}]" if several else key


def _line_label(label: str, clinker: ClinkerLine, several: bool) -> str:
    return f"{label}：{clinker.label}" if several and clinker.label else label


def process_line(clinker: ClinkerLine, *, several: bool = False) -> Line:
    """One kiln's clinker process, at its own clinker's composition."""
    quantities = [measured("Q_clinker", clinker["output"], "t")] + [
        measured(name, clinker[key], "t")
        for name, key in (("Q_kiln_dust", "kiln_dust"), ("Q_bypass_dust", "bypass_dust"))
        if key in clinker
    ]
    contents = [
        measured(name, clinker[key], "fraction")
        for name, key in (
            ("CaO", "cao"),
            ("MgO", "mgo"),
            ("CaO_nc", "cao_noncarbonate"),
            ("MgO_nc", "mgo_noncarbonate"),
        )
    ]
    mass = sum((value.value for value in quantities), Decimal(0))
    q = " + ".join(value.name for value in quantities)
    return Line(
        key=_line_key("clinker_process", clinker, several),
        label=_line_label("熟料生产过程（碳酸盐分解，含窑头粉尘和旁路放风粉尘）", clinker, several),
        category="process",
        formula=f"E = ({q}) × [(CaO − CaO_nc) × 44/56 + (MgO − MgO_nc) × 44/40]",
        inputs=quantities + contents,
        tco2=clinker_process_co2(mass, *(value.value for value in contents)),
        boundary=FACILITY,
    )


def raw_meal_line(clinker: ClinkerLine, *, several: bool = False) -> Line:
    raw = measured("Q_raw_meal", clinker["raw_meal"], "t")
    carbon = measured("C_raw_meal", clinker["raw_meal_carbon"], "fraction")
    return Line(
        key=_line_key("raw_meal_carbon", clinker, several),
        label=_line_label("生料中非燃料碳煅烧", clinker, several),
        category="process",
        formula="E = Q_raw_meal × C_raw_meal × 44/12",
        inputs=[raw, carbon],
        tco2=raw_meal_co2(raw.value, carbon.value),
        boundary=FACILITY,
    )


def check(request: CalculationRequest) -> None:
    """Impossible clinker figures are refused with their field: a non-carbonate part above the total content
    would make the process emissions negative."""
    errors = fuel_refusals(request)
    for clinker in request.clinker or ():
        values = clinker.values
        for total, part, label in (("cao", "cao_noncarbonate", "CaO"), ("mgo", "mgo_noncarbonate", "MgO")):
            if values.get(total) and values.get(part) and values[part].base > values[total].base:
                errors[f"{clinker.path}.{part}.value"] = [
                    {
                        "code": "exceeds_total",
                        "message": f"非碳酸盐来源的 {label} 不能高于熟料中 {label} 总含量",
                    }
                ]
        if ("raw_meal" in clinker) != ("raw_meal_carbon" in clinker):
            missing = "raw_meal_carbon" if "raw_meal" in clinker else "raw_meal"
            errors[f"{clinker.path}.{missing}"] = [
                {"code": "required", "message": "生料非燃料碳排放需要生料量和生料非燃料碳含量两项"}
            ]
    facility_mwh = request.clinker_facility_electricity
    total_mwh = request.purchased_electricity
    if facility_mwh and (total_mwh is None or facility_mwh.base > total_mwh.base):
        errors["clinker_facility_electricity.value"] = [
            {"code": "exceeds_total", "message": "熟料生产设施用电不能超过企业净购入电力"}
        ]
    sector_block_refusals(request, errors)
    refuse(errors)


def split_electricity(result: Result, request: CalculationRequest) -> None:
    """The purchased-electricity line split into the facility's part and the rest of the enterprise."""
    line = next((line for line in result.lines if line.key == "purchased_electricity"), None)
    if line is None:
        return
    facility = request.clinker_facility_electricity
    if facility is None:
        result.notes.append(
            {
                "code": "facility_electricity_missing",
                "line": "purchased_electricity",
                "parameter": "clinker_facility_electricity",
                "message": "未单独录入熟料生产设施用电：购入电力只计入企业层级",
            }
        )
        return
    factor = line.inputs[1]
    facility_ad = measured("AD", facility, "MWh")
    rest = line.inputs[0].value - facility_ad.value
    line.inputs[0] = measured("AD", Quantity(rest, "MWh", rest), "MWh")
    line.tco2 = rest * factor.value
    line.label = "净购入电力（熟料生产设施以外）"
    result.lines.append(
        Line(
            key="purchased_electricity_clinker",
            label="净购入电力（熟料生产设施）",
            category="purchased_electricity",
            formula="E = AD × EF_grid",
            inputs=[facility_ad, factor],
            tco2=facility_ad.value * factor.value,
            boundary=FACILITY,
        )
    )


def compute(request: CalculationRequest, factors) -> Result:
    result = Result(ID, VERSION, request.year, request.month, factors.version)
    result.lines = energy_lines(request, factors, result.notes, GRID_RULES)
    for line, fuel in zip(result.lines, request.fuels, strict=False):
        line.boundary = FACILITY if fuel.boundary == FACILITY else ENTERPRISE
    for line in result.lines[len(request.fuels) :]:
        line.boundary = ENTERPRISE
    split_electricity(result, request)
    clinker_lines = request.clinker or ()
    several = len(clinker_lines) > 1
    for clinker in clinker_lines:  # each kiln at its own clinker's composition (Σ over the lines)
        result.lines.append(process_line(clinker, several=several))
        if "raw_meal" in clinker:
            result.lines.append(raw_meal_line(clinker, several=several))
        else:
            note = {
                "code": "raw_meal_carbon_missing",
                "line": _line_key("raw_meal_carbon", clinker, several),
                "parameter": "raw_meal_carbon",
                "message": "未录入生料量及生料非燃料碳含量：生料中非燃料碳煅烧排放未计入",
            }
            if several and clinker.label:  # which kiln: "2号窑：未录入…"
                note["message"] = f"{clinker.label}：{note['message']}"
            result.notes.append(note)
    result.boundaries = {FACILITY: "熟料生产设施", ENTERPRISE: "企业层级"}
    clinker_t = sum((clinker["output"].base for clinker in clinker_lines), Decimal(0))
    if clinker_t:
        facility_direct = result.boundary_figures(FACILITY)["direct_tco2"]
        result.intensities.append(
            Intensity(
                "熟料单位产品碳排放（设施直接排放）",
                facility_direct / clinker_t,
                "tCO2/t",
                facility_direct,
                clinker_output(clinker_lines),
            )
        )
    return result


def clinker_output(clinker_lines: tuple[ClinkerLine, ...]) -> TracedValue:
    """The intensity's denominator: the clinker of every line (Σ Q_clinker; one line: as entered)."""
    if len(clinker_lines) == 1:
        return measured("clinker_output", clinker_lines[0]["output"], "t")
    total = sum((clinker["output"].base for clinker in clinker_lines), Decimal(0))
    return TracedValue(
        "clinker_output",
        total,
        "t",
        Origin.MEASURED,
        reason="Σ Q_clinker",
    )
