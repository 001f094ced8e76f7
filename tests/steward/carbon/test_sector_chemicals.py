"""Chemicals (GB/T 32151.10 structure, to_verify): feedstock carbon mass balance, carbonate use, nitric and adipic
acid N2O with its GWP; purchased energy indirect. Hand-computed figures in each docstring."""

from decimal import Decimal

import pytest

from steward.carbon.calculator import CalculationInputError, calculate
from steward.carbon.methods.chemicals import feedstock_co2, n2o_co2e

CHEMICALS = {
    "inputs": [
        {"material": "naphtha", "label": "石脑油", "quantity": {"value": "50000", "unit": "t"},
         "carbon_content": "0.84"},
    ],
    "outputs": [
        {"material": "ethylene", "label": "乙烯", "quantity": {"value": "30000", "unit": "t"},
         "carbon_content": {"value": "85.7", "unit": "%"}},
        {"material": "tar", "label": "焦油渣", "kind": "waste", "quantity": {"value": "1000", "unit": "t"},
         "carbon_content": "0.90"},
    ],
    "carbonates": [{"carbonate": "CaCO3", "quantity": {"value": "1000", "unit": "t"}, "purity": "0.9"}],
    "nitric_acid": [
        {"production": {"value": "100000", "unit": "t"}, "n2o_factor": {"value": "8", "unit": "kg/t"},
         "abatement_efficiency": "0.9", "abatement_use": {"value": "95", "unit": "%"}},
    ],
    "adipic_acid": [{"production": {"value": "1000", "unit": "t"}, "n2o_factor": {"value": "300", "unit": "kg/t"}}],
}  # fmt: skip


def test_feedstock_mass_balance_formula():
    """[50,000 × 0.84 − (30,000 × 0.857 + 1,000 × 0.90)] × 44/12 = (42,000 − 26,610) × 3.6666… = 56,430.00."""
    co2 = feedstock_co2(
        [(Decimal(50000), Decimal("0.84"))],
        [(Decimal(30000), Decimal("0.857")), (Decimal(1000), Decimal("0.9"))],
    )
    assert co2.quantize(Decimal("0.01")) == Decimal("56430.00")


def test_n2o_formula():
    """100,000 t HNO3 × 8 kg N2O/t × (1 − 0.9 × 0.95) / 1000 × 310 = 116 t N2O × 310 = 35,960.00 tCO2e;
    1,000 t adipic acid × 300 kg/t / 1000 × 310 = 93,000.00 tCO2e (no abatement)."""
    assert n2o_co2e(Decimal(100000), Decimal(8), Decimal("0.9"), Decimal("0.95")) == Decimal("35960.0000")
    assert n2o_co2e(Decimal(1000), Decimal(300), Decimal(0), Decimal(0)) == Decimal("93000")


def test_chemicals_year(factors):
    """Feedstock 154,000.00 − 94,270.00 − 3,300.00 = 56,430.00; limestone 1,000 × 0.9 × 0.440 = 396.00;
    N2O 35,960.00 + 93,000.00; direct 185,786.00; heat 10,000 GJ × 0.11 (default) = 1,100.00 indirect."""
    result = calculate(
        {
            "methodology": "cn_chemicals",
            "period": {"year": 2024},
            "purchased_heat": {"value": "10000", "unit": "GJ"},
            "chemicals": CHEMICALS,
        },
        factors,
    )
    lines = {line["key"]: line for line in result["lines"]}
    assert lines["chemicals.inputs[0]"]["tco2"] == "154000.00"
    assert lines["chemicals.outputs[0]"]["tco2"] == "-94270.00"
    assert lines["chemicals.outputs[1]"]["label"] == "含碳废物：焦油渣（碳平衡扣减）"
    assert lines["chemicals.outputs[1]"]["tco2"] == "-3300.00"
    assert lines["chemicals.carbonates[0]"]["tco2"] == "396.00"
    assert lines["chemicals.nitric_acid[0]"]["tco2"] == "35960.00"
    assert lines["chemicals.adipic_acid[0]"]["tco2"] == "93000.00"
    gwp = {value["name"]: value for value in lines["chemicals.nitric_acid[0]"]["inputs"]}["GWP_N2O"]
    assert gwp["value"] == "310" and gwp["status"] == "to_verify"
    assert result["direct_tco2"] == "185786.00" and result["indirect_tco2"] == "1100.00"
    assert all(line["category"] == "process" for key, line in lines.items() if key.startswith("chemicals"))


def test_more_carbon_out_than_in_is_refused(factors):
    """30,000 t × 0.857 + 1,000 t × 0.9 = 26,610 tC out against 20,000 t × 0.84 = 16,800 tC in: refused."""
    bad = CHEMICALS | {"inputs": [CHEMICALS["inputs"][0] | {"quantity": {"value": "20000", "unit": "t"}}]}
    with pytest.raises(CalculationInputError) as refused:
        calculate({"methodology": "cn_chemicals", "period": {"year": 2024}, "chemicals": bad}, factors)
    assert refused.value.errors["chemicals.outputs"][0]["code"] == "exceeds_total"
    only_outputs = {"outputs": CHEMICALS["outputs"]}
    with pytest.raises(CalculationInputError) as refused:
        calculate(
            {"methodology": "cn_chemicals", "period": {"year": 2024}, "chemicals": only_outputs}, factors
        )
    assert refused.value.errors["chemicals.outputs"][0]["code"] == "exceeds_total"


