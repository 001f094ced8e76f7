from tests.steward.budget.conftest import feed, graded_pair, register, sealed  # noqa: F401
