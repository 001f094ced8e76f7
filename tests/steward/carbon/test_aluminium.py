"""Electrolytic aluminium (CETS-AG-04.01-V01-2024 structure): anode consumption and anode-effect PFC with GWP."""

from decimal import Decimal

import pytest

from steward.carbon.calculator import CalculationInputError, calculate
from steward.carbon.methods.aluminium import anode_co2, pfc_co2e, pfc_slope_factor

ALUMINIUM = {
    "output": {"value": "30000", "unit": "t"},
    "net_anode_consumption": {"value": "0.42", "unit": "fraction"},
    "anode_sulphur": {"value": "2", "unit": "%"},
    "anode_ash": {"value": "0.5", "unit": "%"},
    "cf4_kg_per_t": {"value": "0.034", "unit": "kg/t"},
    "c2f6_kg_per_t": {"value": "0.0034", "unit": "kg/t"},
}


def test_anode_formula():
    # 30000 × 0.42 × (1 − 0.02 − 0.005) × 44/12 = 12600 × 0.975 × 3.6666… = 45045.00
    assert anode_co2(Decimal(30000), Decimal("0.42"), Decimal("0.02"), Decimal("0.005")).quantize(
        Decimal("0.01")
    ) == Decimal("45045.00")


def test_pfc_formula_and_slope():
    # 30000 × (0.034 × 6500 + 0.0034 × 9200) / 1000 = 30000 × (221 + 31.28) / 1000 = 7568.40 tCO2e
    assert pfc_co2e(Decimal(30000), Decimal("0.034"), Decimal("0.0034")) == Decimal("7568.4")
    # slope 0.143 (kg CF4/t)/(AE-min/cell-day) × 0.24 AE-min/cell-day = 0.03432 kg CF4/t
    assert pfc_slope_factor(Decimal("0.143"), Decimal("0.24")) == Decimal("0.03432")


def test_aluminium_month_direct_excludes_electricity(factors):
    result = calculate(
        {
            "methodology": "cn_aluminium",
            "period": {"year": 2024, "month": 5},
            "purchased_electricity": {"value": "400000", "unit": "MWh"},
            "aluminium": ALUMINIUM,
        },
        factors,
    )
    lines = {line["key"]: line for line in result["lines"]}
    assert lines["anode_consumption"]["tco2"] == "45045.00"
    assert lines["anode_effect_pfc"]["tco2"] == "7568.40"
    pfc_inputs = {value["name"]: value for value in lines["anode_effect_pfc"]["inputs"]}
    assert pfc_inputs["GWP_CF4"]["status"] == "to_verify" and pfc_inputs["GWP_C2F6"]["value"] == "9200"
    # electricity dominates: 400000 × 0.5703 = 228120.00, reported outside the direct figure
    assert lines["purchased_electricity"]["tco2"] == "228120.00"
    assert result["direct_tco2"] == "52613.40" and result["indirect_tco2"] == "228120.00"  # 45045 + 7568.40


def test_aluminium_refusals(factors):
    with pytest.raises(CalculationInputError) as refused:
        calculate({"methodology": "cn_aluminium", "period": {"year": 2024}}, factors)
    assert refused.value.errors["aluminium"][0]["code"] == "required"
    with pytest.raises(CalculationInputError) as refused:
        calculate(
            {"methodology": "gbt32150_generic", "period": {"year": 2024}, "aluminium": ALUMINIUM}, factors
        )
    assert refused.value.errors["aluminium"][0]["code"] == "not_used_by_methodology"
    bad = ALUMINIUM | {
        "anode_sulphur": {"value": "60", "unit": "%"},
        "anode_ash": {"value": "40", "unit": "%"},
    }
    with pytest.raises(CalculationInputError) as refused:
        calculate({"methodology": "cn_aluminium", "period": {"year": 2024}, "aluminium": bad}, factors)
    assert refused.value.errors["aluminium.anode_ash.value"][0]["code"] == "out_of_range"
