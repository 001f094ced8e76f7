"""The burn-down of a carbon budget: plain functions, tested without a database.

Each month of the year carries its actual emissions and where they came from (`sealed`: the locked filing's
sealed figure in the oversight read model; `quick`: the register's 速算 from the bulk feeds; None: no figure yet).
The pro-rata budget to date is the budget × the share of the year's months passed, linear (1/12 each) or
seasonal (the enterprise's own monthly distribution of the previous year). Early warnings are rule data
(`data/warning_rules.csv`); each rule is evaluated at every month, so the table shows when a warning first rose,
and the budget's level is the highest rule raised at the last month with a figure.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

ZERO = Decimal(0)
ONE = Decimal(1)
MONTHS = range(1, 13)
SEALED, QUICK = "sealed", "quick"
LEVELS = ("ok", "attention", "warning", "overrun")  # in rising order
RULES_CSV = Path(__file__).parent / "data" / "warning_rules.csv"


@dataclass(frozen=True)
class WarningRule:
    rule: str
    measure: str
    threshold: Decimal
    level: str
    source_document: str
    status: str
    note: str


@cache
def warning_rules() -> tuple[WarningRule, ...]:
    with RULES_CSV.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rules = []
    for row in csv.DictReader(lines):
        if row["level"] not in LEVELS or row["measure"] not in MEASURES:
            raise ValueError(f"warning_rules.csv: unknown level or measure in {row}")
        rules.append(
            WarningRule(
                row["rule"],
                row["measure"],
                Decimal(row["threshold"]),
                row["level"],
                row["source_document"],
                row["status"],
                row["note"],
            )
        )
    return tuple(rules)


def linear_shares() -> dict[int, Decimal]:
    return {month: ONE / 12 for month in MONTHS}


def seasonal_shares(reference: dict[int, Decimal]) -> dict[int, Decimal] | None:
    """Each month's share of last year's total; None unless all twelve months are known and the total > 0."""
    if set(reference) != set(MONTHS):
        return None
    total = sum(reference.values(), ZERO)
    if total <= 0:
        return None
    return {month: reference[month] / total for month in MONTHS}


@dataclass(frozen=True)
class Raised:
    rule: str
    level: str
    text: str


@dataclass(frozen=True)
class MonthRow:
    month: int
    actual: Decimal | None
    source: str | None
    cumulative: Decimal
    planned: Decimal  # the pro-rata budget to date
    raised: tuple[Raised, ...] = ()

    @property
    def level(self) -> str:
        return highest(self.raised)


@dataclass(frozen=True)
class Burndown:
    budget: Decimal
    profile: str  # the profile applied ("linear" also when seasonal had no full reference year)
    rows: tuple[MonthRow, ...]
    as_of: int | None  # the last month with a figure
    missing: tuple[int, ...] = field(default=())  # months before as_of without a figure

    @property
    def cumulative(self) -> Decimal:
        return self.rows[self.as_of - 1].cumulative if self.as_of else ZERO

    @property
    def planned(self) -> Decimal:
        return self.rows[self.as_of - 1].planned if self.as_of else ZERO

    @property
    def used_share(self) -> Decimal:
        return self.cumulative / self.budget

    @property
    def projected(self) -> Decimal | None:
        """The year's emissions if the rest of the year follows the profile at the pace so far."""
        if not self.as_of or not self.planned:
            return None
        return self.cumulative / (self.planned / self.budget)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.cumulative

    @property
    def raised(self) -> tuple[Raised, ...]:
        return self.rows[self.as_of - 1].raised if self.as_of else ()

    @property
    def level(self) -> str:
        return highest(self.raised)

    @property
    def first_raised(self) -> dict[str, int]:
        """rule → the first month it was raised."""
        found: dict[str, int] = {}
        for row in self.rows:
            for item in row.raised:
                found.setdefault(item.rule, row.month)
        return found

    @property
    def sources(self) -> dict[str, int]:
        counts = {SEALED: 0, QUICK: 0}
        for row in self.rows:
            if row.source:
                counts[row.source] += 1
        return counts


def highest(raised) -> str:
    return max((item.level for item in raised), key=LEVELS.index, default="ok")


