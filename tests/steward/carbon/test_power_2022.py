"""Power generation, 2022 revision: every formula checked against arithmetic written out by hand."""

from decimal import Decimal

import pytest

from steward.carbon.calculator import CalculationInputError, calculate
from steward.carbon.methods.common import (
    air_dried_to_as_received,
    fuel_co2_element_carbon,
    fuel_co2_heat_value,
)


def line(result: dict, key: str) -> dict:
    return next(item for item in result["lines"] if item["key"] == key)


def inputs(result_line: dict) -> dict:
    return {value["name"]: value for value in result_line["inputs"]}


def test_element_carbon_form():
    # 85000 t × 0.5230 × 0.99 × 44/12 = 44010.45 × 3.6666… = 161371.65
    assert fuel_co2_element_carbon(Decimal("85000"), Decimal("0.5230"), Decimal("0.99")).quantize(
        Decimal("0.01")
    ) == Decimal("161371.65")


def test_heat_value_form():
    # 120 (10^4 Nm3) × 389.31 GJ/10^4Nm3 × 0.0153 tC/GJ × 0.99 × 44/12 = 707.62535… × 3.6666… = 2594.63
    assert fuel_co2_heat_value(
        Decimal("120"), Decimal("389.31"), Decimal("0.0153"), Decimal("0.99")
    ).quantize(Decimal("0.01")) == Decimal("2594.63")


def test_air_dried_to_as_received():
    # C_ad 0.6000, M_ar 0.1200, M_ad 0.0200: 0.6 × 0.88 / 0.98 = 0.538775…
    assert air_dried_to_as_received(Decimal("0.6"), Decimal("0.12"), Decimal("0.02")).quantize(
        Decimal("0.000001")
    ) == Decimal("0.538776")


def test_the_documented_example_request(factors, example_request):
    result = calculate(example_request, factors)
    assert line(result, "fuel[0]")["tco2"] == "161371.65"
    assert line(result, "fuel[1]")["tco2"] == "2594.63"
    # 5000 MWh × 0.5703 = 2851.50
    assert line(result, "purchased_electricity")["tco2"] == "2851.50"
    # 161371.65 + 2594.63 + 2851.50 = 166817.78
    assert result["total_tco2"] == "166817.78"
    # 166817.779… / 200000 MWh = 0.8341 tCO2/MWh
    assert result["intensities"][0] == {
        "name": "供电碳排放强度",
        "value": "0.8341",
        "unit": "tCO2/MWh",
        "denominator": {
            "name": "electricity_supplied",
            "value": "200000",
            "unit": "MWh",
            "origin": "measured",
        },
    }
    gas = inputs(line(result, "fuel[1]"))
    assert gas["FC"]["value"] == "120" and "1200000 m3" in gas["FC"]["reason"]  # m3 → 10^4 Nm3 shown
    assert gas["OF"]["origin"] == "factor_library" and gas["OF"]["row_id"] == "cn:natural_gas"
    assert gas["OF"]["status"] == "to_verify"
    assert {"code": "unconfirmed_factor", "line": "fuel[1]", "parameter": "OF"}.items() <= result["warnings"][
        0
    ].items()
    assert (
        result["methodology_version"].startswith("2022") and result["factor_set_version"] == factors.version
    )


def test_coal_without_a_carbon_test_takes_the_conservative_default_and_says_so(factors, example_request):
    example_request["fuels"] = [
        {
            "fuel": "bituminous_coal",
            "consumption": {"value": "1000", "unit": "t"},
            "ncv": {"value": "20.5", "unit": "GJ/t"},
        }
    ]
    del example_request["purchased_electricity"]
    result = calculate(example_request, factors)
    coal = inputs(result["lines"][0])
    assert coal["CC"]["origin"] == "default" and coal["CC"]["value"] == "0.03085"
    assert "元素碳检测" in coal["CC"]["reason"]
    assert coal["OF"]["origin"] == "default" and coal["OF"]["value"] == "0.99"
    # 1000 × 20.5 × 0.03085 × 0.99 × 44/12 = 626.1007… × 3.6666… = 2295.70
    assert result["total_tco2"] == "2295.70"
    assert {warning["code"] for warning in result["warnings"]} >= {"default_used", "unconfirmed_factor"}


def test_air_dried_test_is_converted_before_use(factors, example_request):
    example_request["fuels"] = [
        {
            "fuel": "bituminous_coal",
            "consumption": {"value": "1000", "unit": "t"},
            "carbon_content_ad": {"value": "60", "unit": "%"},
            "moisture_ar": {"value": "12", "unit": "%"},
            "moisture_ad": {"value": "2", "unit": "%"},
            "oxidation_rate": {"value": "98", "unit": "%"},
        }
    ]
    del example_request["purchased_electricity"]
    result = calculate(example_request, factors)
    # C_ar = 0.60 × 0.88 / 0.98 = 0.5387755…; 1000 × 0.5387755 × 0.98 × 44/12 = 1936.00
    assert result["lines"][0]["formula"] == "E = FC × C_ar × OF × 44/12"
    assert result["total_tco2"] == "1936.00"


def test_grid_factor_defaults_to_the_power_guideline_value_for_the_data_year(factors, example_request):
    del example_request["grid_factor"]
    example_request["fuels"] = []
    for year, expected_factor, expected_tco2 in (("2021", "0.581", "2905.00"), ("2024", "0.5703", "2851.50")):
        example_request["period"]["year"] = int(year)
        result = calculate(example_request, factors)
        factor = inputs(result["lines"][0])["EF_grid"]
        assert factor["value"] == expected_factor and factor["origin"] == "factor_library"
        assert result["total_tco2"] == expected_tco2  # 5000 × 0.5810 ; 5000 × 0.5703


