"""The steward's queue: every client's items waiting for the steward, by live engagement and scope."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from steward.annual.models import AnnualReport
from steward.filing.models import FilingFinding, FilingStatus, MonthlyFiling
from steward.filing.queue import QueueFilters, steward_queue
from steward.pollution.models import ExecutionReport, Permit
from tenants.models import Enterprise, User

TODAY = timezone.localdate()  # engagements of the demo world are live relative to today


def _filing(slug: str, month: int, status: str, days_left: int = 0, **extra) -> MonthlyFiling:
    """A month of 2026 whose deadline is `days_left` days away (negative: overdue)."""
    with schema_context(Enterprise.objects.get(slug=slug).schema_name):
        return MonthlyFiling.objects.create(
            year=2026, month=month, status=status, deadline=TODAY + datetime.timedelta(days_left), **extra
        )


def _execution_report(slug: str, status: str = "in_review") -> ExecutionReport:
    with schema_context(Enterprise.objects.get(slug=slug).schema_name):
        permit = Permit.objects.first() or Permit.objects.create(
            permit_number=f"PERMIT-{slug}",
            management_class="key",
            valid_from=datetime.date(2024, 1, 1),
            valid_to=datetime.date(2029, 1, 1),
            report_frequencies=["quarterly"],
            entered_by=User.objects.get(username="platform"),
        )
        return ExecutionReport.objects.create(
            frequency="quarterly",
            year=2026,
            period=3,
            status=status,
            deadline=TODAY + datetime.timedelta(days=5),
            permit=permit,
        )


def _annual_report(slug: str) -> AnnualReport:
    with schema_context(Enterprise.objects.get(slug=slug).schema_name):
        return AnnualReport.objects.create(
            year=2025,
            status="in_review",
            deadline=TODAY + datetime.timedelta(days=30),
            deadline_basis="测试",
            payload={},
            payload_sha256="0" * 64,
            total_tco2=0,
            compiled_by=User.objects.get(username="platform"),
        )


def _queue(username: str, **filters):
    items = steward_queue(User.objects.get(username=username), today=TODAY)
    return QueueFilters(**filters).apply(items) if filters else items


def _seen(items) -> set[tuple[str, str, str]]:
    return {(item.enterprise.slug, item.kind, item.period) for item in items}


@pytest.mark.django_db
def test_a_steward_sees_every_live_client_and_nothing_of_ended_or_foreign_clients():
    _filing("cx-power", 9, FilingStatus.IN_REVIEW, days_left=3)  # greencarbon: carbon + environmental
    _filing("wx-cement", 8, FilingStatus.IN_REVIEW, days_left=-4)  # greencarbon: carbon
    _filing("nx-dyeing", 9, FilingStatus.IN_REVIEW)  # greencarbon's engagement ended last month
    _filing("dq-fibre", 9, FilingStatus.IN_REVIEW)  # qingyuan's client (environmental only)
    _filing("nth-paper", 9, FilingStatus.IN_REVIEW)  # qingyuan's client (carbon)
    _filing("aj-wood", 9, FilingStatus.IN_REVIEW)  # qingyuan's engagement revoked
    _annual_report("cx-power")

    seen = _seen(_queue("greencarbon.reviewer"))
    assert seen == {
        ("wx-cement", "filing_review", "2026年8月"),
        ("cx-power", "filing_review", "2026年9月"),
        ("cx-power", "annual_review", "2025年度"),
    }
    assert _seen(_queue("qingyuan.reviewer")) == {("nth-paper", "filing_review", "2026年9月")}
    assert _queue("power.admin") == []  # an enterprise person has no steward queue
    items = _queue("greencarbon.reviewer")
    assert [item.deadline for item in items] == sorted(item.deadline for item in items)  # by deadline
    first = items[0]
    assert first.enterprise.slug == "wx-cement" and first.kind_label == "月度存证审核"
    assert first.status_label == "审核中" and first.days_left == -4 and first.days_overdue == 4
    assert first.overdue and first.link == "/e/wx-cement/filing/2026/8/"
    assert _seen(_queue("greencarbon.reviewer", overdue=True)) == {
        ("wx-cement", "filing_review", "2026年8月")
    }


@pytest.mark.django_db
def test_scope_decides_execution_reports_and_carbon_items():
    _execution_report("cx-power")  # greencarbon covers environmental at the power plant
    _execution_report("nth-paper")  # qingyuan covers carbon only at the paper mill
    _execution_report("dq-fibre")  # qingyuan covers environmental only at the fibre plant
    _filing("dq-fibre", 10, FilingStatus.IN_REVIEW)  # carbon: not qingyuan's scope there

    assert _seen(_queue("greencarbon.reviewer")) == {("cx-power", "execution_review", "2026年第3季度")}
    assert _seen(_queue("greencarbon.manager")) == {("cx-power", "execution_review", "2026年第3季度")}
    assert _seen(_queue("qingyuan.reviewer")) == {("dq-fibre", "execution_review", "2026年第3季度")}
    (item,) = _queue("qingyuan.reviewer")
    assert (
        item.status_label == "季报 · 审核中"
        and item.link == "/e/dq-fibre/pollution/reports/quarterly/2026/3/"
    )


@pytest.mark.django_db
def test_stuck_drafts_reopen_requests_and_who_they_are_assigned_to():
    draft = _filing("cx-power", 10, FilingStatus.DRAFT, days_left=8)
    waived = _filing("cx-power", 9, FilingStatus.RETURNED, days_left=2)
    _filing("wx-cement", 7, FilingStatus.LOCKED, reopen_reason="入炉煤量录入错误")
    with schema_context(Enterprise.objects.get(slug="cx-power").schema_name):
        for filing, reason in ((draft, ""), (draft, ""), (waived, "已核实")):
            FilingFinding.objects.create(
                filing=filing,
                rule_id="DQ-B01",
                severity="blocking",
                category="completeness",
                item=f"SRC{FilingFinding.objects.count()}",
                message="缺少活动数据",
                clause="测试",
                waiver_reason=reason,
            )
        FilingFinding.objects.create(
            filing=waived,
            rule_id="DQ-W01",
            severity="warning",
            category="c",
            item="x",
            message="m",
            clause="c",
        )

    reviewer = _queue("greencarbon.reviewer")
    assert _seen(reviewer) == {("cx-power", "stuck", "2026年10月"), ("wx-cement", "reopen", "2026年7月")}
    stuck = next(item for item in reviewer if item.kind == "stuck")
    assert stuck.blocking == 2 and stuck.status_label == "草稿" and stuck.days_left == 8
    assert not stuck.overdue and not stuck.approvable
    assert reviewer[-1].kind == "reopen" and reviewer[-1].deadline is None  # no deadline: last
    # Reviews and stuck drafts are the reviewers'; unsealing a locked month is the project manager's.
    assert _seen(_queue("greencarbon.reviewer", assigned="me")) == {("cx-power", "stuck", "2026年10月")}
    assert _seen(_queue("greencarbon.reviewer", assigned="others")) == {("wx-cement", "reopen", "2026年7月")}
    assert _seen(_queue("greencarbon.manager", assigned="me")) == {("wx-cement", "reopen", "2026年7月")}
    assert "greencarbon.reviewer" in {user.username for user in stuck.assignees}
    assert _seen(_queue("greencarbon.reviewer", kind="reopen")) == {("wx-cement", "reopen", "2026年7月")}
    assert _seen(_queue("greencarbon.reviewer", enterprise="cx-power", status="draft")) == {
        ("cx-power", "stuck", "2026年10月")
    }
    assert _queue("greencarbon.reviewer", overdue=True) == []
    assert {u.display_name for u in stuck.assignees} == {"孙绿"}


@pytest.mark.django_db
def test_a_firm_without_a_project_manager_has_its_reviewers_decide_reopen_requests():
    _filing("nth-paper", 5, FilingStatus.LOCKED, reopen_reason="产量录入错误")  # qingyuan: reviewers only
    (item,) = _queue("qingyuan.reviewer", assigned="me")
    assert item.kind == "reopen" and item.assignee_names == "李清源"


@pytest.mark.django_db
def test_a_month_in_review_is_not_sealed_over_an_open_finding():
    """What the queue offers to approve is what the workflow step accepts: nothing open on the month."""
    from django.core.exceptions import ValidationError

    from tenants.access import workspace_access
    from workflows import monthly_filing

    filing = _filing("cx-power", 9, FilingStatus.IN_REVIEW, days_left=3)
    enterprise = Enterprise.objects.get(slug="cx-power")
    steward = User.objects.get(username="greencarbon.reviewer")
    with schema_context(enterprise.schema_name):
        finding = FilingFinding.objects.create(
            filing=filing,
            rule_id="DQ-B02",
            severity="blocking",
            category="c",
            item="month",
            message="m",
            clause="c",
        )
    (item,) = _queue("greencarbon.reviewer")
    assert not item.approvable and item.blocking == 1
    with schema_context(enterprise.schema_name):
        with pytest.raises(ValidationError, match="不能审核通过：DQ-B02 month"):
            monthly_filing.approve(filing=filing, by=steward, grant=workspace_access(steward, enterprise))
        assert MonthlyFiling.objects.get(pk=filing.pk).status == FilingStatus.IN_REVIEW
        FilingFinding.objects.filter(pk=finding.pk).update(waiver_reason="已核实")
    (item,) = _queue("greencarbon.reviewer")
    assert item.approvable
