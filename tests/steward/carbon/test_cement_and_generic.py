"""Cement clinker (CETS-AG-02.01-V01-2024 structure) and the generic method: worked examples per formula."""

from decimal import Decimal

import pytest

from steward.carbon.calculator import CalculationInputError, calculate
from steward.carbon.methods.cement import clinker_process_co2, raw_meal_co2

CLINKER = {
    "output": {"value": "100000", "unit": "t"},
    "cao": {"value": "65", "unit": "%"},
    "mgo": {"value": "2.5", "unit": "%"},
    "cao_noncarbonate": {"value": "1", "unit": "%"},
    "mgo_noncarbonate": {"value": "0", "unit": "%"},
}


def lines_of(result: dict) -> dict:
    return {line["key"]: line for line in result["lines"]}


def test_clinker_process_formula():
    # 100000 × [(0.65 − 0.01) × 44/56 + (0.025 − 0) × 44/40] = 100000 × (0.502857… + 0.0275) = 53035.71
    value = clinker_process_co2(
        Decimal(100000), Decimal("0.65"), Decimal("0.025"), Decimal("0.01"), Decimal(0)
    )
    assert value.quantize(Decimal("0.01")) == Decimal("53035.71")


def test_raw_meal_non_fuel_carbon_formula():
    # 160000 t × 0.002 × 44/12 = 320 × 3.6666… = 1173.33
    assert raw_meal_co2(Decimal(160000), Decimal("0.002")).quantize(Decimal("0.01")) == Decimal("1173.33")


def test_cement_month_with_fuel_electricity_and_intensity(factors):
    result = calculate(
        {
            "methodology": "cn_cement_clinker",
            "period": {"year": 2024, "month": 6},
            "fuels": [{"fuel": "bituminous_coal", "consumption": {"value": "12000", "unit": "t"}}],
            "purchased_electricity": {"value": "8000", "unit": "MWh"},
            "clinker": CLINKER,
        },
        factors,
    )
    lines = lines_of(result)
    # Coal from the Chinese guideline table: 12000 × 19.570 = 234840; × 0.0261 = 6129.324; × 0.93 = 5700.27132;
    # × 44/12 = 20900.99
    assert lines["fuel[0]"]["tco2"] == "20900.99"
    # One rule for the ETS sectors (grid_factor_rules.csv, ets_industry 2023–2025): the notice's 0.5703, the same
    # value the power method uses for 2024 data: 8000 × 0.5703 = 4562.40
    assert lines["purchased_electricity"]["tco2"] == "4562.40"
    assert lines["clinker_process"]["tco2"] == "53035.71"
    # ETS figure = direct: 20900.9948… + 53035.7142… = 73936.71; purchased electricity reported outside it
    assert result["direct_tco2"] == "73936.71" and result["indirect_tco2"] == "4562.40"
    assert result["total_tco2"] == "78499.11"  # 73936.709… + 4562.40
    # intensity on the facility's direct emissions: 73936.709… / 100000 t = 0.7394 tCO2/t clinker
    assert result["intensities"][0]["value"] == "0.7394" and result["intensities"][0]["unit"] == "tCO2/t"
    assert "facility_electricity_missing" in {warning["code"] for warning in result["warnings"]}
    assert "raw_meal_carbon_missing" in {warning["code"] for warning in result["warnings"]}


