"""Each rule of the pack: a month that passes everything, and for every rule a change that makes it fire."""

import datetime
import re
from dataclasses import replace
from decimal import Decimal as D

import pytest
from django.utils import translation

from steward.quality.context import (
    BillInfo,
    LabReportInfo,
    MeterInfo,
    MonthContext,
    ParameterValue,
    SourceMonth,
    StockBalance,
)
from steward.quality.pack import check_month, pack_version
from steward.quality.registry import RULES

REPORT = LabReportInfo(
    "HZ-2026-0315", "CMA", "201912345678", datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), True
)
METER = MeterInfo("入炉煤皮带秤", "BS-01", datetime.date(2025, 6, 1), datetime.date(2026, 6, 1))


def lab(name: str, value: str, report=REPORT) -> ParameterValue:
    return ParameterValue(name, D(value), report)


COAL = SourceMonth(
    code="U1-COAL",
    name="1号机组入炉烟煤",
    kind="fuel_combustion",
    fuel_code="bituminous_coal",
    quantity=D(120000),
    data_source="production_metering",
    parameters={
        p.name: p
        for p in [
            lab("carbon_content_ar", "0.55"),
            lab("ncv", "20.5"),
            lab("hydrogen_ad", "0.036"),
            lab("sulphur_ad", "0.006"),
            lab("moisture_ar", "0.12"),
            ParameterValue("oxidation_rate", D("0.99")),
        ]
    },
    meters=(METER,),
    planned_methods={"carbon_content_ar": "measured", "ncv": "measured"},
    previous_quantity=D(115000),
    last_year_quantity=D(118000),
    last_year_data_source="production_metering",
    stock=StockBalance(D(30000), D(118000), D(28000)),  # 30000 + 118000 − 28000 = 120000 t burnt
)
GRID = SourceMonth(
    code="GRID",
    name="外购电力",
    kind="purchased_electricity",
    quantity=D(800),
    data_source="settlement_voucher",
    previous_quantity=D(790),
    last_year_quantity=D(820),
    last_year_data_source="settlement_voucher",
    bill=BillInfo("GD-2026-03-0457", D(800), True),
)
# 120000 t × 0.55 × 0.99 × 44/12 = 239580 ; + 800 MWh × 0.5703 = 456.24 → 240036.24 tCO2
POWER_MONTH = MonthContext(
    year=2026,
    month=3,
    methodology="cn_ets_power_2022",
    sources=(COAL, GRID),
    outputs={"electricity_generated": D(300000), "electricity_supplied": D(282000), "running_hours": D(700)},
    result={"total_tco2": "240036.24", "warnings": []},
    deadline=datetime.date(2026, 5, 10),
    checked_on=datetime.date(2026, 4, 10),
)
CLINKER = SourceMonth(
    code="K1-CLK",
    name="熟料煅烧",
    kind="clinker_process",
    quantity=D(148000),
    data_source="production_metering",
    parameters={
        p.name: p
        for p in [
            lab("clinker_cao", "0.652"),
            lab("clinker_mgo", "0.024"),
            lab("noncarbonate_cao", "0.008"),
            lab("noncarbonate_mgo", "0"),
            ParameterValue("kiln_dust", D(2200)),
            ParameterValue("bypass_dust", D(400)),
            ParameterValue("raw_meal", D(229400)),  # 1.55 t per t clinker
            lab("raw_meal_carbon", "0.0018"),
        ]
    },
    previous_quantity=D(150000),
    recent_quantities=(D(150000), D(146000), D(152000)),
)
CEMENT_GRID = replace(
    GRID,
    parameters={"clinker_facility_electricity": ParameterValue("clinker_facility_electricity", D(700))},
)
KILN_COAL = replace(
    COAL,
    code="K1-COAL",
    name="窑头窑尾烟煤",
    quantity=D(19800),
    previous_quantity=D(19500),
    last_year_quantity=D(19900),
    planned_methods={"ncv": "measured"},
    parameters={"ncv": lab("ncv", "22.1")},
    stock=StockBalance(D(5000), D(19500), D(4700)),
)
CEMENT_MONTH = replace(
    POWER_MONTH,
    methodology="cn_cement_clinker",
    sources=(KILN_COAL, CLINKER, CEMENT_GRID),
    outputs={"clinker_output": D(148000)},
    result={"total_tco2": "78229.51", "warnings": []},
)


def coal(**changes) -> tuple:
    return (replace(COAL, **changes), GRID)


