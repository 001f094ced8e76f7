"""Execution report domain work: create the report of a period the permit requires, record declared fuel,
snapshot the content with its hash, issue the PDF copy of record.

Who may act and in which state is the flow's business (workflows/execution_report.py), which locks the row,
takes the transition, calls these and adds the timeline's ExecutionReportEvent.
"""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.carbon.models import EmissionSource
from steward.documents.copy_of_record import issue_document, register_kind
from steward.pollution import deadlines
from steward.pollution.accounting import results_by_month
from steward.pollution.compliance import cumulative, exceedances
from steward.pollution.models import DeclaredFuel, ExecutionReport, ReportStatus
from steward.pollution.reconciliation import current_declarations, reconcile
from steward.pollution.services import current_permit

DOCUMENT_KIND = "execution_report"
register_kind(DOCUMENT_KIND, "排污许可执行报告", lambda grant, document: grant.allows("view_pollution"))


def current_report(frequency: str, year: int, period: int) -> ExecutionReport | None:
    return (
        ExecutionReport.objects.filter(frequency=frequency, year=year, period=period)
        .order_by("-version")
        .first()
    )


def create_report(*, frequency: str, year: int, period: int) -> tuple[ExecutionReport, bool]:
    """The report of a period the current permit requires: (the existing one, False) or (a new draft, True)."""
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
        return existing, False
    report = ExecutionReport.objects.create(
        frequency=frequency, year=year, period=period, deadline=deadline, permit=permit
    )
    return report, True


def declare_fuel(*, report: ExecutionReport, source: EmissionSource, month: int, quantity, unit: str, by):
    """Fuel as declared in the report; a later declaration for the same source and month supersedes it."""
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
        "results": [
            r.as_json() for results in results_by_month(permit, report.year, months).values() for r in results
        ],
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


def snapshot(report: ExecutionReport) -> ExecutionReport:
    """Freeze what the report states at submission, with its SHA-256."""
    report.content = build_content(report)
    report.content_sha256 = hashlib.sha256(
        json.dumps(report.content, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "content", "content_sha256", "submitted_at"])
    return report


def issue_copy_of_record(*, report: ExecutionReport, enterprise, by) -> ExecutionReport:
    """Render the PDF from the submitted content and store it as the approved report's copy of record."""
    from reports.execution_report import execution_report_pdf

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
    return report