def test_two_boundaries_side_by_side_with_kiln_dust_and_raw_meal(factors):
    result = calculate(
        {
            "methodology": "cn_cement_clinker",
            "period": {"year": 2024, "month": 6},
            "fuels": [
                {"fuel": "bituminous_coal", "consumption": {"value": "12000", "unit": "t"}},
                {"fuel": "diesel", "consumption": {"value": "10", "unit": "t"}, "boundary": "enterprise"},
            ],
            "purchased_electricity": {"value": "8000", "unit": "MWh"},
            "clinker_facility_electricity": {"value": "6000", "unit": "MWh"},
            "purchased_heat": {"value": "1000", "unit": "GJ"},
            "clinker": CLINKER
            | {
                "kiln_dust": {"value": "1500", "unit": "t"},
                "bypass_dust": {"value": "500", "unit": "t"},
                "raw_meal": {"value": "160000", "unit": "t"},
                "raw_meal_carbon": {"value": "0.2", "unit": "%"},
            },
        },
        factors,
    )
    lines = lines_of(result)
    # (100000 + 1500 + 500) × (0.502857… + 0.0275) = 102000 × 0.530357… = 54096.43
    assert lines["clinker_process"]["tco2"] == "54096.43"
    assert lines["raw_meal_carbon"]["tco2"] == "1173.33"  # 160000 × 0.002 × 44/12
    # diesel outside the clinker facility: 10 × 42.652 × 0.0202 × 0.98 × 44/12 = 30.96
    assert lines["fuel[1]"]["tco2"] == "30.96" and lines["fuel[1]"]["boundary"] == "enterprise"
    # electricity split: facility 6000 × 0.5703 = 3421.80; rest 2000 × 0.5703 = 1140.60; heat 1000 × 0.11 = 110
    assert lines["purchased_electricity_clinker"]["tco2"] == "3421.80"
    assert lines["purchased_electricity"]["tco2"] == "1140.60"
    facility, enterprise = result["boundaries"]["clinker_facility"], result["boundaries"]["enterprise"]
    # facility direct: 20900.9948 + 54096.4286 + 1173.3333 = 76170.76; indirect 3421.80
    assert (facility["direct_tco2"], facility["indirect_tco2"]) == ("76170.76", "3421.80")
    # enterprise: direct + diesel 30.9599 = 76201.72; indirect 3421.80 + 1140.60 + 110 = 4672.40
    assert (enterprise["direct_tco2"], enterprise["indirect_tco2"]) == ("76201.72", "4672.40")
    # the ETS figure is the facility's direct emissions
    assert result["direct_tco2"] == "76170.76"


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        # 100000 × [(0.65 − 0.70) × 44/56 + …] would be −3928.57 t: refused, not computed
        (
            {"cao_noncarbonate": {"value": "70", "unit": "%"}},
            "clinker.cao_noncarbonate.value",
            "exceeds_total",
        ),
        (
            {"mgo_noncarbonate": {"value": "3", "unit": "%"}},
            "clinker.mgo_noncarbonate.value",
            "exceeds_total",
        ),
        ({"raw_meal": {"value": "160000", "unit": "t"}}, "clinker.raw_meal_carbon", "required"),
        ({"kiln_dsut": {"value": "1", "unit": "t"}}, "clinker.kiln_dsut", "unknown_field"),
    ],
)
def test_impossible_clinker_figures_are_refused_with_their_field(factors, change, field, code):
    with pytest.raises(CalculationInputError) as refused:
        calculate(
            {"methodology": "cn_cement_clinker", "period": {"year": 2024}, "clinker": CLINKER | change},
            factors,
        )
    assert refused.value.errors[field][0]["code"] == code


KILN_1 = CLINKER | {
    "label": "1号窑熟料",
    "kiln_dust": {"value": "1500", "unit": "t"},
    "bypass_dust": {"value": "500", "unit": "t"},
    "raw_meal": {"value": "160000", "unit": "t"},
    "raw_meal_carbon": {"value": "0.2", "unit": "%"},
}
KILN_2 = {
    "label": "2号窑熟料",
    "output": {"value": "50000", "unit": "t"},
    "cao": {"value": "64", "unit": "%"},
    "mgo": {"value": "3", "unit": "%"},
    "cao_noncarbonate": {"value": "3", "unit": "%"},  # carbide slag in the raw meal
    "mgo_noncarbonate": {"value": "0.5", "unit": "%"},
    "kiln_dust": {"value": "600", "unit": "t"},
    "raw_meal": {"value": "78000", "unit": "t"},
    "raw_meal_carbon": {"value": "0.15", "unit": "%"},
}


def test_two_kilns_are_summed_each_at_its_own_composition(factors):
    """Two clinker lines (the `clinker[]` array), each line's composition on its own clinker and dust:

    kiln 1  (100,000 + 1,500 + 500) t × [(65 % − 1 %) × 44/56 + 2.5 % × 44/40]       = 54,096.43 tCO2
            raw meal 160,000 t × 0.2 % × 44/12                                      =  1,173.33 tCO2
    kiln 2  (50,000 + 600) t × [(64 % − 3 %) × 44/56 + (3 % − 0.5 %) × 44/40]
            = 50,600 × (0.479286 + 0.0275)                                          = 25,643.36 tCO2
            raw meal 78,000 t × 0.15 % × 44/12                                      =    429.00 tCO2
    direct (no fuel)  54,096.4286 + 1,173.3333 + 25,643.3571 + 429.00                = 81,342.12 tCO2
    intensity 81,342.119 / 150,000 t clinker                                          = 0.5423 tCO2/t

    The first line's composition on both lines' clinker would give 80,932.50 t of clinker process instead of
    79,739.79: the second kiln's carbide slag would be lost."""
    result = calculate(
        {
            "methodology": "cn_cement_clinker",
            "period": {"year": 2024, "month": 6},
            "clinker": [KILN_1, KILN_2],
        },
        factors,
    )
    lines = lines_of(result)
    assert lines["clinker_process[0]"]["tco2"] == "54096.43"
    assert lines["clinker_process[0]"]["label"].endswith("：1号窑熟料")
    assert lines["raw_meal_carbon[0]"]["tco2"] == "1173.33"
    kiln_2 = lines["clinker_process[1]"]
    assert kiln_2["tco2"] == "25643.36" and kiln_2["label"].endswith("：2号窑熟料")
    assert {i["name"]: i["value"] for i in kiln_2["inputs"]} == {
        "Q_clinker": "50000",
        "Q_kiln_dust": "600",
        "CaO": "0.64",
        "MgO": "0.03",
        "CaO_nc": "0.03",
        "MgO_nc": "0.005",
    }
    assert lines["raw_meal_carbon[1]"]["tco2"] == "429.00"
    assert result["direct_tco2"] == "81342.12"
    intensity = result["intensities"][0]
    assert intensity["value"] == "0.5423" and intensity["denominator"]["value"] == "150000"


