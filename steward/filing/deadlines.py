"""Filing obligations, reminders and escalation.

Each month of the current year up to last month must be filed by its deadline (the jurisdiction's policy).
Seven days before: a reminder to the enterprise's filers and administrators. After the deadline: escalation to
the steward reviewers whose live engagement covers carbon. Ten days after: escalation to the bureau of the
enterprise's jurisdiction (and the city). Each notice is sent once (deduplicated per person and stage).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from steward.carbon.models import EmissionSource
from steward.filing.models import FilingStatus, MonthlyFiling
from tenants.access import live_engagements
from tenants.deadlines import monthly_filing_deadline
from tenants.models import (
    Enterprise,
    Notification,
    User,
)

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
        return STATUS_LABELS.get(self.status, "未开始")


def obligations(enterprise: Enterprise, today: datetime.date) -> list[Obligation]:
    """The months this enterprise must have filed or must file next (current schema must be the enterprise's)."""
    if not EmissionSource.objects.exists():
        return []
    latest = {}
    for filing in MonthlyFiling.objects.order_by("year", "month", "version"):
        latest[(filing.year, filing.month)] = filing.status
    found = []
    for month in range(1, today.month):
        deadline, _policy = monthly_filing_deadline(enterprise, today.year, month)
        found.append(Obligation(today.year, month, deadline, latest.get((today.year, month), "not_started")))
    return found


def _enterprise_people(enterprise: Enterprise) -> list[User]:
    return list(
        User.objects.filter(
            enterprise_memberships__enterprise=enterprise,
            is_active=True,
            enterprise_memberships__role__in=["enterprise_admin", "enterprise_filer"],
            enterprise_memberships__revoked_at__isnull=True,
        ).distinct()
    )


def _stewards(enterprise: Enterprise, today: datetime.date) -> list[User]:
    firms = live_engagements(today=today).filter(enterprise=enterprise, covers_carbon=True).values("firm_id")
    return list(
        User.objects.filter(
            steward_memberships__firm_id__in=firms,
            steward_memberships__revoked_at__isnull=True,
            is_active=True,
        ).distinct()
    )


def _bureau(enterprise: Enterprise) -> list[User]:
    codes = {enterprise.jurisdiction_id, enterprise.jurisdiction.parent_id}
    return list(
        User.objects.filter(
            Q(bureau_memberships__bureau__jurisdiction_id__in=codes),
            bureau_memberships__revoked_at__isnull=True,
            is_active=True,
        ).distinct()
    )


def _notify(users, enterprise, kind, title, link, key) -> int:
    created = 0
    for user in users:
        _obj, was_created = Notification.objects.get_or_create(
            user=user,
            dedupe_key=key,
            defaults={"enterprise": enterprise, "kind": kind, "title": title, "link": link},
        )
        created += was_created
    return created


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
            created += _notify(
                _enterprise_people(enterprise),
                enterprise,
                "reminder",
                f"{label}将于 {item.deadline} 截止（剩余 {days} 天，当前：{item.status_label}）",
                link,
                f"{key}:reminder",
            )
        if days < 0:
            title = f"{label}已逾期 {-days} 天（截止 {item.deadline}，当前：{item.status_label}）"
            created += _notify(
                _enterprise_people(enterprise) + _stewards(enterprise, today),
                enterprise,
                "overdue",
                title,
                link,
                f"{key}:overdue",
            )
        if days < -BUREAU_ESCALATION_DAYS:
            created += _notify(
                _bureau(enterprise),
                enterprise,
                "overdue",
                f"{label}逾期超过 {BUREAU_ESCALATION_DAYS} 天（截止 {item.deadline}）",
                link,
                f"{key}:bureau",
            )
    return created
