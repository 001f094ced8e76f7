"""Rules are data plus one small function: id, category, severity, scope, validity and the guideline clause."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils import translation

from steward.quality.context import MonthContext
from steward.quality.text import Message, render, stored

BLOCKING, WARNING, INFO = "blocking", "warning", "info"
CATEGORIES = ("completeness", "timeliness", "plausibility", "consistency", "evidence", "method_conformity")


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str
    category: str
    item: str  # the source code (or "month") the finding is about
    message: str  # the Chinese sentence, as the filing keeps it
    clause: str
    text: dict = field(
        default_factory=dict, compare=False
    )  # the catalogue entry and values (quality/text.py)

    @property
    def display_message(self) -> str:
        """The message in the reader's language."""
        return render(self.text, self.message)

    @property
    def display_clause(self) -> str:
        return render({"id": self.clause, "params": {}})

    def as_json(self) -> dict:
        return {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "category": self.category,
            "item": self.item,
            "message": self.message,
            "clause": self.clause,
            "text": self.text or stored(self.message),
        }


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    category: str
    severity: str
    clause: str
    methodologies: frozenset[str] | None  # None: every methodology
    valid_from_year: int
    valid_to_year: int | None
    # (context, **parameters) → [(item, message)], the message a plain sentence or a quality.text.Message
    check: Callable[..., list[tuple[str, str | Message]]]
    parameters: Mapping[str, object] = field(default_factory=dict)  # thresholds are data, not code

    def applies_to(self, context: MonthContext) -> bool:
        in_scope = self.methodologies is None or context.methodology in self.methodologies
        in_time = self.valid_from_year <= context.year and (
            self.valid_to_year is None or context.year <= self.valid_to_year
        )
        return in_scope and in_time

    def run(self, context: MonthContext) -> list[Finding]:
        with translation.override("zh-hans"):  # the record's words, whatever language the page asking speaks
            return [
                Finding(
                    self.id, self.severity, self.category, item, str(message), self.clause, stored(message)
                )
                for item, message in self.check(context, **self.parameters)
            ]


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    *,
    title: str,
    category: str,
    severity: str,
    clause: str,
    methodologies: tuple[str, ...] | None = None,
    valid_from_year: int = 2021,
    valid_to_year: int | None = None,
    parameters: Mapping[str, object] | None = None,
):
    """Register the decorated function as a rule of the pack."""
    if category not in CATEGORIES or severity not in (BLOCKING, WARNING, INFO):
        raise ValueError(f"{rule_id}: bad category or severity")

    def register(check):
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id}")
        RULES[rule_id] = Rule(
            rule_id,
            title,
            category,
            severity,
            clause,
            frozenset(methodologies) if methodologies else None,
            valid_from_year,
            valid_to_year,
            check,
            dict(parameters or {}),
        )
        return check

    return register
