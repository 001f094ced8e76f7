"""Running the rule pack over a month."""

from __future__ import annotations

from steward.quality.context import MonthContext
from steward.quality.registry import BLOCKING, INFO, RULES, WARNING, Finding
from steward.quality.rules import RULE_PACK_VERSION

SEVERITY_ORDER = {BLOCKING: 0, WARNING: 1, INFO: 2}


def check_month(context: MonthContext) -> list[Finding]:
    """Every finding of every rule that applies to the month, most severe first."""
    findings = [
        finding for rule in RULES.values() if rule.applies_to(context) for finding in rule.run(context)
    ]
    return sorted(
        findings, key=lambda finding: (SEVERITY_ORDER[finding.severity], finding.rule_id, finding.item)
    )


def pack_version() -> str:
    return RULE_PACK_VERSION
