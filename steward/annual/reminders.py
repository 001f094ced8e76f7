"""Reminders and escalation for the annual emission report's deadline.

Last year's report is due on `annual_report_deadline(year)` (31 March unless the deadline table says
otherwise). It is expected from an enterprise that has compiled one, and from an enterprise in the national
carbon market that filed months of that year here. Until it reaches the bureau (submitted or accepted):

* within 30 days of the deadline, and again within 7: a reminder to the enterprise's administrators, filers and
  signatories, naming where the report stands (not compiled, in review, awaiting signature, returned);
* after the deadline: an overdue notice to the same people and to the steward whose live engagement covers
  carbon, and at once to the bureau (a missing annual report breaches the carbon market rules; a late monthly
  record waits ten days before the bureau hears of it, steward/filing/deadlines.py).

Each notice goes once to each person (deduplicated per year and stage), whichever day the daily job first finds
it due. An enterprise with neither is skipped: it reports that year elsewhere (typically, it was onboarded later).
"""

from __future__ import annotations

import datetime

from steward.annual import selectors
from steward.annual.deadlines import annual_report_deadline
from steward.annual.models import ReportStatus
from steward.filing.models import MonthlyFiling
from tenants.models import Enterprise, Notification
from tenants.recipients import bureau_people, carbon_stewards, enterprise_people, notify_once

REMINDER_DAYS = (30, 7)
REACHED_THE_BUREAU = {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED}
RECIPIENTS = ("enterprise_admin", "enterprise_filer", "enterprise_signatory")


def send_annual_report_notices(enterprise: Enterprise, today: datetime.date) -> int:
    """Create the notices due today for last year's report (current schema: the enterprise's). Returns how many."""
    year = today.year - 1
    report = selectors.current_report(year)
    if report is None:
        obliged = enterprise.in_national_carbon_market and MonthlyFiling.objects.filter(year=year).exists()
        if not obliged:
            return 0
    elif report.status in REACHED_THE_BUREAU:
        return 0
    deadline, _basis = annual_report_deadline(year)
    days = (deadline - today).days
    stage = ReportStatus(report.status).label if report else "未汇编"
    label = f"{enterprise.name_zh} {year}年度排放报告"
    link = f"/e/{enterprise.slug}/annual/{year}/"
    key = f"{enterprise.slug}:annual:{year}:deadline"
    people = list(enterprise_people(enterprise, RECIPIENTS))
    if 0 <= days <= max(REMINDER_DAYS):
        window = min(limit for limit in REMINDER_DAYS if days <= limit)
        return notify_once(
            people,
            enterprise,
            kind=Notification.Kind.REMINDER,
            title=f"{label}将于 {deadline} 截止报送（剩余 {days} 天，当前：{stage}）",
            link=link,
            key=f"{key}:within-{window}",
        )
    if days >= 0:
        return 0
    title = f"{label}已逾期 {-days} 天未报送（截止 {deadline}，当前：{stage}）"
    return notify_once(
        [*people, *carbon_stewards(enterprise, today)],
        enterprise,
        kind=Notification.Kind.OVERDUE,
        title=title,
        link=link,
        key=f"{key}:overdue",
    ) + notify_once(
        bureau_people(enterprise),
        enterprise,
        kind=Notification.Kind.OVERDUE,
        title=title,
        link=link,
        key=f"{key}:bureau",
    )