def test_a_second_kiln_refusal_names_its_line(factors):
    wrong = KILN_2 | {"cao_noncarbonate": {"value": "70", "unit": "%"}}
    with pytest.raises(CalculationInputError) as refused:
        calculate(
            {"methodology": "cn_cement_clinker", "period": {"year": 2024}, "clinker": [KILN_1, wrong]},
            factors,
        )
    assert refused.value.errors["clinker[1].cao_noncarbonate.value"][0]["code"] == "exceeds_total"
    with pytest.raises(CalculationInputError) as refused:
        calculate(
            {"methodology": "cn_cement_clinker", "period": {"year": 2024}, "clinker": [KILN_1, "K2"]}, factors
        )
    assert refused.value.errors["clinker[1]"][0]["code"] == "invalid_shape"


def test_a_measured_carbon_content_wins_over_the_library_default(factors):
    request = {
        "methodology": "cn_cement_clinker",
        "period": {"year": 2024, "month": 6},
        "fuels": [
            {
                "fuel": "bituminous_coal",
                "consumption": {"value": "12000", "unit": "t"},
                "carbon_content_ar": {"value": "0.4950", "unit": "fraction"},
            }
        ],
    }
    for methodology in ("cn_cement_clinker", "gbt32150_generic"):
        line = lines_of(calculate(request | {"methodology": methodology}, factors))["fuel[0]"]
        # element-carbon form, OF from the library (0.93): 12000 × 0.4950 × 0.93 × 44/12 = 20255.40
        # (the library's heat-value default would give 20900.99, 3.2% more)
        assert line["formula"] == "E = FC × C_ar × OF × 44/12" and line["tco2"] == "20255.40"


def test_generic_enterprise_with_purchased_heat_default(factors):
    result = calculate(
        {
            "methodology": "gbt32150_generic",
            "period": {"year": 2025, "month": 1},
            "fuels": [{"fuel": "diesel", "consumption": {"value": "10", "unit": "t"}}],
            "purchased_electricity": {"value": "1000", "unit": "MWh"},
            "purchased_heat": {"value": "5000", "unit": "GJ"},
        },
        factors,
    )
    lines = lines_of(result)
    # 10 × 42.652 × 0.0202 × 0.98 × 44/12 = 30.96
    assert lines["fuel[0]"]["tco2"] == "30.96"
    assert lines["purchased_electricity"]["tco2"] == "530.60"  # 1000 × 0.5306 (general rule: 2023 for 2025)
    heat = lines["purchased_heat"]
    assert heat["tco2"] == "550.00" and heat["inputs"][1]["origin"] == "default"  # 5000 × 0.11
    assert result["total_tco2"] == "1111.56"
    assert result["direct_tco2"] == "30.96" and result["indirect_tco2"] == "1080.60"


def test_clinker_in_the_generic_method_is_refused(factors):
    with pytest.raises(CalculationInputError) as refused:
        calculate({"methodology": "gbt32150_generic", "period": {"year": 2025}, "clinker": CLINKER}, factors)
    assert refused.value.errors["clinker"][0]["code"] == "not_used_by_methodology"


def test_a_kiln_without_raw_meal_carbon_is_named_in_the_warning(factors):
    second = {key: value for key, value in KILN_2.items() if key not in ("raw_meal", "raw_meal_carbon")}
    result = calculate(
        {
            "methodology": "cn_cement_clinker",
            "period": {"year": 2024, "month": 6},
            "clinker": [KILN_1, second],
        },
        factors,
    )
    missing = [w for w in result["warnings"] if w["code"] == "raw_meal_carbon_missing"]
    assert [w["message"] for w in missing] == [
        "2号窑熟料：未录入生料量及生料非燃料碳含量：生料中非燃料碳煅烧排放未计入"
    ]
    assert (
        "raw_meal_carbon[1]" not in lines_of(result)
        and lines_of(result)["raw_meal_carbon[0]"]["tco2"] == "1173.33"
    )
