"""The steward portfolio: every client of the user's firms with a live engagement, month by month.

Columns follow the engagement's scope: the monthly filing and carbon metrics only where carbon is covered,
environmental metrics only where the environmental scope is (tenants.access.SCOPED_ACTIONS).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from steward.oversight.columns import METRIC_COLUMNS, MetricColumn
from steward.oversight.models import Metric, MonthFact
from steward.oversight.scope import Client, steward_clients
from tenants.deadlines import monthly_filing_deadline
from tenants.models import User


@dataclass(frozen=True)
class MissingMonth:
    """A month with no filing at all, past its deadline (deadline from the public policy calendar)."""

    year: int
    month: int
    deadline: datetime.date
    status: str = "not_started"


def missing_months(enterprise, year: int, filed: set[int], today: datetime.date) -> list[MissingMonth]:
    """Months an obligated enterprise should have filed by now and has not opened."""
    last = 12 if year < today.year else today.month - 1
    missing = []
    for month in range(1, last + 1):
        if month in filed:
            continue
        deadline, _policy = monthly_filing_deadline(enterprise, year, month)
        if deadline < today:
            missing.append(MissingMonth(year, month, deadline))
    return missing


@dataclass
class PortfolioRow:
    client: Client
    months: dict[int, MonthFact | None]
    metrics: dict[str, Metric] = field(default_factory=dict)
    today: datetime.date = field(default_factory=timezone.localdate)
    missing: list[MissingMonth] = field(default_factory=list)

    @property
    def enterprise(self):
        return self.client.enterprise

    @property
    def covers_carbon(self) -> bool:
        return "carbon" in self.client.scopes

    @property
    def open_findings(self) -> int:
        return sum(fact.open_findings for fact in self.months.values() if fact)

    @property
    def overdue(self) -> list[MonthFact | MissingMonth]:
        late = [
            fact
            for fact in self.months.values()
            if fact
            and fact.status != "locked"
            and fact.figures_version is None
            and fact.deadline < self.today
        ]
        return sorted([*late, *self.missing], key=lambda item: item.month)

    @property
    def next_deadline(self) -> datetime.date | None:
        pending = [
            f.deadline
            for f in self.months.values()
            if f and f.status != "locked" and f.deadline >= self.today
        ]
        return min(pending, default=None)

    def cells(self, columns: list[MetricColumn]) -> list[Metric | None | bool]:
        """Per column: the metric, None when not projected, False when the scope does not cover it."""
        return [
            self.metrics.get(column.key) if column.scope in self.client.scopes else False
            for column in columns
        ]


@dataclass
class Portfolio:
    year: int
    rows: list[PortfolioRow]
    columns: list[MetricColumn]
    any_carbon: bool


def build_portfolio(
    user: User,
    *,
    year: int,
    district: str = "",
    only_overdue: bool = False,
    today: datetime.date | None = None,
) -> Portfolio:
    today = today or timezone.localdate()
    clients = [c for c in steward_clients(user) if not district or c.enterprise.jurisdiction_id == district]
    carbon_ids = [c.enterprise.pk for c in clients if "carbon" in c.scopes]
    facts: dict[int, dict[int, MonthFact]] = {}
    for fact in MonthFact.objects.filter(enterprise_id__in=carbon_ids, year=year):
        facts.setdefault(fact.enterprise_id, {})[fact.month] = fact
    metrics: dict[int, dict[str, Metric]] = {}
    in_scope = {c.enterprise.pk: c.scopes for c in clients}
    for metric in Metric.objects.filter(enterprise_id__in=in_scope, year=year).order_by("month"):
        column = next((col for col in METRIC_COLUMNS if col.key == metric.key), None)
        if column and column.scope in in_scope[metric.enterprise_id]:
            metrics.setdefault(metric.enterprise_id, {})[metric.key] = metric  # the latest month wins
    scopes_held = set().union(*in_scope.values()) if in_scope else set()
    shown_keys = {key for found in metrics.values() for key in found}
    columns = [col for col in METRIC_COLUMNS if col.scope in scopes_held and col.key in shown_keys]
    rows = []
    for client in clients:
        months = facts.get(client.enterprise.pk, {})
        carbon = "carbon" in client.scopes
        obligated = carbon and (client.enterprise.in_national_carbon_market or bool(months))
        row = PortfolioRow(
            client=client,
            months={m: months.get(m) for m in range(1, 13)} if carbon else {},
            metrics=metrics.get(client.enterprise.pk, {}),
            today=today,
            missing=missing_months(client.enterprise, year, set(months), today) if obligated else [],
        )
        if not only_overdue or row.overdue:
            rows.append(row)
    return Portfolio(
        year=year, rows=rows, columns=columns, any_carbon=any("carbon" in c.scopes for c in clients)
    )
