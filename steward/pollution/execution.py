"""Execution report use cases: open for a period the permit requires, declare fuel, submit (content snapshot and
hash), return, approve (PDF copy of record stored as evidence). Every action leaves an append-only event."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.carbon.models import EmissionSource
from steward.documents.copy_of_record import issue_document, register_kind
from steward.oversight import projection as oversight
from steward.pollution import deadlines
from steward.pollution.accounting import month_results
from steward.pollution.compliance import cumulative, exceedances
from steward.pollution.models import DeclaredFuel, ExecutionReport, ExecutionReportEvent, ReportStatus
from steward.pollution.reconciliation import current_declarations, reconcile
from steward.pollution.services import current_permit
from tenants.access import WorkspaceAccess
from workflows.execution_report import ExecutionReportFlow
from workflows.transitions import run_transition

DOCUMENT_KIND = "execution_report"
register_kind(DOCUMENT_KIND, "排污许可执行报告", lambda grant, document: grant.allows("view_pollution"))


def current_report(frequency: str, year: int, period: int) -> ExecutionReport | None:
    return (
        ExecutionReport.objects.filter(frequency=frequency, year=year, period=period)
        .order_by("-version")
        .first()
    )


def _event(report: ExecutionReport, action: str, actor, comment: str = "") -> None:
    ExecutionReportEvent.objects.create(report=report, action=action, actor=actor, comment=comment[:500])


def _locked(report: ExecutionReport, expected: set[str]) -> ExecutionReport:
    fresh = ExecutionReport.objects.select_for_update().get(pk=report.pk)
    if fresh.status not in expected:
        raise ValidationError(
            _("该执行报告已被他人处理，当前状态为“%(status)s”，请刷新页面。"),
            code="conflict",
            params={"status": fresh.get_status_display()},
        )
    return fresh


@transaction.atomic
def open_report(*, frequency: str, year: int, period: int, by, grant: WorkspaceAccess) -> ExecutionReport:
    if not grant.allows("file_execution_report"):
        raise PermissionDenied("open_report")
    permit = current_permit()
    if permit is None:
        raise ValidationError(_("尚未登记排污许可证。"), code="no_permit")
    try:
        deadline = deadlines.execution_report_deadline(frequency, year, period)
    except ValueError as error:
        raise ValidationError(str(error), code="period") from error
    if frequency not in permit.report_frequencies:
        raise ValidationError(_("排污许可证未要求该频次的执行报告。"), code="frequency")
    if existing := current_report(frequency, year, period):
        return existing
    report = ExecutionReport.objects.create(
        frequency=frequency, year=year, period=period, deadline=deadline, permit=permit
    )
    _event(report, ExecutionReportEvent.Action.OPENED, by)
    oversight.refresh_current_enterprise()
    return report


def declare_fuel(
    *, report: ExecutionReport, source: EmissionSource, month: int, quantity, unit: str, by, grant
):
    """Fuel as declared in the report; a later declaration for the same source and month supersedes it."""
    if not grant.allows("file_execution_report"):
        raise PermissionDenied("declare_fuel")
    if report.status not in {ReportStatus.DRAFT, ReportStatus.RETURNED}:
        raise ValidationError(_("执行报告已提交，不能修改。"), code="not_draft")
    if month not in deadlines.period_months(report.frequency, report.period):
        raise ValidationError(_("月份不在报告期内。"), code="month")
    if quantity < 0:
        raise ValidationError(_("用量不能为负。"), code="negative")
    return DeclaredFuel.objects.create(
        report=report, source=source, month=month, quantity=quantity, unit=unit, entered_by=by
    )


def build_content(report: ExecutionReport) -> dict:
    """What the report states: actual emissions with method, exceedances, cumulative amounts, fuel, reconciliation."""
    months = list(deadlines.period_months(report.frequency, report.period))
    permit = report.permit
    return {
        "period": deadlines.period_label(report.frequency, report.year, report.period),
        "permit": {"number": permit.permit_number, "version": permit.version},
        "results": [r.as_json() for m in months for r in month_results(permit, report.year, m)],
        "exceedances": [
            {
                "outlet": e.outlet_code,
                "pollutant": e.pollutant,
                "at": e.starts_at.isoformat(),
                "averaging": e.averaging,
                "measured": str(e.measured),
                "compared": str(e.compared),
                "limit": str(e.limit),
                "unit": e.unit,
            }
            for m in months
            for e in exceedances(permit, report.year, m)
        ],
        "cumulative": [
            {
                "pollutant": c.pollutant,
                "tonnes": str(c.tonnes),
                "permitted": str(c.permitted),
                "status": c.status,
            }
            for c in cumulative(permit, report.year, months[-1])
        ],
        "fuels": [
            {"source": d.source.code, "month": d.month, "quantity": str(d.quantity), "unit": d.unit}
            for d in current_declarations(report).values()
        ],
        "reconciliation": [d.message for d in reconcile(report)],
    }


@transaction.atomic
def submit(*, report: ExecutionReport, by, grant: WorkspaceAccess) -> ExecutionReport:
    report = _locked(report, {ReportStatus.DRAFT, ReportStatus.RETURNED})
    run_transition(ExecutionReportFlow(report, grant), "submit", by)
    report.content = build_content(report)
    report.content_sha256 = hashlib.sha256(
        json.dumps(report.content, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "content", "content_sha256", "submitted_at"])
    _event(report, ExecutionReportEvent.Action.SUBMITTED, by, f"内容哈希 {report.content_sha256}")
    oversight.refresh_current_enterprise()
    return report


@transaction.atomic
def return_for_changes(
    *, report: ExecutionReport, comment: str, by, grant: WorkspaceAccess
) -> ExecutionReport:
    if not comment.strip():
        raise ValidationError(_("退回须填写审核意见。"), code="comment_required")
    report = _locked(report, {ReportStatus.IN_REVIEW})
    run_transition(ExecutionReportFlow(report, grant), "return_for_changes", by)
    report.save(update_fields=["status"])
    _event(report, ExecutionReportEvent.Action.RETURNED, by, comment.strip())
    oversight.refresh_current_enterprise()
    return report


@transaction.atomic
def approve(*, report: ExecutionReport, enterprise, by, grant: WorkspaceAccess) -> ExecutionReport:
    """Approve and store the PDF (built from the submitted content) as the copy of record."""
    from reports.execution_report import execution_report_pdf

    report = _locked(report, {ReportStatus.IN_REVIEW})
    run_transition(ExecutionReportFlow(report, grant), "approve", by)
    report.approved_at = timezone.now()
    pdf = execution_report_pdf(report, enterprise, approved_by=str(by))
    report.document = issue_document(
        kind=DOCUMENT_KIND,
        subject=f"{report.frequency}-{report.year}-{report.period}-v{report.version}",
        content=pdf,
        by=by,
        filename=f"执行报告-{report.year}-{report.frequency}-{report.period}-v{report.version}.pdf",
        generator="reports/execution_report.py",
    )
    report.save(update_fields=["status", "approved_at", "document"])
    _event(report, ExecutionReportEvent.Action.APPROVED, by, f"存档件 SHA-256 {report.document.sha256}")
    oversight.refresh_current_enterprise()
    return report
