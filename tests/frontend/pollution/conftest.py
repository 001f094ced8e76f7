"""The pollution pages use the pollution tests' fixtures (each demo permit loaded inside the test)."""

from tests.steward.pollution.conftest import paper, power  # noqa: F401
