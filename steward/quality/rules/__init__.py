"""The rule pack. Importing this package registers every rule (one module per category)."""

from steward.quality.rules import completeness, consistency, evidence, method, plausibility, timeliness  # noqa: F401

RULE_PACK_VERSION = "HZ-DQ-2026.2"