def test_chp_intensities_are_split_by_heat_ratio(factors, example_request):
    example_request["fuels"] = []
    example_request["outputs"] = {
        "electricity_supplied": {"value": "1000", "unit": "MWh"},
        "heat_supplied": {"value": "10000", "unit": "GJ"},
    }
    result = calculate(example_request, factors)
    assert result["intensities"] == [] and result["warnings"][0]["code"] == "heat_ratio_missing"
    example_request["outputs"]["heat_ratio"] = {"value": "20", "unit": "%"}
    result = calculate(example_request, factors)
    values = {item["name"]: item["value"] for item in result["intensities"]}
    # 2851.50 × 0.8 / 1000 = 2.2812 tCO2/MWh ; 2851.50 × 0.2 / 10000 = 0.0570 tCO2/GJ
    assert values == {"供电碳排放强度": "2.2812", "供热碳排放强度": "0.0570"}


def test_the_result_gives_direct_and_indirect_beside_the_total(factors, example_request):
    result = calculate(example_request, factors)
    # direct: coal 161371.65 + gas 2594.63 = 163966.28; indirect: 5000 MWh × 0.5703 = 2851.50;
    # total 166817.78 (each figure rounded from the unrounded lines)
    assert (result["direct_tco2"], result["indirect_tco2"], result["total_tco2"]) == (
        "163966.28",
        "2851.50",
        "166817.78",
    )


def test_the_edition_of_the_data_year_chooses_the_no_test_coal_default_and_the_label(
    factors, example_request
):
    example_request["fuels"] = [
        {
            "fuel": "bituminous_coal",
            "consumption": {"value": "1000", "unit": "t"},
            "ncv": {"value": "20.5", "unit": "GJ/t"},
        }
    ]
    del example_request["purchased_electricity"]
    for year, version, default, tco2 in (
        # 1000 × 20.5 × 0.03356 × 0.99 × 44/12 = 681.1002 × 3.6666… = 2497.37 (2021 edition, 2019–2020 data)
        (2020, "2021 (环办气候〔2021〕9号)", "0.03356", "2497.37"),
        # 1000 × 20.5 × 0.03085 × 0.99 × 44/12 = 2295.70 (2022 revision, 2021–2022 data)
        (2022, "2022-revision (环办气候函〔2022〕111号)", "0.03085", "2295.70"),
        (2024, "2022-12 (环办气候函〔2022〕485号)", "0.03085", "2295.70"),
    ):
        example_request["period"]["year"] = year
        result = calculate(example_request, factors)
        coal = inputs(result["lines"][0])
        assert (result["methodology_version"], coal["CC"]["value"], result["total_tco2"]) == (
            version,
            default,
            tco2,
        )
    example_request["period"]["year"] = 2018
    with pytest.raises(CalculationInputError) as refused:
        calculate(example_request, factors)
    assert refused.value.errors["period.year"][0]["code"] == "no_edition"


def test_grid_factor_of_2019_and_2020_data_is_the_2021_edition_value(factors, example_request):
    del example_request["grid_factor"]
    example_request["fuels"] = []
    example_request["period"]["year"] = 2020
    result = calculate(example_request, factors)
    assert result["total_tco2"] == "3050.50"  # 5000 × 0.6101


def test_inputs_the_method_does_not_use_are_named_not_dropped(factors, example_request):
    example_request["purchased_heat"] = {"value": "1000", "unit": "GJ"}
    example_request["fuels"][1]["carbon_content_ar"] = {"value": "0.7", "unit": "fraction"}
    result = calculate(example_request, factors)
    unused = {(w["line"], w["parameter"]) for w in result["warnings"] if w["code"] == "input_not_used"}
    assert unused == {("purchased_heat", "purchased_heat"), ("fuel[1]", "carbon_content_ar")}
    assert result["total_tco2"] == "166817.78"  # unchanged: heat is not in the power guideline
    example_request["clinker"] = {
        key: {"value": "1", "unit": "t" if key == "output" else "%"}
        for key in ("output", "cao", "mgo", "cao_noncarbonate", "mgo_noncarbonate")
    }
    with pytest.raises(CalculationInputError) as refused:
        calculate(example_request, factors)
    assert refused.value.errors["clinker"][0]["code"] == "not_used_by_methodology"


@pytest.mark.parametrize(
    ("patch", "field", "code"),
    [
        # (1 − M_ad) = 0 would divide by zero
        ({"moisture_ad": {"value": "100", "unit": "%"}}, "fuels[0].moisture_ad.value", "out_of_range"),
        ({"moisture_ar": {"value": "1", "unit": "fraction"}}, "fuels[0].moisture_ar.value", "out_of_range"),
        (
            {"moisture_ar": None, "moisture_ad": None},
            "fuels[0].carbon_content_ad",
            "basis_conversion_incomplete",
        ),
    ],
)
def test_impossible_lab_values_are_refused_with_their_field(factors, example_request, patch, field, code):
    fuel = {
        "fuel": "bituminous_coal",
        "consumption": {"value": "1000", "unit": "t"},
        "carbon_content_ad": {"value": "60", "unit": "%"},
        "moisture_ar": {"value": "12", "unit": "%"},
        "moisture_ad": {"value": "2", "unit": "%"},
    }
    example_request["fuels"] = [{k: v for k, v in (fuel | patch).items() if v is not None}]
    with pytest.raises(CalculationInputError) as refused:
        calculate(example_request, factors)
    assert refused.value.errors[field][0]["code"] == code