def _percent(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'))}%"


def _pace(cumulative, planned, budget, share):
    return cumulative / planned - 1 if planned else None


def _before_pace(cumulative, planned, budget, share):
    return cumulative / budget


def _projected_share(cumulative, planned, budget, share):
    return cumulative / share / budget if share else None


def _used_share(cumulative, planned, budget, share):
    return cumulative / budget


MEASURES = {
    "pace": _pace,
    "before_pace": _before_pace,
    "projected_share": _projected_share,
    "used_share": _used_share,
}


def evaluate(
    cumulative: Decimal, planned: Decimal, budget: Decimal, share: Decimal, month: int, rules
) -> tuple[Raised, ...]:
    """The rules raised with `cumulative` emitted against `planned` (the pro-rata budget to date, `share` of the
    year) after `month`. A projection is not a warning once the year is complete; the overrun rule says it."""
    raised = []
    for rule in rules:
        value = MEASURES[rule.measure](cumulative, planned, budget, share)
        if value is None:
            continue
        if rule.measure == "before_pace":
            hit = value >= rule.threshold and share < rule.threshold
        elif rule.measure == "projected_share":
            hit = month < 12 and value >= rule.threshold
        elif rule.measure == "pace":
            hit = value > rule.threshold
        else:
            hit = value >= rule.threshold
        if hit:
            raised.append(Raised(rule.rule, rule.level, _describe(rule, value, share)))
    return tuple(raised)


def _describe(rule: WarningRule, value: Decimal, share: Decimal) -> str:
    if rule.measure == "pace":
        return _("累计排放高于进度预算 %(value)s（阈值 %(threshold)s）") % {
            "value": _percent(value),
            "threshold": _percent(rule.threshold),
        }
    if rule.measure == "before_pace":
        return _("已用预算 %(value)s，按进度应为 %(share)s（阈值 %(threshold)s）") % {
            "value": _percent(value),
            "share": _percent(share),
            "threshold": _percent(rule.threshold),
        }
    if rule.measure == "projected_share":
        return _("按当前进度推算全年排放为预算的 %(value)s（阈值 %(threshold)s）") % {
            "value": _percent(value),
            "threshold": _percent(rule.threshold),
        }
    return _("累计排放已达预算的 %(value)s") % {"value": _percent(value)}


def burn_down(
    budget: Decimal,
    actuals: dict[int, tuple[Decimal, str]],
    *,
    profile: str = "linear",
    reference: dict[int, Decimal] | None = None,
    rules=None,
) -> Burndown:
    """Month by month: actual, source, cumulative, the pro-rata budget to date and the warnings raised.

    `actuals`: month → (tCO2, SEALED or QUICK). `reference`: last year's month → tCO2 for the seasonal profile;
    without all twelve months the profile falls back to linear (and says so in `Burndown.profile`)."""
    if budget <= 0:
        raise ValueError("budget must be positive")
    rules = warning_rules() if rules is None else rules
    shares = seasonal_shares(reference or {}) if profile == "seasonal" else None
    applied = "seasonal" if shares else "linear"
    shares = shares or linear_shares()
    as_of = max(actuals, default=None)
    rows, cumulative, share = [], ZERO, ZERO
    for month in MONTHS:
        share += shares[month]
        figure = actuals.get(month)
        if figure is not None:
            cumulative += figure[0]
        planned = budget * share
        raised = (
            ()
            if as_of is None or month > as_of
            else evaluate(cumulative, planned, budget, share, month, rules)
        )
        rows.append(
            MonthRow(
                month=month,
                actual=figure[0] if figure else None,
                source=figure[1] if figure else None,
                cumulative=cumulative,
                planned=planned,
                raised=raised,
            )
        )
    missing = tuple(month for month in MONTHS if as_of and month < as_of and month not in actuals)
    return Burndown(budget=budget, profile=applied, rows=tuple(rows), as_of=as_of, missing=missing)


# What people read instead of the codes above (templates use these through the view's context).
def level_labels() -> dict[str, str]:
    return {"ok": _("正常"), "attention": _("关注"), "warning": _("预警"), "overrun": _("超预算")}


def source_labels() -> dict[str | None, str]:
    return {SEALED: _("企业封存数据"), QUICK: _("速算"), None: _("暂无数据")}


def profile_labels() -> dict[str, str]:
    return {"linear": _("按月均摊"), "seasonal": _("按上年月度分布")}


def act_labels() -> dict[str, str]:
    return {
        "set": _("核定预算"),
        "requested": _("申请调整"),
        "approved": _("批准调整"),
        "refused": _("不予批准"),
    }
