"""Paper (2015 sector guideline structure, to_verify): fuel + lime-kiln make-up CaCO3 + anaerobic wastewater CH4
(GWP 21) direct; purchased electricity and heat indirect. Hand-computed figures in each docstring."""

from decimal import Decimal

import pytest

from steward.carbon.calculator import CalculationInputError, calculate
from steward.carbon.methods.paper import wastewater_ch4_kg, wastewater_co2e

WASTEWATER = {
    "volume": {"value": "100", "unit": "10^4 t"},
    "cod_in": {"value": "3000", "unit": "mg/L"},
    "cod_out": {"value": "0.3", "unit": "kg/m3"},
    "sludge_cod": {"value": "200", "unit": "t"},
    "ch4_recovered": {"value": "12500", "unit": "kg"},
}
PAPER = {
    "carbonates": [{"carbonate": "CaCO3", "label": "外购石灰石", "quantity": {"value": "2000", "unit": "t"},
                    "purity": "0.95"}],
    "wastewater": WASTEWATER,
}  # fmt: skip


def test_wastewater_formula():
    """(1,000,000 m³ × (3.0 − 0.3) kg/m³ − 200,000 kg) × 0.25 × 0.5 − 12,500 kg = 300,000 kg CH4;
    × 21 / 1000 = 6,300.00 tCO2e."""
    ch4 = wastewater_ch4_kg(
        Decimal(1000000), Decimal(3), Decimal("0.3"), Decimal(200000), Decimal("0.25"), Decimal("0.5"),
        Decimal(12500),
    )  # fmt: skip
    assert ch4 == Decimal("300000")
    assert wastewater_co2e(ch4) == Decimal("6300")


def test_paper_month(factors):
    """Limestone 2,000 t × 0.95 × 0.440 = 836.00; wastewater 6,300.00 tCO2e (B0 0.25 and MCF 0.5 recalled
    defaults, to_verify); bituminous coal 1,000 t × 19.570 × 0.0261 × 0.93 × 44/12 = 1,741.75 (library);
    direct 8,877.75; electricity 2,000 MWh × 0.5366 = 1,073.20 indirect."""
    result = calculate(
        {
            "methodology": "cn_paper",
            "period": {"year": 2024, "month": 6},
            "fuels": [{"fuel": "bituminous_coal", "consumption": {"value": "1000", "unit": "t"}}],
            "purchased_electricity": {"value": "2000", "unit": "MWh"},
            "paper": PAPER,
        },
        factors,
    )
    lines = {line["key"]: line for line in result["lines"]}
    assert lines["paper.carbonates[0]"]["tco2"] == "836.00"
    assert lines["paper.wastewater"]["tco2"] == "6300.00"
    assert lines["paper.wastewater"]["category"] == "process"
    inputs = {value["name"]: value for value in lines["paper.wastewater"]["inputs"]}
    assert inputs["W"]["value"] == "1000000" and inputs["COD_in"]["value"] == "3"
    assert inputs["S"]["value"] == "200000" and inputs["S"]["unit"] == "kg"
    assert inputs["B0"]["origin"] == "default" and inputs["B0"]["status"] == "to_verify"
    assert inputs["GWP_CH4"]["value"] == "21"
    assert lines["fuel[0]"]["tco2"] == "1741.75"
    assert result["direct_tco2"] == "8877.75" and result["indirect_tco2"] == "1073.20"


def test_measured_b0_and_mcf_win_over_the_defaults(factors):
    """MCF 0.8 measured: (2,700,000 − 200,000) × 0.25 × 0.8 − 12,500 = 487,500 kg × 21 / 1000 = 10,237.50."""
    water = WASTEWATER | {"mcf": "0.8"}
    result = calculate(
        {"methodology": "cn_paper", "period": {"year": 2024}, "paper": {"wastewater": water}}, factors
    )
    assert result["lines"][0]["tco2"] == "10237.50"


@pytest.mark.parametrize(
    "water, path",
    [
        (WASTEWATER | {"cod_out": {"value": "4", "unit": "kg/m3"}}, "paper.wastewater.cod_out.value"),
        (WASTEWATER | {"sludge_cod": {"value": "3000", "unit": "t"}}, "paper.wastewater.sludge_cod.value"),
        (
            WASTEWATER | {"ch4_recovered": {"value": "400", "unit": "t"}},
            "paper.wastewater.ch4_recovered.value",
        ),
    ],
)
def test_negative_wastewater_emissions_are_refused(factors, water, path):
    with pytest.raises(CalculationInputError) as refused:
        calculate(
            {"methodology": "cn_paper", "period": {"year": 2024}, "paper": {"wastewater": water}}, factors
        )
    assert refused.value.errors[path][0]["code"] == "exceeds_total"


@pytest.mark.parametrize(
    "block, path, code",
    [
        ({"carbonates": [{"carbonate": "Na2CO3", "quantity": {"value": "5", "unit": "t"}}]},
         "paper.carbonates[0].carbonate", "not_used_by_methodology"),
        ({"wastewater": {"volume": {"value": "5", "unit": "t"}}}, "paper.wastewater.cod_in", "required"),
        ({"wastewater": WASTEWATER | {"mcf": {"value": "150", "unit": "%"}}}, "paper.wastewater.mcf.value",
         "out_of_range"),
        ({"wastewater": WASTEWATER | {"cod_in": {"value": "3", "unit": "t"}}}, "paper.wastewater.cod_in.unit",
         "wrong_dimension"),
        ({"wastewater": WASTEWATER | {"volume": {"value": "-1", "unit": "t"}}}, "paper.wastewater.volume.value",
         "negative"),
    ],
)  # fmt: skip
def test_impossible_paper_values_are_refused_with_their_field(factors, block, path, code):
    with pytest.raises(CalculationInputError) as refused:
        calculate({"methodology": "cn_paper", "period": {"year": 2024}, "paper": block}, factors)
    assert refused.value.errors[path][0]["code"] == code
