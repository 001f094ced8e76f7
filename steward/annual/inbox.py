"""Inbox entries for the annual report: each step puts a task in the next person's inbox (once per version)."""

from __future__ import annotations

from steward.annual.models import AnnualReport
from tenants.models import Enterprise, Notification
from tenants.recipients import bureau_people, carbon_stewards, enterprise_people, notify_once


def _link(enterprise: Enterprise, report: AnnualReport) -> str:
    return f"/e/{enterprise.slug}/annual/{report.year}/"


def _notify(users, enterprise: Enterprise, report: AnnualReport, stage: str, title: str) -> int:
    return notify_once(
        users,
        enterprise,
        kind=Notification.Kind.TASK,
        title=title,
        link=_link(enterprise, report),
        key=f"{enterprise.slug}:annual:{report.year}:v{report.version}:{stage}",
    )


def _label(enterprise: Enterprise, report: AnnualReport) -> str:
    return f"{enterprise.name_zh} {report.year}年度排放报告（第{report.version}版）"


def notify_reviewers(enterprise: Enterprise, report: AnnualReport) -> int:
    """The steward whose live engagement covers carbon reviews; without one, the enterprise admin does."""
    stewards = carbon_stewards(enterprise)
    reviewers = stewards if stewards.exists() else enterprise_people(enterprise, ["enterprise_admin"])
    return _notify(reviewers, enterprise, report, "review", f"{_label(enterprise, report)}待质量审核")


def notify_signatories(enterprise: Enterprise, report: AnnualReport) -> int:
    users = enterprise_people(enterprise, ["enterprise_signatory"])
    return _notify(users, enterprise, report, "sign", f"{_label(enterprise, report)}待签署")


def notify_bureau(enterprise: Enterprise, report: AnnualReport) -> int:
    return _notify(
        bureau_people(enterprise), enterprise, report, "decide", f"{_label(enterprise, report)}已报送，待接收"
    )


def notify_enterprise(enterprise: Enterprise, report: AnnualReport, *, stage: str) -> int:
    titles = {
        "review_returned": "被质量审核退回，须更正",
        "bureau_returned": "被主管部门退回，须更正",
        "accepted": "已被主管部门接收",
    }
    users = enterprise_people(enterprise)
    return _notify(users, enterprise, report, stage, f"{_label(enterprise, report)}{titles[stage]}")
