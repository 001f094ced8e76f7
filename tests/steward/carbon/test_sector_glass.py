"""Flat glass (GB/T 32151.7 structure, to_verify): fuel + batch carbonate decomposition + carbon powder direct,
purchased electricity and heat indirect. Hand-computed figures in each docstring."""

from decimal import Decimal

import pytest

from steward.carbon.calculator import CalculationInputError, calculate
from steward.carbon.methods.carbonates import carbonate_co2
from steward.carbon.methods.glass import carbon_powder_co2

GLASS = {
    "carbonates": [
        {"carbonate": "Na2CO3", "label": "纯碱", "quantity": {"value": "20000", "unit": "t"}, "purity": "0.99"},
        {"carbonate": "CaMg(CO3)2", "quantity": {"value": "15000", "unit": "t"},
         "purity": {"value": "98", "unit": "%"}},
        {"carbonate": "CaCO3", "quantity": {"value": "5000000", "unit": "kg"}, "purity": "0.95",
         "calcination_fraction": {"value": "98", "unit": "%"}},
    ],
    "carbon_powder": {"quantity": {"value": "100", "unit": "t"}, "carbon_content": {"value": "85", "unit": "%"}},
}  # fmt: skip


def test_carbonate_formula():
    """10,000 t limestone × 0.95 CaCO3 × 0.440 × 1.0 = 4,180.00 tCO2;
    15,000 t dolomite × 0.98 × 0.477 = 7,011.90 t; 20,000 t soda ash × 0.99 × 0.415 = 8,217.00 t."""
    assert carbonate_co2(Decimal(10000), Decimal("0.95"), Decimal("0.440"), Decimal(1)) == Decimal("4180.000")
    assert carbonate_co2(Decimal(15000), Decimal("0.98"), Decimal("0.477"), Decimal(1)) == Decimal("7011.90")
    assert carbonate_co2(Decimal(20000), Decimal("0.99"), Decimal("0.415"), Decimal(1)) == Decimal("8217.00")


def test_carbon_powder_formula():
    """100 t × 0.85 × 44/12 = 85 × 3.6666… = 311.67 tCO2."""
    assert carbon_powder_co2(Decimal(100), Decimal("0.85")).quantize(Decimal("0.01")) == Decimal("311.67")


def test_glass_month_direct_and_indirect(factors):
    """Soda ash 8,217.00 + dolomite 7,011.90 + limestone 5,000 t × 0.95 × 0.440 × 0.98 = 2,048.20 + carbon powder
    311.67 = 17,588.77 t process; natural gas 500 × 10^4 Nm3 × 389.31 GJ × 0.0153 tC/GJ × 0.99 × 44/12 =
    10,810.94 t (library row); electricity 3,000 MWh × 0.5366 (2022 MEE/NBS national, the general rule for 2024
    data) = 1,609.80 t indirect, outside the direct figure: direct 28,399.71."""
    result = calculate(
        {
            "methodology": "cn_flat_glass",
            "period": {"year": 2024, "month": 5},
            "fuels": [{"fuel": "natural_gas", "consumption": {"value": "500", "unit": "10^4 Nm3"}}],
            "purchased_electricity": {"value": "3000", "unit": "MWh"},
            "glass": GLASS,
        },
        factors,
    )
    lines = {line["key"]: line for line in result["lines"]}
    assert [lines[f"glass.carbonates[{i}]"]["tco2"] for i in range(3)] == ["8217.00", "7011.90", "2048.20"]
    assert lines["glass.carbonates[0]"]["label"] == "碳酸盐分解：纯碱"
    assert lines["glass.carbon_powder"]["tco2"] == "311.67"
    assert lines["fuel[0]"]["tco2"] == "10810.94"
    assert lines["purchased_electricity"]["tco2"] == "1609.80"
    assert result["direct_tco2"] == "28399.71" and result["indirect_tco2"] == "1609.80"
    limestone = {value["name"]: value for value in lines["glass.carbonates[2]"]["inputs"]}
    assert limestone["M"]["value"] == "5000" and limestone["M"]["unit"] == "t"  # entered in kg
    assert limestone["EF_carbonate"] | {"reason": ""} == limestone["EF_carbonate"] | {
        "value": "0.44", "origin": "default", "status": "to_verify", "reason": ""
    }  # fmt: skip
    dolomite = {value["name"]: value for value in lines["glass.carbonates[1]"]["inputs"]}
    assert dolomite["F_calc"]["origin"] == "default" and dolomite["F_calc"]["value"] == "1"  # conservative
    warned = {(w["code"], w["line"], w["parameter"]) for w in result["warnings"]}
    assert ("default_used", "glass.carbonates[1]", "F_calc") in warned
    assert ("unconfirmed_factor", "glass.carbonates[0]", "EF_carbonate") in warned


def test_glass_without_batch_says_so_and_other_blocks_are_refused(factors):
    result = calculate({"methodology": "cn_flat_glass", "period": {"year": 2024}}, factors)
    assert result["total_tco2"] == "0.00"
    assert [w["code"] for w in result["warnings"]] == ["process_data_missing"]
    for other in ("gbt32150_generic", "cn_chemicals", "cn_cement_clinker"):
        with pytest.raises(CalculationInputError) as refused:
            calculate({"methodology": other, "period": {"year": 2024}, "glass": GLASS}, factors)
        assert refused.value.errors["glass"][0]["code"] == "not_used_by_methodology"


@pytest.mark.parametrize(
    "change, path, code",
    [
        ({"quantity": {"value": "-5", "unit": "t"}}, "glass.carbonates[0].quantity.value", "negative"),
        ({"purity": {"value": "101", "unit": "%"}}, "glass.carbonates[0].purity.value", "out_of_range"),
        ({"calcination_fraction": "1.2"}, "glass.carbonates[0].calcination_fraction.value", "out_of_range"),
        ({"carbonate": "CaO"}, "glass.carbonates[0].carbonate", "unknown_carbonate"),
        ({"moisture": "0.1"}, "glass.carbonates[0].moisture", "unknown_field"),
        ({"quantity": {"value": "5", "unit": "MWh"}}, "glass.carbonates[0].quantity.unit", "wrong_dimension"),
    ],
)
def test_impossible_batch_values_are_refused_with_their_field(factors, change, path, code):
    bad = {"carbonates": [GLASS["carbonates"][0] | change]}
    with pytest.raises(CalculationInputError) as refused:
        calculate({"methodology": "cn_flat_glass", "period": {"year": 2024}, "glass": bad}, factors)
    assert refused.value.errors[path][0]["code"] == code


def test_cement_figures_given_to_glass_are_refused(factors):
    with pytest.raises(CalculationInputError) as refused:
        calculate(
            {
                "methodology": "cn_flat_glass",
                "period": {"year": 2024},
                "clinker": {"output": {"value": "1", "unit": "t"}, "cao": {"value": "0.6", "unit": "fraction"},
                            "mgo": {"value": "0.01", "unit": "fraction"},
                            "cao_noncarbonate": {"value": "0", "unit": "fraction"},
                            "mgo_noncarbonate": {"value": "0", "unit": "fraction"}},
            },
            factors,
        )  # fmt: skip
    assert refused.value.errors["clinker"][0]["code"] == "not_used_by_methodology"