def with_parameters(source: SourceMonth, **values) -> SourceMonth:
    parameters = dict(source.parameters)
    for name, value in values.items():
        if value is None:
            parameters.pop(name)
        else:
            parameters[name] = value
    return replace(source, parameters=parameters)


def month(**changes) -> MonthContext:
    return replace(POWER_MONTH, **changes)


def cement(
    clinker: SourceMonth = CLINKER, grid: SourceMonth = CEMENT_GRID, coal: SourceMonth = KILN_COAL, **changes
):
    """The clean cement month with one of its sources (or its outputs) changed."""
    return replace(CEMENT_MONTH, sources=(coal, clinker, grid), **changes)


# The cement parameter set's rules (steward/quality/rules/cement.py), each with a month that makes it fire.
CEMENT_FAILING = {
    "DQ-C09": cement(clinker=replace(GRID, code="SITE-GRID", name="办公区用电")),
    "DQ-C10": cement(with_parameters(CLINKER, noncarbonate_mgo=None)),
    "DQ-C11": cement(with_parameters(CLINKER, raw_meal_carbon=None)),
    "DQ-C12": cement(with_parameters(CLINKER, raw_meal=None, raw_meal_carbon=None)),
    "DQ-C13": cement(grid=GRID),
    "DQ-C14": cement(coal=with_parameters(KILN_COAL, ncv=None)),
    "DQ-K06": cement(with_parameters(CLINKER, noncarbonate_cao=lab("noncarbonate_cao", "0.70"))),
    "DQ-K07": cement(
        grid=with_parameters(
            CEMENT_GRID,
            clinker_facility_electricity=ParameterValue("clinker_facility_electricity", D(801)),
        )
    ),
    "DQ-K08": cement(outputs={"clinker_output": D(150000)}),
    "DQ-P10": cement(with_parameters(CLINKER, clinker_mgo=lab("clinker_mgo", "0.062"))),
    "DQ-P11": cement(with_parameters(CLINKER, raw_meal=ParameterValue("raw_meal", D(200000)))),
    "DQ-P12": cement(with_parameters(CLINKER, raw_meal_carbon=lab("raw_meal_carbon", "0.015"))),
    "DQ-P13": cement(with_parameters(CLINKER, kiln_dust=ParameterValue("kiln_dust", D(9000)))),
    "DQ-P14": cement(replace(CLINKER, recent_quantities=(D(100000), D(95000), D(105000)))),
}


# The other sectors' parameter sets (steward/quality/rules/sectors.py): a clean month of each, and the changes
# that make each rule fire.
def process(code: str, kind: str, quantity, *parameters: ParameterValue) -> SourceMonth:
    return SourceMonth(
        code=code,
        name=code,
        kind=kind,
        quantity=D(quantity),
        data_source="production_metering",
        parameters={p.name: p for p in parameters},
    )


POTLINE = process(
    "AL1-EL",
    "aluminium_electrolysis",
    30000,
    ParameterValue("net_anode_consumption", D(410)),
    lab("anode_sulphur", "0.02"),
    lab("anode_ash", "0.005"),
    ParameterValue("cf4_emission_factor", D("0.04")),
    ParameterValue("c2f6_emission_factor", D("0.004")),
)
PIG_IRON = process("BOF1-PI", "carbon_input", 10000, lab("carbon_content", "0.042"))
CRUDE_STEEL = process("BOF1-CS", "carbon_output", 200000, lab("carbon_content", "0.002"))  # 400 tC < 420 tC
LIMESTONE = process("F1-LS", "carbonate_use", 500, lab("caco3_content", "0.95"), lab("mgco3_content", "0.02"))
NAPHTHA = process("C1-NAP", "carbon_input", 5000, lab("carbon_content", "0.84"))
ETHYLENE = process("C1-ETH", "carbon_output", 3000, lab("carbon_content", "0.857"))
NITRIC = process(
    "N1-HNO3",
    "nitric_acid_process",
    10000,
    ParameterValue("n2o_factor", D(8)),
    ParameterValue("abatement_efficiency", D("0.9")),
    ParameterValue("abatement_use", D("0.95")),
)
WASTEWATER = process("WW1-AN", "anaerobic_wastewater", 100000, lab("cod_in", "3.0"), lab("cod_out", "0.3"))
SECTOR_MONTHS = {
    "cn_aluminium": (POTLINE,),
    "cn_steel": (PIG_IRON, CRUDE_STEEL),
    "cn_flat_glass": (LIMESTONE,),
    "cn_chemicals": (NAPHTHA, ETHYLENE, LIMESTONE, NITRIC),
    "cn_paper": (replace(LIMESTONE, parameters={"caco3_content": lab("caco3_content", "0.95")}), WASTEWATER),
}


