import copy

import pytest

from steward.factors.source import FactorSnapshot

EXAMPLE_REQUEST = {
    "methodology": "cn_ets_power_2022",
    "period": {"year": 2024, "month": 3},
    "fuels": [
        {
            "fuel": "bituminous_coal",
            "consumption": {"value": "85000", "unit": "t"},
            "carbon_content_ar": {"value": "0.5230", "unit": "fraction"},
            "oxidation_rate": "0.99",
        },
        {
            "fuel": "natural_gas",
            "consumption": {"value": "1200000", "unit": "m3"},
            "ncv": {"value": "389.31", "unit": "GJ/10^4 Nm3"},
            "carbon_content_per_heat": {"value": "0.0153", "unit": "tC/GJ"},
        },
    ],
    "purchased_electricity": {"value": "5000", "unit": "MWh"},
    "grid_factor": {"value": "0.5703", "unit": "tCO2/MWh"},
    "outputs": {"electricity_supplied": {"value": "200000", "unit": "MWh"}},
}


@pytest.fixture(scope="session")
def factors(django_db_setup, django_db_blocker) -> FactorSnapshot:
    """The shipped factor set, read once from the test database."""
    with django_db_blocker.unblock():
        return FactorSnapshot.current()


@pytest.fixture
def example_request() -> dict:
    return copy.deepcopy(EXAMPLE_REQUEST)
