"""Monthly filing deadlines from the policy calendar (data, not code)."""

from __future__ import annotations

import datetime

from tenants.models import DeadlinePolicy, Enterprise

NATIONAL_BASIS = "全国碳市场月度信息化存证：月结束后40个自然日内（生态环境部气候司问答，2022）"


def ensure_national_policy() -> DeadlinePolicy:
    policy, _created = DeadlinePolicy.objects.get_or_create(
        jurisdiction=None, defaults={"monthly_filing_days": 40, "basis": NATIONAL_BASIS}
    )
    return policy


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)


def monthly_filing_deadline(
    enterprise: Enterprise, year: int, month: int
) -> tuple[datetime.date, DeadlinePolicy]:
    """The due date of a month's filing and the policy it comes from (the nearest up the tree)."""
    policies = {policy.jurisdiction_id: policy for policy in DeadlinePolicy.objects.all()}
    jurisdiction = enterprise.jurisdiction
    while jurisdiction is not None and jurisdiction.code not in policies:
        jurisdiction = jurisdiction.parent
    policy = policies.get(jurisdiction.code if jurisdiction else None) or ensure_national_policy()
    return month_end(year, month) + datetime.timedelta(days=policy.monthly_filing_days), policy