def sector(methodology: str, *sources: SourceMonth) -> MonthContext:
    """The clean month of a sector, or that month with the given sources instead."""
    return replace(
        POWER_MONTH, methodology=methodology, sources=sources or SECTOR_MONTHS[methodology], outputs={}
    )


SECTOR_FAILING = {
    "DQ-C15": sector("cn_aluminium", with_parameters(POTLINE, cf4_emission_factor=None)),
    "DQ-C16": sector("cn_flat_glass", with_parameters(LIMESTONE, caco3_content=None, mgco3_content=None)),
    "DQ-K09": sector("cn_flat_glass", with_parameters(LIMESTONE, mgco3_content=lab("mgco3_content", "0.06"))),
    "DQ-K10": sector("cn_aluminium", with_parameters(POTLINE, anode_ash=lab("anode_ash", "0.98"))),
    "DQ-K11": sector("cn_chemicals", replace(NAPHTHA, quantity=D(1000)), ETHYLENE),
    "DQ-K12": sector("cn_paper", with_parameters(WASTEWATER, cod_out=lab("cod_out", "3.5"))),
    "DQ-K13": sector("cn_chemicals", with_parameters(NITRIC, abatement_use=None)),
    "DQ-K14": sector("cn_steel", replace(PIG_IRON, quantity=D(5000)), CRUDE_STEEL),
    "DQ-P15": sector(
        "cn_aluminium",
        with_parameters(POTLINE, net_anode_consumption=ParameterValue("net_anode_consumption", D(600))),
    ),
    "DQ-K15": sector(
        "cn_paper",
        WASTEWATER,
        replace(
            WASTEWATER,
            code="WW2-AN",
            parameters={
                **WASTEWATER.parameters,
                "methane_correction": ParameterValue("methane_correction", D("0.8")),
            },
        ),
    ),
}
# Beside each, a near case that must not fire.
SECTOR_PASSING = {
    "DQ-C15": sector("cn_steel", PIG_IRON),
    "DQ-C16": sector("cn_paper", with_parameters(LIMESTONE, caco3_content=None, mgco3_content=None)),  # pure
    "DQ-K09": sector("cn_flat_glass", with_parameters(LIMESTONE, mgco3_content=lab("mgco3_content", "0.05"))),
    "DQ-K10": sector("cn_aluminium", with_parameters(POTLINE, anode_ash=lab("anode_ash", "0.97"))),
    "DQ-K11": sector("cn_chemicals", replace(NAPHTHA, quantity=D("3060.75")), ETHYLENE),  # 2,571.03 tC in
    "DQ-K12": sector("cn_paper", with_parameters(WASTEWATER, cod_out=lab("cod_out", "3.0"))),
    "DQ-K13": sector("cn_chemicals", with_parameters(NITRIC, abatement_use=None, abatement_efficiency=None)),
    "DQ-K14": sector("cn_steel", replace(PIG_IRON, quantity=D("9523.81")), CRUDE_STEEL),  # 400.00002 tC in
    "DQ-P15": sector(
        "cn_aluminium",
        with_parameters(POTLINE, net_anode_consumption=ParameterValue("net_anode_consumption", D(550))),
    ),
    "DQ-K15": sector("cn_paper", WASTEWATER, replace(WASTEWATER, code="WW2-AN")),  # both on the defaults
}


