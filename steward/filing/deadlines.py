"""Filing obligations, reminders and escalation.

Each month of the current year up to last month must be filed by its deadline (the jurisdiction's policy).
Seven days before: a reminder to the enterprise's filers and administrators. After the deadline: escalation to
the steward reviewers whose live engagement covers carbon. Ten days after: escalation to the bureau of the
enterprise's jurisdiction (and the city). Each notice is sent once (deduplicated per person and stage).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext

from steward.carbon.models import EmissionSource
from steward.filing.models import FilingStatus, MonthlyFiling
from tenants.deadlines import monthly_filing_deadline
from tenants.models import Enterprise, Notification
from tenants.recipients import bureau_people, carbon_stewards, enterprise_people, notify_once

REMINDER_DAYS = 7
BUREAU_ESCALATION_DAYS = 10
STATUS_LABELS = dict(FilingStatus.choices)


@dataclass(frozen=True)
class Obligation:
    year: int
    month: int
    deadline: datetime.date
    status: str  # a FilingStatus value, or "not_started"

    @property
    def done(self) -> bool:
        return self.status == FilingStatus.LOCKED

    def days_left(self, today: datetime.date) -> int:
        return (self.deadline - today).days

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, gettext("未开始")))


def obligations(enterprise: Enterprise, today: datetime.date) -> list[Obligation]:
    """The months this enterprise must have filed or must file next (current schema must be the enterprise's)."""
    if not EmissionSource.objects.exists():
        return []
    latest = {}
    for filing in MonthlyFiling.objects.order_by("year", "month", "version"):
        latest[(filing.year, filing.month)] = filing.status
    # The months of last month's year up to last month: on 1 January the whole year just ended (December is
    # due in January), not nothing.
    previous = today.replace(day=1) - datetime.timedelta(days=1)
    found = []
    for month in range(1, previous.month + 1):
        deadline, _policy = monthly_filing_deadline(enterprise, previous.year, month)
        status = latest.get((previous.year, month), "not_started")
        found.append(Obligation(previous.year, month, deadline, status))
    return found


def send_deadline_notices(enterprise: Enterprise, today: datetime.date) -> int:
    """Create the reminders and escalations due today for one enterprise. Returns how many were created."""
    created = 0
    for item in obligations(enterprise, today):
        if item.done:
            continue
        label = f"{enterprise.name_zh} {item.year}年{item.month}月月度存证"
        link = f"/e/{enterprise.slug}/filing/{item.year}/{item.month}/"
        key = f"{enterprise.slug}:{item.year}-{item.month:02d}"
        days = item.days_left(today)
        if 0 <= days <= REMINDER_DAYS:
            created += notify_once(
                enterprise_people(enterprise),
                enterprise,
                kind=Notification.Kind.REMINDER,
                title=f"{label}将于 {item.deadline} 截止（剩余 {days} 天，当前：{item.status_label}）",
                link=link,
                key=f"{key}:reminder",
            )
        if days < 0:
            created += notify_once(
                [*enterprise_people(enterprise), *carbon_stewards(enterprise, today)],
                enterprise,
                kind=Notification.Kind.OVERDUE,
                title=f"{label}已逾期 {-days} 天（截止 {item.deadline}，当前：{item.status_label}）",
                link=link,
                key=f"{key}:overdue",
            )
        if days < -BUREAU_ESCALATION_DAYS:
            created += notify_once(
                bureau_people(enterprise),
                enterprise,
                kind=Notification.Kind.OVERDUE,
                title=f"{label}逾期超过 {BUREAU_ESCALATION_DAYS} 天（截止 {item.deadline}）",
                link=link,
                key=f"{key}:bureau",
            )
    return created
