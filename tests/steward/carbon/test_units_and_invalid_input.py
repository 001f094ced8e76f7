from decimal import Decimal

import pytest

from steward.carbon.calculator import CalculationInputError, calculate
from steward.carbon.units import UnitError, convert


@pytest.mark.parametrize(
    ("value", "unit", "target", "expected"),
    [
        ("1200000", "m3", "10^4 Nm3", "120"),
        ("2500", "kg", "t", "2.5"),
        ("36000", "kWh", "MWh", "36"),
        ("3.5", "10^4 kWh", "MWh", "35"),
        ("2", "TJ", "GJ", "2000"),
        ("20.5", "MJ/kg", "GJ/t", "20.5"),
        ("35.5", "MJ/Nm3", "GJ/10^4 Nm3", "355"),
        ("26.1", "tC/TJ", "tC/GJ", "0.0261"),
        ("52.3", "%", "fraction", "0.523"),
        ("0.58", "kgCO2/kWh", "tCO2/MWh", "0.58"),
    ],
)
def test_conversions_are_exact(value, unit, target, expected):
    assert convert(Decimal(value), unit, target) == Decimal(expected)


def test_unknown_unit_and_wrong_dimension_are_errors():
    with pytest.raises(UnitError) as unknown:
        convert(Decimal(1), "bananas", "t")
    assert unknown.value.code == "unknown_unit"
    with pytest.raises(UnitError) as wrong:
        convert(Decimal(1), "MWh", "t")
    assert wrong.value.code == "wrong_dimension"


def errors_of(data, factors) -> dict:
    with pytest.raises(CalculationInputError) as caught:
        calculate(data, factors)
    return {path: [error["code"] for error in errors] for path, errors in caught.value.errors.items()}


@pytest.mark.parametrize(
    ("patch", "path", "code"),
    [
        ({"methodology": "cn_magic"}, "methodology", "unknown_methodology"),
        ({"period": {"year": 2024, "month": 13}}, "period.month", "invalid"),
        (
            {"fuels": [{"fuel": "unobtainium", "consumption": {"value": "1", "unit": "t"}}]},
            "fuels[0].fuel",
            "unknown_fuel",
        ),
        (
            {"fuels": [{"fuel": "diesel", "consumption": {"value": "-5", "unit": "t"}}]},
            "fuels[0].consumption.value",
            "negative",
        ),
        (
            {"fuels": [{"fuel": "diesel", "consumption": {"value": "NaN", "unit": "t"}}]},
            "fuels[0].consumption.value",
            "not_finite",
        ),
        (
            {"fuels": [{"fuel": "diesel", "consumption": {"value": "Infinity", "unit": "t"}}]},
            "fuels[0].consumption.value",
            "not_finite",
        ),
        (
            {"fuels": [{"fuel": "diesel", "consumption": {"value": 1.5, "unit": "t"}}]},
            "fuels[0].consumption.value",
            "not_a_decimal",
        ),
        (
            {"fuels": [{"fuel": "diesel", "consumption": {"value": "1", "unit": "bananas"}}]},
            "fuels[0].consumption.unit",
            "unknown_unit",
        ),
        (
            {"fuels": [{"fuel": "diesel", "consumption": {"value": "1", "unit": "m3"}}]},
            "fuels[0].consumption.unit",
            "wrong_dimension",
        ),
        (
            {"fuels": [{"fuel": "natural_gas", "consumption": {"value": "1", "unit": "t"}}]},
            "fuels[0].consumption.unit",
            "wrong_dimension",
        ),
        (
            {
                "fuels": [
                    {"fuel": "diesel", "consumption": {"value": "1", "unit": "t"}, "oxidation_rate": "1.2"}
                ]
            },
            "fuels[0].oxidation_rate.value",
            "out_of_range",
        ),
        ({"purchased_electricty": {"value": "1", "unit": "MWh"}}, "purchased_electricty", "unknown_field"),
        ({"grid_factor": {"value": "0.5", "unit": "tCO2/GJ"}}, "grid_factor.unit", "wrong_dimension"),
    ],
)
def test_each_invalid_field_is_reported_with_its_path_and_code(factors, example_request, patch, path, code):
    example_request.update(patch)
    assert code in errors_of(example_request, factors)[path]


def test_all_problems_are_reported_at_once(factors):
    errors = errors_of(
        {
            "methodology": "x",
            "period": {"year": 1999},
            "fuels": [{"fuel": "diesel", "consumption": {"value": "-1", "unit": "kg/s"}}],
        },
        factors,
    )
    assert set(errors) == {
        "methodology",
        "period.year",
        "fuels[0].consumption.value",
        "fuels[0].consumption.unit",
    }