FAILING = {
    "DQ-C01": month(sources=coal(quantity=None)),
    "DQ-C02": month(sources=(with_parameters(COAL, carbon_content_ar=None), GRID)),
    "DQ-C03": month(sources=(with_parameters(COAL, ncv=None), GRID)),
    "DQ-C04": month(sources=(with_parameters(COAL, hydrogen_ad=None), GRID)),
    "DQ-C05": month(outputs={"electricity_generated": D(300000), "running_hours": D(700)}),
    "DQ-C06": month(outputs={"electricity_generated": D(300000), "electricity_supplied": D(282000)}),
    "DQ-C07": cement(with_parameters(CLINKER, clinker_mgo=None)),
    "DQ-C08": month(sources=(COAL, GRID, replace(GRID, code="B2", name="备用锅炉", kind="fuel_combustion"))),
    "DQ-E01": month(sources=(with_parameters(COAL, ncv=ParameterValue("ncv", D("20.5"))), GRID)),
    "DQ-E02": month(
        sources=(
            with_parameters(COAL, ncv=lab("ncv", "20.5", replace(REPORT, accreditation_number=" "))),
            GRID,
        )
    ),
    "DQ-E03": month(
        sources=(
            with_parameters(
                COAL, ncv=lab("ncv", "20.5", replace(REPORT, sampling_end=datetime.date(2026, 3, 20)))
            ),
            GRID,
        )
    ),
    "DQ-E04": month(
        sources=(with_parameters(COAL, ncv=lab("ncv", "20.5", replace(REPORT, evidence_intact=False))), GRID)
    ),
    "DQ-E05": month(sources=(COAL, replace(GRID, data_source="inventory_ledger", last_year_data_source=""))),
    "DQ-K01": month(outputs={**POWER_MONTH.outputs, "electricity_supplied": D(300001)}),
    "DQ-K02": month(outputs={**POWER_MONTH.outputs, "electricity_generated": D(282500)}),
    "DQ-K03": month(sources=(COAL, replace(GRID, last_year_data_source="production_metering"))),
    "DQ-K04": month(result=None),
    "DQ-M01": month(sources=(with_parameters(COAL, ncv=None), GRID)),
    "DQ-M02": month(sources=coal(meters=(replace(METER, calibration_due_on=datetime.date(2026, 3, 15)),))),
    "DQ-M03": month(
        result={
            "total_tco2": "240036.24",
            "warnings": [{"code": "default_used", "line": "fuel[0]", "message": "烟煤：CC 使用缺省值"}],
        }
    ),
    "DQ-M04": month(sources=coal(data_source="inventory_ledger", last_year_data_source="inventory_ledger")),
    "DQ-P01": month(
        sources=(with_parameters(COAL, carbon_content_ar=lab("carbon_content_ar", "0.45")), GRID)
    ),
    "DQ-P02": month(
        sources=(with_parameters(COAL, carbon_content_ar=lab("carbon_content_ar", "0.30")), GRID)
    ),
    "DQ-P03": month(sources=(with_parameters(COAL, ncv=lab("ncv", "35")), GRID)),
    "DQ-P04": month(
        sources=(with_parameters(COAL, oxidation_rate=ParameterValue("oxidation_rate", D("0.85"))), GRID)
    ),
    "DQ-P05": month(result={"total_tco2": "100000", "warnings": []}),
    "DQ-P06": month(
        outputs={**POWER_MONTH.outputs, "electricity_generated": D(420000), "electricity_supplied": D(400000)}
    ),
    "DQ-P07": month(sources=coal(previous_quantity=D(80000))),
    "DQ-P08": month(sources=coal(last_year_quantity=D(160000))),
    "DQ-P09": cement(with_parameters(CLINKER, clinker_cao=lab("clinker_cao", "0.55"))),
    **CEMENT_FAILING,
    **SECTOR_FAILING,
    "DQ-K05": month(sources=coal(stock=StockBalance(D(30000), D(100000), D(28000)))),  # 102000 t: −15 %
    "DQ-E06": month(sources=(COAL, replace(GRID, bill=BillInfo("GD-2026-03-0457", D(760), True)))),
    "DQ-T01": month(checked_on=datetime.date(2026, 5, 20)),
    "DQ-T02": month(checked_on=datetime.date(2026, 3, 20)),
}


def fired(context: MonthContext) -> set[str]:
    return {finding.rule_id for finding in check_month(context)}


def test_the_pack_has_at_least_25_rules_each_tested_here():
    assert len(RULES) >= 25
    assert set(FAILING) == set(RULES)
    assert pack_version() == "HZ-DQ-2026.4"


@pytest.mark.parametrize("context", [POWER_MONTH, CEMENT_MONTH], ids=["power", "cement"])
def test_a_clean_month_has_no_findings(context):
    assert check_month(context) == []


@pytest.mark.parametrize("methodology", sorted(SECTOR_MONTHS))
def test_a_clean_sector_month_has_no_findings(methodology):
    assert check_month(sector(methodology)) == []


@pytest.mark.parametrize("rule_id", sorted(SECTOR_PASSING))
def test_a_sector_rule_stays_quiet_on_its_near_case(rule_id):
    assert rule_id not in fired(SECTOR_PASSING[rule_id])


