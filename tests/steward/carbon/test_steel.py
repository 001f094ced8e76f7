"""Steel by process: carbon balance of carbon-bearing inputs and of the carbon fixed in products."""

from decimal import Decimal

import pytest

from steward.carbon.calculator import CalculationInputError, calculate
from steward.carbon.methods.steel import carbon_co2

STEEL = {
    "inputs": [
        {"material": "limestone", "label": "石灰石", "process": "sintering",
         "quantity": {"value": "20000", "unit": "t"}, "carbon_content": {"value": "11.5", "unit": "%"}},
        {"material": "electrode", "label": "石墨电极", "process": "steelmaking",
         "quantity": {"value": "300", "unit": "t"}, "carbon_content": {"value": "0.99", "unit": "fraction"}},
    ],
    "outputs": [
        {"material": "crude_steel", "label": "粗钢", "process": "steelmaking",
         "quantity": {"value": "100000", "unit": "t"}, "carbon_content": {"value": "0.4", "unit": "%"}},
    ],
}  # fmt: skip


def test_carbon_balance_formula():
    # 20000 t × 0.115 × 44/12 = 2300 × 3.6666… = 8433.33
    assert carbon_co2(Decimal(20000), Decimal("0.115")).quantize(Decimal("0.01")) == Decimal("8433.33")


def test_steel_month_by_process(factors):
    result = calculate(
        {
            "methodology": "cn_steel",
            "period": {"year": 2024, "month": 5},
            "purchased_electricity": {"value": "10000", "unit": "MWh"},
            "steel": STEEL,
        },
        factors,
    )
    lines = {line["key"]: line for line in result["lines"]}
    assert (
        lines["steel.inputs[0]"]["tco2"] == "8433.33" and lines["steel.inputs[0]"]["label"] == "烧结：石灰石"
    )
    # 300 × 0.99 × 44/12 = 1089.00
    assert lines["steel.inputs[1]"]["tco2"] == "1089.00"
    # carbon fixed in crude steel: −(100000 × 0.004 × 44/12) = −1466.67
    assert lines["steel.outputs[0]"]["tco2"] == "-1466.67"
    # direct 8433.333 + 1089 − 1466.667 = 8055.67; electricity 10000 × 0.5703 = 5703.00 reported apart
    assert result["direct_tco2"] == "8055.67" and result["indirect_tco2"] == "5703.00"


def test_steel_figures_elsewhere_are_refused(factors):
    with pytest.raises(CalculationInputError) as refused:
        calculate({"methodology": "gbt32150_generic", "period": {"year": 2024}, "steel": STEEL}, factors)
    assert refused.value.errors["steel"][0]["code"] == "not_used_by_methodology"
    bad = {"inputs": [STEEL["inputs"][0] | {"process": "smelting"}]}
    with pytest.raises(CalculationInputError) as refused:
        calculate({"methodology": "cn_steel", "period": {"year": 2024}, "steel": bad}, factors)
    assert refused.value.errors["steel.inputs[0].process"][0]["code"] == "invalid"
