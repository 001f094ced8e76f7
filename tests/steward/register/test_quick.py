"""速算 factors and figures as plain functions, from the shipped factor library (no database)."""

from decimal import Decimal

import pytest

from steward.factors.shipped import shipped_snapshot
from steward.register.carriers import carriers, gap_rule
from steward.register.quick import CO2_PER_C, carrier_factor, quick_co2, year_factors


@pytest.fixture(scope="module")
def factors():
    return shipped_snapshot()


def test_electricity_uses_the_grid_factor_the_general_rule_picks_for_the_year(factors):
    # general rule: latest MEE/NBS national average, data year Y-2 → 2022's 0.5366 for 2024, 2023's 0.5306 for 2025
    assert carrier_factor("electricity", 2024, factors).tco2_per_unit == Decimal("0.5366") / 1000
    factor = carrier_factor("electricity", 2025, factors)
    assert factor.tco2_per_unit == Decimal("0.5306") / 1000
    assert "0.5306 tCO2/MWh" in factor.method and "2023年" in factor.method
    assert factor.factors[0].value == Decimal("0.5306")


def test_natural_gas_in_m3_goes_through_the_library_unit_and_shows_every_value(factors):
    factor = carrier_factor("natural_gas", 2025, factors)
    gas = factors.fuel_default("natural_gas")
    expected = (
        Decimal("0.0001")
        * gas.ncv_gj_per_unit
        * gas.carbon_content_tc_per_gj
        * gas.oxidation_rate
        * CO2_PER_C
    )
    assert factor.tco2_per_unit == expected
    assert abs(factor.tco2_per_unit * 1000 - Decimal("2.16")) < Decimal("0.01")  # about 2.16 kgCO2 per m3
    # The factors as a person reads them, without the library's padding (389.31000000)
    assert "× 389.31 GJ/10^4 Nm3 × 0.0153 tC/GJ × 0.99 × 44/12" in factor.method
    assert len(factor.sources) == len(set(factor.sources)), "each source document once"
    assert {used.status for used in factor.factors} == {"to_verify"}
    assert factor.status == "to_verify"


def test_an_enterprise_figure_sums_every_carrier_and_names_its_method(factors):
    figure = quick_co2(
        {"electricity": Decimal("1000000"), "heat": Decimal("100"), "coal": Decimal("10")}, 2025, factors
    )
    coal = factors.fuel_default("bituminous_coal")
    coal_t = 10 * coal.ncv_gj_per_unit * coal.carbon_content_tc_per_gj * coal.oxidation_rate * CO2_PER_C
    assert figure.tco2 == Decimal("530.6") + Decimal("11.0") + coal_t
    assert "0.11 tCO2/GJ" in figure.method and "0.5306" in figure.method and "19.57 GJ/t" in figure.method


def test_every_carrier_has_factors_and_its_source_recorded(factors):
    assert set(year_factors(2025, factors)) == set(carriers())
    for carrier in carriers().values():
        assert carrier.source_document and carrier.status in {"verified", "to_verify"}
    assert gap_rule().threshold == Decimal("0.20") and gap_rule().status == "to_verify"


def test_a_year_without_a_grid_rule_has_no_electricity_factor_rather_than_a_guess(factors):
    assert "electricity" not in year_factors(1990, factors)