def test_a_sector_rule_names_the_source_and_figures():
    (missing,) = _findings("DQ-C15", SECTOR_FAILING["DQ-C15"])
    assert missing.severity == "blocking" and missing.item == "AL1-EL" and "CF4排放因子" in missing.message
    (balance,) = _findings("DQ-K11", SECTOR_FAILING["DQ-K11"])
    assert "2,571.00 t" in balance.message and "840.00 t" in balance.message  # 3,000 × 0.857 vs 1,000 × 0.84
    (steel,) = _findings("DQ-K14", SECTOR_FAILING["DQ-K14"])
    assert steel.severity == "warning" and "400.00 t" in steel.message and "210.00 t" in steel.message


@pytest.mark.parametrize("rule_id", sorted(FAILING))
def test_rule_fires_on_its_failing_case(rule_id):
    assert rule_id in fired(FAILING[rule_id])


# What the cases name in Chinese as people typed it (sources, meters): it stays as written on an English page.
TYPED_NAMES = re.compile("1号机组入炉烟煤|窑头窑尾烟煤|熟料煅烧|外购电力|备用锅炉|入炉煤皮带秤")


@pytest.mark.parametrize("rule_id", sorted(FAILING))
def test_every_finding_reads_in_english_and_keeps_its_chinese_record(rule_id):
    """The finding keeps the Chinese sentence as its record and renders in the reader's language from the
    catalogue entry and values it stored: in Chinese the same sentence, in English no Chinese but the names."""
    findings = [f for f in check_month(FAILING[rule_id]) if f.rule_id == rule_id]
    assert findings
    with translation.override("en"):  # the record does not depend on the language of the page that checked
        assert [f.message for f in check_month(FAILING[rule_id]) if f.rule_id == rule_id] == [
            f.message for f in findings
        ]
        english = [(f.display_message, f.display_clause) for f in findings]
    with translation.override("zh-hans"):
        assert [(f.display_message, f.display_clause) for f in findings] == [
            (f.message, f.clause) for f in findings
        ]
    for message, clause in english:
        assert not re.search(r"[\u4e00-\u9fff]", TYPED_NAMES.sub("", message + clause)), (message, clause)


def test_findings_carry_severity_category_item_and_clause():
    findings = check_month(FAILING["DQ-E03"])
    finding = next(f for f in findings if f.rule_id == "DQ-E03")
    assert finding.severity == "blocking" and finding.category == "evidence" and finding.item == "U1-COAL"
    assert "HZ-2026-0315" in finding.message and "CMA" in check_month(FAILING["DQ-E02"])[0].clause


def test_blocking_findings_come_first():
    findings = check_month(
        month(sources=coal(quantity=None, previous_quantity=None), checked_on=datetime.date(2026, 5, 20))
    )
    severities = [finding.severity for finding in findings]
    assert severities == sorted(severities, key=["blocking", "warning", "info"].index)


def test_power_rules_do_not_apply_to_cement():
    cement_without_power_outputs = replace(CEMENT_MONTH, outputs={})
    assert not {"DQ-C05", "DQ-C06", "DQ-K01"} & fired(cement_without_power_outputs)


def _findings(rule_id: str, context: MonthContext) -> list:
    return [finding for finding in check_month(context) if finding.rule_id == rule_id]


def test_coal_mass_balance_within_its_tolerance_passes_and_outside_it_warns():
    assert RULES["DQ-K05"].parameters == {"tolerance": D("0.02")}
    within = month(sources=coal(stock=StockBalance(D(30000), D(116000), D(28000))))  # 118000 t: 1.7 % off
    assert _findings("DQ-K05", within) == []
    (outside,) = _findings("DQ-K05", FAILING["DQ-K05"])
    assert outside.severity == "warning" and outside.item == "U1-COAL"
    assert "102,000.00" in outside.message and "15.0%" in outside.message
    assert _findings("DQ-K05", month(sources=coal(stock=None))) == []  # no ledger entered: nothing to balance


def test_purchased_electricity_must_match_the_attached_grid_bill():
    assert _findings("DQ-E06", POWER_MONTH) == []
    within = month(sources=(COAL, replace(GRID, bill=BillInfo("GD-1", D("803"), True))))  # 0.37 %
    assert _findings("DQ-E06", within) == []
    (mismatch,) = _findings("DQ-E06", FAILING["DQ-E06"])
    assert (
        mismatch.severity == "blocking"
        and "GD-2026-03-0457" in mismatch.message
        and "760" in mismatch.message
    )
    (missing,) = _findings("DQ-E06", month(sources=(COAL, replace(GRID, bill=None))))
    assert "未附电网结算单" in missing.message
    metered = month(sources=(COAL, replace(GRID, bill=None, data_source="production_metering")))
    assert _findings("DQ-E06", metered) == []  # DQ-E05 asks for the bill as the source instead