@pytest.mark.parametrize(
    "block, path, code",
    [
        ({"nitric_acid": [{"production": {"value": "1", "unit": "t"}, "n2o_factor": {"value": "8", "unit": "kg/t"},
                           "abatement_efficiency": "0.9"}]},
         "chemicals.nitric_acid[0].abatement_use", "required"),
        ({"nitric_acid": [{"production": {"value": "1", "unit": "t"}, "n2o_factor": {"value": "8", "unit": "kg/t"},
                           "abatement_efficiency": {"value": "120", "unit": "%"}, "abatement_use": "1"}]},
         "chemicals.nitric_acid[0].abatement_efficiency.value", "out_of_range"),
        ({"adipic_acid": [{"production": {"value": "-1", "unit": "t"}, "n2o_factor": {"value": "300", "unit": "kg/t"}}]},
         "chemicals.adipic_acid[0].production.value", "negative"),
        ({"adipic_acid": [{"production": {"value": "1", "unit": "t"}}]},
         "chemicals.adipic_acid[0].n2o_factor", "invalid_shape"),
        ({"inputs": [{"material": "coal", "quantity": {"value": "1", "unit": "t"}, "carbon_content": "1.5"}]},
         "chemicals.inputs[0].carbon_content.value", "out_of_range"),
        ({"inputs": [{"material": "coal", "kind": "waste", "quantity": {"value": "1", "unit": "t"},
                      "carbon_content": "0.5"}]},
         "chemicals.inputs[0].kind", "unknown_field"),
        ({"outputs": [{"material": "x", "kind": "steam", "quantity": {"value": "0", "unit": "t"}, "carbon_content": "0"}]},
         "chemicals.outputs[0].kind", "invalid"),
        ({"co2_recovered": {"value": "5", "unit": "t"}}, "chemicals.co2_recovered", "unknown_field"),
    ],
)  # fmt: skip
def test_impossible_chemical_values_are_refused_with_their_field(factors, block, path, code):
    with pytest.raises(CalculationInputError) as refused:
        calculate({"methodology": "cn_chemicals", "period": {"year": 2024}, "chemicals": block}, factors)
    assert refused.value.errors[path][0]["code"] == code


def test_unused_inputs_are_named(factors):
    result = calculate(
        {
            "methodology": "cn_chemicals",
            "period": {"year": 2024},
            "outputs": {"electricity_supplied": {"value": "10", "unit": "MWh"}},
        },
        factors,
    )
    codes = {(w["code"], w["parameter"]) for w in result["warnings"]}
    assert codes == {
        ("input_not_used", "outputs.electricity_supplied"),
        ("process_data_missing", "chemicals"),
    }


def test_gaseous_feedstock_by_volume(factors):
    """Methanol from natural gas: 20,000 × 10^4 Nm3 × 5.2 tC/10^4 Nm3 = 104,000 tC in; methanol 250,000 t × 0.375
    (12/32) = 93,750 tC out → 10,250 tC × 44/12 = 37,583.33 t; the same gas as 200,000,000 Nm3 × 0.52 kgC/Nm3."""
    methanol = {
        "material": "methanol",
        "quantity": {"value": "250000", "unit": "t"},
        "carbon_content": "0.375",
    }
    for gas in (
        {"value": "20000", "unit": "10^4 Nm3"},
        {"value": "200000000", "unit": "Nm3"},
    ):
        carbon = (
            {"value": "5.2", "unit": "tC/10^4 Nm3"}
            if gas["unit"] == "10^4 Nm3"
            else {"value": "0.52", "unit": "kgC/Nm3"}
        )
        result = calculate(
            {
                "methodology": "cn_chemicals",
                "period": {"year": 2024},
                "chemicals": {
                    "inputs": [{"material": "natural_gas", "quantity": gas, "carbon_content": carbon}],
                    "outputs": [methanol],
                },
            },
            factors,
        )
        assert result["direct_tco2"] == "37583.33"
        feed = {value["name"]: value for value in result["lines"][0]["inputs"]}
        assert feed["AD_r"]["unit"] == "10^4 Nm3" and feed["CC_r"]["unit"] == "tC/10^4 Nm3"
    with pytest.raises(CalculationInputError) as refused:
        calculate(
            {
                "methodology": "cn_chemicals",
                "period": {"year": 2024},
                "chemicals": {"inputs": [{"material": "gas", "quantity": gas, "carbon_content": "0.7"}]},
            },
            factors,
        )
    assert refused.value.errors["chemicals.inputs[0].carbon_content"][0]["code"] == "invalid_shape"
