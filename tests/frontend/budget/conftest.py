from tests.steward.budget.conftest import feed, register, sealed  # noqa: F401