# The cement rules: beside each failing case above, a near case that must not fire.
CEMENT_PASSING = {
    "DQ-C09": cement(),  # a clinker line registered (its missing figure is DQ-C01's)
    "DQ-C10": cement(
        with_parameters(
            CLINKER,
            noncarbonate_cao=ParameterValue("noncarbonate_cao", D(0)),
            noncarbonate_mgo=ParameterValue("noncarbonate_mgo", D(0)),
        )
    ),
    "DQ-C11": cement(with_parameters(CLINKER, raw_meal=None, raw_meal_carbon=None)),  # neither: DQ-C12
    "DQ-C12": cement(),
    "DQ-C13": cement(grid=replace(CEMENT_GRID, quantity=None)),
    "DQ-C14": cement(coal=replace(with_parameters(KILN_COAL, ncv=None), quantity=None)),  # no figure yet
    "DQ-K06": cement(with_parameters(CLINKER, noncarbonate_cao=lab("noncarbonate_cao", "0.652"))),  # equal
    "DQ-K07": cement(
        grid=with_parameters(
            CEMENT_GRID,
            clinker_facility_electricity=ParameterValue("clinker_facility_electricity", D(800)),
        )
    ),
    "DQ-K08": cement(outputs={"clinker_output": D(148500)}),  # 0.34 %
    "DQ-P10": cement(with_parameters(CLINKER, clinker_mgo=lab("clinker_mgo", "0.05"))),
    "DQ-P11": cement(with_parameters(CLINKER, raw_meal=ParameterValue("raw_meal", D(251600)))),  # 1.70
    "DQ-P12": cement(with_parameters(CLINKER, raw_meal_carbon=lab("raw_meal_carbon", "0.01"))),
    "DQ-P13": cement(with_parameters(CLINKER, kiln_dust=ParameterValue("kiln_dust", D(7000)))),  # 4.9 %
    "DQ-P14": cement(replace(CLINKER, recent_quantities=(D(120000),))),  # +23.3 % against one month
}


@pytest.mark.parametrize("rule_id", sorted(CEMENT_FAILING))
def test_cement_rule_fires_and_its_near_case_does_not(rule_id):
    assert rule_id in fired(CEMENT_FAILING[rule_id])
    assert rule_id not in fired(CEMENT_PASSING[rule_id])


def test_cement_rules_never_fire_on_a_power_month():
    broken_power = month(sources=coal(quantity=None), outputs={}, result=None)
    assert not set(CEMENT_FAILING) & fired(broken_power)


def test_power_rules_stay_silent_on_a_cement_month_that_lacks_power_data():
    """Outputs, heat rate, station use, C_ar/NCV, furnace coal and the lab cross-check are power rules: a cement
    month without generation, with an inventory-ledger coal and a lab report without hydrogen fires none."""
    power_only = {
        rule_id for rule_id, rule in RULES.items() if rule.methodologies == frozenset({"cn_ets_power_2022"})
    }
    assert {"DQ-C02", "DQ-C03", "DQ-C04", "DQ-C05", "DQ-C06", "DQ-K01", "DQ-M04", "DQ-P05"} <= power_only
    odd = cement(
        coal=replace(KILN_COAL, data_source="inventory_ledger", last_year_data_source="inventory_ledger"),
        outputs={"clinker_output": D(148000)},
        result={"total_tco2": "1", "warnings": []},
    )
    assert not power_only & fired(odd)


def test_noncarbonate_above_total_is_blocking_and_names_both_contents():
    (finding,) = _findings("DQ-K06", CEMENT_FAILING["DQ-K06"])
    assert finding.severity == "blocking" and finding.item == "K1-CLK"
    assert "70.0%" in finding.message and "65.2%" in finding.message


def test_clinker_output_against_the_last_three_months_names_their_mean():
    (finding,) = _findings("DQ-P14", CEMENT_FAILING["DQ-P14"])
    assert "100,000.00 t" in finding.message and "48.0%" in finding.message and finding.severity == "warning"


def test_heating_value_without_its_lab_report_is_blocking_on_a_cement_month():
    unreported = cement(coal=with_parameters(KILN_COAL, ncv=ParameterValue("ncv", D("22.1"))))
    (finding,) = _findings("DQ-E01", unreported)
    assert finding.item == "K1-COAL" and finding.severity == "blocking" and "低位发热量" in finding.message
    assert _findings("DQ-E01", CEMENT_MONTH) == []
