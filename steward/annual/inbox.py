"""Inbox entries for the annual report: each step puts a task in the next person's inbox (once per version)."""

from __future__ import annotations

from django.db.models import Q

from steward.annual.models import AnnualReport
from tenants.access import live_engagements
from tenants.models import Enterprise, Notification, User


def _link(enterprise: Enterprise, report: AnnualReport) -> str:
    return f"/e/{enterprise.slug}/annual/{report.year}/"


def _notify(users, enterprise: Enterprise, report: AnnualReport, stage: str, title: str) -> int:
    created = 0
    key = f"{enterprise.slug}:annual:{report.year}:v{report.version}:{stage}"
    for user in users:
        _obj, was_created = Notification.objects.get_or_create(
            user=user,
            dedupe_key=key,
            defaults={
                "enterprise": enterprise,
                "kind": Notification.Kind.TASK,
                "title": title[:200],
                "link": _link(enterprise, report),
            },
        )
        created += was_created
    return created


def _enterprise_users(enterprise: Enterprise, roles: list[str]):
    return User.objects.filter(
        enterprise_memberships__enterprise=enterprise,
        enterprise_memberships__role__in=roles,
        enterprise_memberships__revoked_at__isnull=True,
        is_active=True,
    ).distinct()


def _label(enterprise: Enterprise, report: AnnualReport) -> str:
    return f"{enterprise.name_zh} {report.year}年度排放报告（第{report.version}版）"


def notify_reviewers(enterprise: Enterprise, report: AnnualReport) -> int:
    """The steward whose live engagement covers carbon reviews; without one, the enterprise admin does."""
    firms = live_engagements().filter(enterprise=enterprise, covers_carbon=True).values("firm_id")
    stewards = User.objects.filter(
        steward_memberships__firm_id__in=firms, steward_memberships__revoked_at__isnull=True, is_active=True
    ).distinct()
    reviewers = stewards if stewards.exists() else _enterprise_users(enterprise, ["enterprise_admin"])
    return _notify(reviewers, enterprise, report, "review", f"{_label(enterprise, report)}待质量审核")


def notify_signatories(enterprise: Enterprise, report: AnnualReport) -> int:
    users = _enterprise_users(enterprise, ["enterprise_signatory"])
    return _notify(users, enterprise, report, "sign", f"{_label(enterprise, report)}待签署")


def notify_bureau(enterprise: Enterprise, report: AnnualReport) -> int:
    codes = {enterprise.jurisdiction_id, enterprise.jurisdiction.parent_id}
    users = User.objects.filter(
        Q(bureau_memberships__bureau__jurisdiction_id__in=codes),
        bureau_memberships__revoked_at__isnull=True,
        is_active=True,
    ).distinct()
    return _notify(users, enterprise, report, "decide", f"{_label(enterprise, report)}已报送，待接收")


def notify_enterprise(enterprise: Enterprise, report: AnnualReport, *, stage: str) -> int:
    titles = {
        "review_returned": "被质量审核退回，须更正",
        "bureau_returned": "被主管部门退回，须更正",
        "accepted": "已被主管部门接收",
    }
    users = _enterprise_users(enterprise, ["enterprise_admin", "enterprise_filer"])
    return _notify(users, enterprise, report, stage, f"{_label(enterprise, report)}{titles[stage]}")
