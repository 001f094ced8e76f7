"""The intake pages use the intake tests' fixtures (the power plant's workspace)."""

from tests.steward.intake.conftest import power  # noqa: F401
