"""Compliance counts direct emissions (fuel combustion + process) since the 2023–2024 power plan and for the new
sectors from 2024; power 2019–2022 counted purchased electricity too; the carbon-efficiency code keeps the total."""

from decimal import Decimal as D

import pytest

from steward.compliance import scope, selectors

YEAR = 2024  # no demo records in 2024

LINES = [
    {"key": "fuel[0]", "category": "fuel_combustion", "tco2": "75000.00"},
    {"key": "clinker_process", "category": "process", "tco2": "1000.00"},
    {"key": "purchased_electricity", "category": "purchased_electricity", "tco2": "4000.00"},
    {"key": "purchased_heat", "category": "purchased_heat", "tco2": "500.00"},
]


def test_scopes_sum_the_lines_they_count():
    # direct: 75,000 + 1,000 = 76,000; with electricity: + 4,000 = 80,000; everything: + 500 = 80,500;
    # energy use (carbon-efficiency code): 75,000 + 4,000 + 500 = 79,500 (the process line is not energy use)
    assert scope.scoped_tco2(LINES, "energy_use") == D("79500.00")
    assert scope.scoped_tco2(LINES, "direct") == D("76000.00")
    assert scope.scoped_tco2(LINES, "direct_and_electricity") == D("80000.00")
    assert scope.scoped_tco2(LINES, None) == D("80500.00")


def test_a_line_of_unknown_category_is_refused_not_dropped():
    with pytest.raises(scope.UnknownLineCategory):
        scope.scoped_tco2([*LINES, {"key": "x", "category": "", "tco2": "1"}], "direct")


def test_2024_power_position_and_forecast_take_direct_emissions(power_2024, lock_month):
    # Apr–Jun locked: 76,000 t direct + 4,000 t purchased electricity each (80,000 t total)
    for month in (4, 5, 6):
        lock_month(
            YEAR, month, "80000.00", lines={"fuel_combustion": "76000.00", "purchased_electricity": "4000.00"}
        )
    data = selectors.year_position(YEAR)
    assert data.policy.emissions_scope == "direct" and data.emissions.scope == "direct"
    assert data.emissions.unscoped_months == ()
    assert data.emissions.months == {
        1: D("80000.00"),
        2: D("80000.00"),
        3: D("80000.00"),
        4: D("76000.00"),
        5: D("76000.00"),
        6: D("76000.00"),
    }
    # run-rate: (3 × 80,000 + 3 × 76,000) / 6 = 78,000 per month; 468,000 + 6 × 78,000 = 936,000
    assert data.forecast.point == D("936000.00")
    # 877,000 − 936,000 = −59,000 (on the total it would be 877,000 − 960,000 = −83,000)
    assert data.position.surplus == D("-59000.00")
    # the carbon-efficiency code grades emissions from energy use, electricity included (DOMAIN.md §5)
    assert selectors.carbon_efficiency(YEAR).emissions.months[4] == D("80000.00")


def test_2022_power_counts_purchased_electricity_but_not_heat(power_schema, lock_month):
    lock_month(
        2022,
        1,
        "80500.00",
        lines={"fuel_combustion": "76000.00", "purchased_electricity": "4000.00", "purchased_heat": "500.00"},
    )
    policy = selectors.policy_for(2022)
    assert (policy.sector, policy.emissions_scope) == ("power", "direct_and_electricity")
    # 76,000 + 4,000 = 80,000 (heat 500 t is reported, never counted)
    assert selectors.verified_emissions(2022, policy.emissions_scope).months == {1: D("80000.00")}


def test_a_sealed_month_whose_run_cannot_be_read_counts_at_its_total_and_is_named(power_schema, lock_month):
    lock_month(2023, 1, "80000.00")  # pins run 0, which does not exist
    basis = selectors.verified_emissions(2023, "direct")
    assert basis.months == {1: D("80000.00")} and basis.unscoped_months == (1,)


def test_enterprise_only_lines_are_outside_the_ets_figure_but_in_energy_use():
    lines = [
        {"key": "fuel[0]", "category": "fuel_combustion", "tco2": "20000.00", "boundary": "clinker_facility"},
        {"key": "fuel[1]", "category": "fuel_combustion", "tco2": "30.96", "boundary": "enterprise"},
        {"key": "clinker_process", "category": "process", "tco2": "50000.00", "boundary": "clinker_facility"},
    ]
    # ETS figure: 20,000 + 50,000 (the boiler outside the clinker facility is reported, not counted)
    assert scope.scoped_tco2(lines, "direct") == D("70000.00")
    assert scope.scoped_tco2(lines, "energy_use") == D("20030.96")
