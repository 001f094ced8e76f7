"""Steel, electrolytic aluminium, flat glass, chemicals and paper: a month from the enterprise's records (each
sector's monthly parameter set, steward/carbon/parameter_sets.py) to its direct figure with the full trace.

No electricity records: the hand-worked figures do not depend on the data year's grid factor. The demo's
chemical-fibre plant (dq-fibre, no carbon records) stands in for the steel, aluminium, glass and chemicals plants by
taking their industry class for the test; the paper mill (nth-paper, division 22) is itself."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from steward.carbon import accounting, services
from steward.carbon.selectors import methodology_for, month_request
from steward.carbon.services import ParameterInput
from steward.demo.period import last_month
from tenants.models import Enterprise, Industry, User

pytestmark = pytest.mark.django_db
# Three years back, a year neither the demo nor the browser tests file (test_cement_month_records.py).
YEAR, MONTH = last_month()[0] - 3, 5


@pytest.fixture
def plant():
    """`plant(industry)`: the stand-in enterprise in that industry class, inside its schema, with its filer."""
    opened = []

    def make(code: str, name: str, slug: str = "dq-fibre", filer: str = "fibre.filer"):
        industry, _ = Industry.objects.get_or_create(code=code, defaults={"name_zh": name})
        enterprise = Enterprise.objects.get(slug=slug)
        enterprise.industry = industry
        enterprise.save(update_fields=["industry"])
        context = schema_context(enterprise.schema_name)
        context.__enter__()
        opened.append(context)
        return enterprise, User.objects.get(username=filer)

    yield make
    for context in opened:
        context.__exit__(None, None, None)


def _source(facility, code, name, kind, unit="t", fuel_code=""):
    return services.add_source(
        facility=facility, code=code, name=name, kind=kind, unit=unit, fuel_code=fuel_code
    )


def _enter(source, quantity, *parameters, filer, unit="t"):
    return services.enter_activity(
        source=source,
        year=YEAR,
        month=MONTH,
        quantity=Decimal(quantity),
        unit=unit,
        data_source="production_metering",
        parameters=[ParameterInput(name, Decimal(value), u) for name, value, u in parameters],
        by=filer,
    ).record


def _lines(run) -> dict[str, dict]:
    return {line["label"]: line for line in run.result["lines"]}


def test_an_aluminium_month_from_records(plant):
    """Electrolysis 30,000 t Al, net anode 410 kg/t, S 2 %, ash 0.5 %, CF4 0.04 and C2F6 0.004 kg/t:

    anode   30,000 × 0.41 × (1 − 0.02 − 0.005) × 44/12          = 43,972.50 tCO2
    PFC     30,000 × (0.04 × 6500 + 0.004 × 9200) / 1000        =  8,904.00 tCO2e
    diesel  100 t × C_ar 86 % × OF 98 % × 44/12                 =    309.03 tCO2
    direct                                                        53,185.53 tCO2e
    """
    enterprise, filer = plant("3216", "铝冶炼")
    assert methodology_for(enterprise) == "cn_aluminium"
    potline = services.add_facility(code="AL1", name="400kA 电解系列", kind="electrolysis")
    cells = _source(potline, "AL1-EL", "电解槽系列一", "aluminium_electrolysis")
    diesel = _source(potline, "AL1-DSL", "柴油", "fuel_combustion", fuel_code="diesel")
    _enter(
        cells,
        "30000",
        ("net_anode_consumption", "410", "kg/t"),
        ("anode_sulphur", "2", "%"),
        ("anode_ash", "0.5", "%"),
        ("cf4_emission_factor", "0.04", "kg/t"),
        ("c2f6_emission_factor", "0.004", "kg/t"),
        filer=filer,
    )
    _enter(diesel, "100", ("carbon_content_ar", "86", "%"), ("oxidation_rate", "98", "%"), filer=filer)
    request = month_request(year=YEAR, month=MONTH, methodology="cn_aluminium")
    assert request["aluminium"]["net_anode_consumption"] == {"value": "410", "unit": "kg/t"}
    run = accounting.compute_month(enterprise=enterprise, year=YEAR, month=MONTH, by=filer)
    lines = {line["key"]: line for line in run.result["lines"]}
    assert lines["anode_consumption"]["tco2"] == "43972.50"
    nc = next(i for i in lines["anode_consumption"]["inputs"] if i["name"] == "NC")
    assert nc["value"] == "0.41" and nc["unit"] == "fraction" and "410 kg/t" in nc["reason"]
    assert lines["anode_effect_pfc"]["tco2"] == "8904.00"
    assert run.result["direct_tco2"] == "53185.53"


def test_an_aluminium_month_without_its_pfc_factors_is_refused_naming_the_field(plant):
    enterprise, filer = plant("3216", "铝冶炼")
    potline = services.add_facility(code="AL1", name="400kA 电解系列", kind="electrolysis")
    cells = _source(potline, "AL1-EL", "电解槽系列一", "aluminium_electrolysis")
    _enter(
        cells,
        "30000",
        ("net_anode_consumption", "410", "kg/t"),
        ("anode_sulphur", "2", "%"),
        ("anode_ash", "0.5", "%"),
        filer=filer,
    )
    with pytest.raises(ValidationError) as refused:
        accounting.compute_month(enterprise=enterprise, year=YEAR, month=MONTH, by=filer)
    assert any(message.startswith("aluminium.cf4_kg_per_t") for message in refused.value.messages)


def test_a_steel_month_from_records_by_process(plant):
    """Carbon balance per process (the facility's kind names the process):

    烧结  limestone     50,000 t × 11.5 % × 44/12   = 21,083.33 tCO2
    炼钢  pig iron      10,000 t ×  4.2 % × 44/12   =  1,540.00 tCO2
    炼钢  dolomite       5,000 t × 12.5 % × 44/12   =  2,291.67 tCO2
    炼钢  crude steel −200,000 t ×  0.2 % × 44/12   = −1,466.67 tCO2 (carbon fixed)
    direct  (5,750 + 420 + 625 − 400) tC × 44/12  = 23,448.33 tCO2
    """
    enterprise, filer = plant("3120", "炼钢")
    assert methodology_for(enterprise) == "cn_steel"
    sinter = services.add_facility(code="S1", name="1号烧结机", kind="sintering")
    converter = services.add_facility(code="BOF1", name="1号转炉", kind="steelmaking_furnace")
    records = (
        (_source(sinter, "S1-LS", "石灰石", "carbon_input"), "50000", "11.5"),
        (_source(converter, "BOF1-PI", "外购生铁", "carbon_input"), "10000", "4.2"),
        (_source(converter, "BOF1-DOL", "白云石", "carbon_input"), "5000", "12.5"),
        (_source(converter, "BOF1-CS", "粗钢", "carbon_output"), "200000", "0.2"),
    )
    for source, quantity, carbon in records:
        _enter(source, quantity, ("carbon_content", carbon, "%"), filer=filer)
    request = month_request(year=YEAR, month=MONTH, methodology="cn_steel")
    assert {item["process"] for item in request["steel"]["inputs"]} == {"sintering", "steelmaking"}
    run = accounting.compute_month(enterprise=enterprise, year=YEAR, month=MONTH, by=filer)
    lines = _lines(run)
    assert lines["烧结：石灰石"]["tco2"] == "21083.33"
    assert lines["炼钢：外购生铁"]["tco2"] == "1540.00"
    assert lines["炼钢：白云石"]["tco2"] == "2291.67"
    assert lines["炼钢：粗钢（固碳扣减）"]["tco2"] == "-1466.67"
    assert run.result["direct_tco2"] == "23448.33"
    assert "steel_process_missing" not in {note["code"] for note in run.result["warnings"]}


def test_a_flat_glass_month_from_records(plant):
    """Batch carbonates, one request item per carbonate content of a material, and carbon powder:

    soda ash   2,000 t × Na2CO3 99 % × 0.415                 =   821.70 tCO2
    dolomite   1,500 t × CaMg(CO3)2 98 % × 0.477             =   701.19 tCO2
    limestone    500 t × CaCO3 95 % × 0.440 × calcined 98 %  =   204.82 tCO2
                 500 t × MgCO3  2 % × 0.522 × calcined 98 %  =     5.12 tCO2
    carbon powder  10 t × 85 % × 44/12                       =    31.17 tCO2
    process (direct, no fuel entered)                          1,763.99 tCO2
    """
    enterprise, filer = plant("3041", "平板玻璃制造")
    furnace = services.add_facility(code="F1", name="600t/d 浮法玻璃熔窑", kind="furnace")
    soda = _source(furnace, "F1-SODA", "纯碱", "carbonate_use")
    dolomite = _source(furnace, "F1-DOL", "白云石", "carbonate_use")
    limestone = _source(furnace, "F1-LS", "石灰石", "carbonate_use")
    powder = _source(furnace, "F1-CP", "碳粉", "carbon_input")
    _enter(soda, "2000", ("na2co3_content", "99", "%"), filer=filer)
    _enter(dolomite, "1500", ("dolomite_content", "98", "%"), filer=filer)
    _enter(
        limestone,
        "500",
        ("caco3_content", "95", "%"),
        ("mgco3_content", "2", "%"),
        ("calcination_fraction", "98", "%"),
        filer=filer,
    )
    _enter(powder, "10", ("carbon_content", "85", "%"), filer=filer)
    run = accounting.compute_month(enterprise=enterprise, year=YEAR, month=MONTH, by=filer)
    lines = _lines(run)
    assert lines["碳酸盐分解：纯碱（Na2CO3）"]["tco2"] == "821.70"
    assert lines["碳酸盐分解：白云石（CaMg(CO3)2）"]["tco2"] == "701.19"
    assert lines["碳酸盐分解：石灰石（CaCO3）"]["tco2"] == "204.82"
    assert lines["碳酸盐分解：石灰石（MgCO3）"]["tco2"] == "5.12"
    assert lines["配料碳粉氧化"]["tco2"] == "31.17"
    assert run.result["direct_tco2"] == "1763.99"
    assert "process_data_missing" not in {note["code"] for note in run.result["warnings"]}


def test_a_glass_month_with_fuels_only_still_says_its_process_data_are_missing(plant):
    enterprise, filer = plant("3041", "平板玻璃制造")
    furnace = services.add_facility(code="F1", name="600t/d 浮法玻璃熔窑", kind="furnace")
    diesel = _source(furnace, "F1-DSL", "柴油", "fuel_combustion", fuel_code="diesel")
    _enter(diesel, "100", ("carbon_content_ar", "86", "%"), ("oxidation_rate", "98", "%"), filer=filer)
    run = accounting.compute_month(enterprise=enterprise, year=YEAR, month=MONTH, by=filer)
    assert "process_data_missing" in {note["code"] for note in run.result["warnings"]}
    assert run.result["direct_tco2"] == "309.03"


def test_a_chemicals_month_from_records(plant):
    """Feedstock carbon balance, carbonates and nitric-acid N2O:

    naphtha in        5,000 t × 84 %   × 44/12                      =  15,400.00 tCO2
    ethylene out     −3,000 t × 85.7 % × 44/12                      =  −9,427.00 tCO2
    tar (waste) out    −100 t × 90 %   × 44/12                      =    −330.00 tCO2
    limestone           100 t × CaCO3 90 % × 0.440                  =      39.60 tCO2
    nitric acid      10,000 t × 8 kg/t × (1 − 0.9 × 0.95) / 1000 × 310 = 3,596.00 tCO2e
    direct                                                             9,278.60 tCO2e
    """
    enterprise, filer = plant("2614", "有机化学原料制造")
    assert methodology_for(enterprise) == "cn_chemicals"
    cracker = services.add_facility(code="C1", name="乙烯裂解装置", kind="furnace")
    acid = services.add_facility(code="N1", name="硝酸装置", kind="other")
    _enter(
        _source(cracker, "C1-NAP", "石脑油", "carbon_input"),
        "5000",
        ("carbon_content", "84", "%"),
        filer=filer,
    )
    _enter(
        _source(cracker, "C1-ETH", "乙烯", "carbon_output"),
        "3000",
        ("carbon_content", "85.7", "%"),
        filer=filer,
    )
    _enter(
        _source(cracker, "C1-TAR", "焦油", "carbon_waste"), "100", ("carbon_content", "90", "%"), filer=filer
    )
    _enter(
        _source(cracker, "C1-LS", "石灰石", "carbonate_use"), "100", ("caco3_content", "90", "%"), filer=filer
    )
    _enter(
        _source(acid, "N1-HNO3", "稀硝酸", "nitric_acid_process"),
        "10000",
        ("n2o_factor", "8", "kg/t"),
        ("abatement_efficiency", "90", "%"),
        ("abatement_use", "95", "%"),
        filer=filer,
    )
    run = accounting.compute_month(enterprise=enterprise, year=YEAR, month=MONTH, by=filer)
    lines = {line["key"]: line for line in run.result["lines"]}
    assert lines["chemicals.inputs[0]"]["tco2"] == "15400.00"
    assert lines["chemicals.outputs[0]"]["tco2"] == "-9427.00"
    assert lines["chemicals.outputs[1]"]["label"] == "含碳废物：焦油（碳平衡扣减）"
    assert lines["chemicals.outputs[1]"]["tco2"] == "-330.00"
    assert lines["chemicals.carbonates[0]"]["tco2"] == "39.60"
    assert lines["chemicals.nitric_acid[0]"]["tco2"] == "3596.00"
    assert run.result["direct_tco2"] == "9278.60"


def test_chemical_products_carrying_more_carbon_than_the_feedstock_are_refused(plant):
    enterprise, filer = plant("2614", "有机化学原料制造")
    cracker = services.add_facility(code="C1", name="乙烯裂解装置", kind="furnace")
    _enter(
        _source(cracker, "C1-NAP", "石脑油", "carbon_input"),
        "1000",
        ("carbon_content", "84", "%"),
        filer=filer,
    )
    _enter(
        _source(cracker, "C1-ETH", "乙烯", "carbon_output"),
        "3000",
        ("carbon_content", "85.7", "%"),
        filer=filer,
    )
    with pytest.raises(ValidationError) as refused:
        accounting.compute_month(enterprise=enterprise, year=YEAR, month=MONTH, by=filer)
    assert "产品和废物带出的碳多于原料投入的碳" in " ".join(refused.value.messages)


def test_a_paper_month_from_records(plant):
    """Lime-kiln make-up limestone and anaerobic wastewater (B0 and MCF not measured: the recalled defaults):

    limestone   200 t × CaCO3 95 % × 0.440                                   =  83.60 tCO2
    wastewater  [(100,000 m³ × (3.0 − 0.3) kg/m³ − 20,000 kg) × 0.25 × 0.5 − 1,250 kg] CH4
                = 30,000 kg CH4 × 21 / 1000                                  = 630.00 tCO2e
    direct                                                                     713.60 tCO2e
    """
    enterprise, filer = plant("2221", "机制纸及纸板制造", slug="nth-paper", filer="paper.filer")
    assert methodology_for(enterprise) == "cn_paper"
    kiln = services.add_facility(code="LK1", name="碱回收石灰窑", kind="furnace")
    plant_ww = services.add_facility(code="WW1", name="污水处理站", kind="other")
    _enter(
        _source(kiln, "LK1-LS", "外购石灰石", "carbonate_use"),
        "200",
        ("caco3_content", "95", "%"),
        filer=filer,
    )
    _enter(
        _source(plant_ww, "WW1-AN", "厌氧反应器", "anaerobic_wastewater"),
        "100000",
        ("cod_in", "3.0", "kg/m3"),
        ("cod_out", "0.3", "kg/m3"),
        ("sludge_cod", "20000", "kg"),
        ("ch4_recovered", "1250", "kg"),
        filer=filer,
    )
    run = accounting.compute_month(enterprise=enterprise, year=YEAR, month=MONTH, by=filer)
    lines = {line["key"]: line for line in run.result["lines"]}
    assert lines["paper.carbonates[0]"]["tco2"] == "83.60"
    assert lines["paper.wastewater"]["tco2"] == "630.00"
    origins = {i["name"]: i["origin"] for i in lines["paper.wastewater"]["inputs"]}
    assert origins["B0"] == "default" and origins["COD_in"] == "measured"
    assert run.result["direct_tco2"] == "713.60"


def test_a_paper_limestone_without_its_caco3_content_counts_as_pure(plant):
    """200 t × 1 (conservative, to verify) × 0.440 = 88.00 tCO2."""
    enterprise, filer = plant("2221", "机制纸及纸板制造", slug="nth-paper", filer="paper.filer")
    kiln = services.add_facility(code="LK1", name="碱回收石灰窑", kind="furnace")
    _enter(_source(kiln, "LK1-LS", "外购石灰石", "carbonate_use"), "200", filer=filer)
    run = accounting.compute_month(enterprise=enterprise, year=YEAR, month=MONTH, by=filer)
    line = next(line for line in run.result["lines"] if line["key"] == "paper.carbonates[0]")
    assert line["tco2"] == "88.00"
    assert {i["name"]: i["origin"] for i in line["inputs"]}["PUR"] == "default"


def test_a_carbon_content_above_100_percent_is_refused_at_entry(plant):
    _, filer = plant("3120", "炼钢")
    converter = services.add_facility(code="BOF1", name="1号转炉", kind="steelmaking_furnace")
    source = _source(converter, "BOF1-PI", "外购生铁", "carbon_input")
    with pytest.raises(ValidationError) as refused:
        _enter(source, "10000", ("carbon_content", "104", "%"), filer=filer)
    assert "carbon_content" in refused.value.error_dict


def test_a_process_parameter_on_another_kind_of_source_is_refused(plant):
    _, filer = plant("2221", "机制纸及纸板制造", slug="nth-paper", filer="paper.filer")
    boiler = services.add_facility(code="B7", name="燃煤锅炉", kind="boiler")
    coal = _source(boiler, "B7-COAL", "烟煤", "fuel_combustion", fuel_code="bituminous_coal")
    with pytest.raises(ValidationError) as refused:
        _enter(coal, "100", ("cod_in", "3", "kg/m3"), filer=filer)
    assert refused.value.error_dict["cod_in"][0].code == "not_for_this_source"


def test_the_workspace_api_takes_a_steel_material_with_its_carbon_content(plant, user_client):
    import json

    enterprise, _ = plant("3120", "炼钢")
    converter = services.add_facility(code="BOF1", name="1号转炉", kind="steelmaking_furnace")
    _source(converter, "BOF1-PI", "外购生铁", "carbon_input")
    client = user_client("fibre.filer")
    body = {
        "source": "BOF1-PI",
        "year": YEAR,
        "month": MONTH,
        "quantity": "10000",
        "unit": "t",
        "data_source": "production_metering",
        "parameters": [{"name": "carbon_content", "value": "4.2", "unit": "%"}],
    }
    created = client.post("/e/dq-fibre/api/v1/activity/", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["parameters"] == [{"name": "carbon_content", "value": "4.20000000", "unit": "%"}]
    wrong = {**body, "month": MONTH - 1, "parameters": [{"name": "cod_in", "value": "3", "unit": "kg/m3"}]}
    refused = client.post("/e/dq-fibre/api/v1/activity/", json.dumps(wrong), content_type="application/json")
    assert refused.status_code == 400 and "not_for_this_source" in refused.content.decode()
    request = month_request(year=YEAR, month=MONTH, methodology="cn_steel")
    assert request["steel"]["inputs"] == [
        {
            "material": "外购生铁",
            "quantity": {"value": "10000", "unit": "t"},
            "carbon_content": {"value": "4.2", "unit": "%"},
            "process": "steelmaking",
        }
    ]


def test_two_potlines_are_one_block_that_keeps_their_emissions(plant):
    """Series one as above (43,972.50 + 8,904.00 t); series two 10,000 t, 430 kg/t, S 1.5 %, ash 0.5 %, CF4 0.06 and
    C2F6 0.006 kg/t: anode 10,000 × 0.43 × 0.98 × 44/12 = 15,451.33 t, PFC 10,000 × (0.39 + 0.0552) = 4,452.00 t.
    One block: 40,000 t at NC 415 kg/t (output-weighted), S and ash weighted by anode consumed:
    anode 59,423.83 t, PFC 13,356.00 tCO2e (the sums of the two series)."""
    enterprise, filer = plant("3216", "铝冶炼")
    potline = services.add_facility(code="AL1", name="电解系列", kind="electrolysis")
    for code, quantity, anode, sulphur, cf4, c2f6 in (
        ("AL1-EL", "30000", "410", "2", "0.04", "0.004"),
        ("AL2-EL", "10000", "430", "1.5", "0.06", "0.006"),
    ):
        _enter(
            _source(potline, code, code, "aluminium_electrolysis"),
            quantity,
            ("net_anode_consumption", anode, "kg/t"),
            ("anode_sulphur", sulphur, "%"),
            ("anode_ash", "0.5", "%"),
            ("cf4_emission_factor", cf4, "kg/t"),
            ("c2f6_emission_factor", c2f6, "kg/t"),
            filer=filer,
        )
    block = month_request(year=YEAR, month=MONTH, methodology="cn_aluminium")["aluminium"]
    assert block["output"] == {"value": "40000", "unit": "t"}
    assert block["net_anode_consumption"] == {"value": "415", "unit": "kg/t"}
    run = accounting.compute_month(enterprise=enterprise, year=YEAR, month=MONTH, by=filer)
    lines = {line["key"]: line for line in run.result["lines"]}
    assert lines["anode_consumption"]["tco2"] == "59423.83"  # 43,972.50 + 15,451.33
    assert lines["anode_effect_pfc"]["tco2"] == "13356.00"  # 8,904.00 + 4,452.00


def test_two_anaerobic_treatments_on_the_same_factors_are_one_block(plant):
    """100,000 m³ at 3.0 → 0.3 kg/m³ and 50,000 m³ at 2.0 → 0.2 kg/m³, no sludge or recovery, B0 and MCF the
    defaults: (270,000 + 90,000) kg COD × 0.25 × 0.5 = 45,000 kg CH4 × 21 / 1000 = 945.00 tCO2e."""
    enterprise, filer = plant("2221", "机制纸及纸板制造", slug="nth-paper", filer="paper.filer")
    works = services.add_facility(code="WW1", name="污水处理站", kind="other")
    for code, volume, cod_in, cod_out in (
        ("WW1-AN", "100000", "3.0", "0.3"),
        ("WW2-AN", "50000", "2.0", "0.2"),
    ):
        _enter(
            _source(works, code, code, "anaerobic_wastewater"),
            volume,
            ("cod_in", cod_in, "kg/m3"),
            ("cod_out", cod_out, "kg/m3"),
            filer=filer,
        )
    run = accounting.compute_month(enterprise=enterprise, year=YEAR, month=MONTH, by=filer)
    line = next(line for line in run.result["lines"] if line["key"] == "paper.wastewater")
    assert line["tco2"] == "945.00"
    assert {i["name"]: i["value"] for i in line["inputs"]}["W"] == "150000"


def test_the_rule_pack_reads_an_aluminium_month_from_its_records(plant):
    """CF4 factor left out (DQ-C15), 600 kg/t net anode consumption (DQ-P15, outside 350–550), a sulphur figure
    without its lab report (DQ-E01, as for every sector)."""
    from steward.quality.pack import check_month
    from steward.quality.selectors import month_context

    enterprise, filer = plant("3216", "铝冶炼")
    potline = services.add_facility(code="AL1", name="400kA 电解系列", kind="electrolysis")
    cells = _source(potline, "AL1-EL", "电解槽系列一", "aluminium_electrolysis")
    _enter(
        cells,
        "30000",
        ("net_anode_consumption", "600", "kg/t"),
        ("anode_sulphur", "2", "%"),
        ("anode_ash", "0.5", "%"),
        ("c2f6_emission_factor", "0.004", "kg/t"),
        filer=filer,
    )
    findings = {f.rule_id: f for f in check_month(month_context(enterprise, YEAR, MONTH))}
    assert findings["DQ-C15"].item == "AL1-EL" and "CF4排放因子" in findings["DQ-C15"].message
    assert "600 kg/t" in findings["DQ-P15"].message
    assert "阳极含硫量" in findings["DQ-E01"].message
