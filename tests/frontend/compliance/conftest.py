"""The compliance pages use the compliance tests' fixtures (the power plant's 2024 allocation)."""

from tests.steward.compliance.conftest import lock_month_fixture, power_2024, power_schema, release  # noqa: F401
