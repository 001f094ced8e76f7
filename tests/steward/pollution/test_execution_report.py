"""Execution reports: periods from the permit, the review flow and who may take each step, the PDF copy of record,
and the reconciliation of declared fuel against the carbon records."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reports.testing import pdf_text
from steward.carbon.models import EmissionSource
from steward.documents.copy_of_record import read_document
from steward.pollution.models import ReportStatus
from steward.pollution.reconciliation import reconcile
from tenants.access import workspace_access
from tenants.models import User
from workflows import execution_report as execution

LAST = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


def grant(username, enterprise):
    user = User.objects.get(username=username)
    return user, workspace_access(user, enterprise)


def test_monthly_report_reviewed_by_the_environmental_steward_and_stored_as_pdf(power):
    enterprise = power["enterprise"]
    filer, filer_grant = grant("power.filer", enterprise)
    report = execution.open_report(
        frequency="monthly", year=LAST.year, period=LAST.month, by=filer, grant=filer_grant
    )
    assert report.deadline == (LAST + datetime.timedelta(days=1)).replace(day=15)
    report = execution.submit(report=report, by=filer, grant=filer_grant)
    assert report.status == ReportStatus.IN_REVIEW and len(report.content_sha256) == 64
    # The enterprise admin does not review while a steward's environmental engagement is live.
    admin, admin_grant = grant("power.admin", enterprise)
    with pytest.raises(PermissionDenied):
        execution.approve(report=report, enterprise=enterprise, by=admin, grant=admin_grant)
    steward, steward_grant = grant("greencarbon.reviewer", enterprise)
    report = execution.approve(report=report, enterprise=enterprise, by=steward, grant=steward_grant)
    assert report.status == ReportStatus.APPROVED
    text = pdf_text(read_document(report.document))
    assert "排污许可证执行报告" in text and "超标情况" in text and "氮氧化物" in text
    assert [e.action for e in report.events.all()] == ["opened", "submitted", "approved"]


def test_carbon_only_steward_may_not_review_and_admin_reviews_instead(paper):
    enterprise = paper["enterprise"]
    filer, filer_grant = grant("paper.filer", enterprise)
    with pytest.raises(
        ValidationError
    ) as error:  # the paper permit asks for quarterly and annual reports only
        execution.open_report(frequency="monthly", year=2026, period=1, by=filer, grant=filer_grant)
    assert error.value.code == "frequency"
    report = execution.open_report(frequency="quarterly", year=2026, period=1, by=filer, grant=filer_grant)
    assert report.deadline == datetime.date(2026, 4, 15)
    report = execution.submit(report=report, by=filer, grant=filer_grant)
    steward, steward_grant = grant("qingyuan.reviewer", enterprise)  # qingyuan covers carbon only here
    with pytest.raises(PermissionDenied):
        execution.return_for_changes(report=report, comment="请补充", by=steward, grant=steward_grant)
    # No live environmental engagement: the enterprise administrator would review. paper has none, so nobody
    # with a role here may; the filer may not review its own report.
    with pytest.raises(PermissionDenied):
        execution.approve(report=report, enterprise=enterprise, by=filer, grant=filer_grant)


def test_return_needs_a_comment_and_allows_resubmission(power):
    enterprise = power["enterprise"]
    filer, filer_grant = grant("power.filer", enterprise)
    steward, steward_grant = grant("greencarbon.manager", enterprise)
    report = execution.open_report(frequency="quarterly", year=2026, period=1, by=filer, grant=filer_grant)
    report = execution.submit(report=report, by=filer, grant=filer_grant)
    with pytest.raises(ValidationError):
        execution.return_for_changes(report=report, comment=" ", by=steward, grant=steward_grant)
    report = execution.return_for_changes(
        report=report, comment="燃料用量请与台账核对", by=steward, grant=steward_grant
    )
    assert report.status == ReportStatus.RETURNED
    report = execution.submit(report=report, by=filer, grant=filer_grant)
    assert report.status == ReportStatus.IN_REVIEW
    with pytest.raises(PermissionDenied):  # the bureau never takes a step
        inspector, inspector_grant = grant("changxing.inspector", enterprise)
        execution.approve(report=report, enterprise=enterprise, by=inspector, grant=inspector_grant)


def test_declared_fuel_reconciled_against_the_carbon_records(paper):
    enterprise = paper["enterprise"]
    filer, filer_grant = grant("paper.filer", enterprise)
    report = execution.open_report(
        frequency="quarterly", year=LAST.year, period=1, by=filer, grant=filer_grant
    )
    coal = EmissionSource.objects.get(code="B1-COAL")
    for month, quantity, unit in ((1, D("3600"), "t"), (2, D("3550"), "t"), (3, D("0.36"), "10^4 t")):
        execution.declare_fuel(
            report=report, source=coal, month=month, quantity=quantity, unit=unit, by=filer, grant=filer_grant
        )
    differences = reconcile(report)
    # January matches; February: 3 600 t recorded − 3 550 t declared = 50 t; March: 0.36 × 10⁴ t = 3 600 t matches.
    assert [(d.month, d.declared, d.recorded) for d in differences] == [(2, D("3550"), D("3600"))]
    assert "相差 50 t" in differences[0].message
    # A corrected declaration supersedes the first; the row itself is never edited.
    execution.declare_fuel(
        report=report, source=coal, month=2, quantity=D("3600"), unit="t", by=filer, grant=filer_grant
    )
    assert reconcile(report) == []
    with pytest.raises(ValidationError):
        execution.declare_fuel(
            report=report, source=coal, month=5, quantity=D("1"), unit="t", by=filer, grant=filer_grant
        )
