"""The annual report page: status, the months it is compiled from, actions by role, the PDF of record and
the signature, downloads, timeline. Views stay thin: steward.annual.services does the work."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontend.converters import YearConverter
from reports import annual_xlsx
from steward.annual import disclosure, selectors
from steward.annual.documents import ANNUAL_REPORT
from steward.annual.models import AnnualReport, ReportStatus
from steward.documents import copy_of_record
from steward.documents.responses import PDF, XLSX, attachment
from steward.filing import documents as filing_documents
from steward.filing.models import FilingStatus
from steward.filing.selectors import filings_visible_to
from tenants.access import require_workspace_action
from workflows import annual_report


def _versions(request, year: int):
    return selectors.versions_visible_to(request.workspace_access, year)


@require_workspace_action("view_submitted_filings")
def annual_index(request):
    """Last year's report, or for oversight the latest year one reached it (else last year's page, which says
    that none has arrived)."""
    last_year = timezone.localdate().year - 1
    grant = request.workspace_access
    year = last_year if grant.allows("view_carbon") else selectors.latest_year_visible_to(grant) or last_year
    return redirect("workspace:annual", year=year)


def _has_page(grant, request, year: int) -> bool:
    return YearConverter.FIRST <= year <= YearConverter.LAST and (
        grant.allows("view_carbon") or _versions(request, year).exists()
    )


@require_workspace_action("view_submitted_filings")
def annual_page(request, year: int):
    grant = request.workspace_access
    versions = list(_versions(request, year))
    report = versions[0] if versions else None
    document = copy_of_record.latest_document(ANNUAL_REPORT, report.document_subject) if report else None
    context = {
        "year": year,
        "report": report,
        "versions": versions,
        "document": document,
        "disclosure": disclosure.issued(report)
        if report and report.status == ReportStatus.ACCEPTED
        else None,
        "signature": annual_report.signature_status(report) if report else None,
        "months": selectors.month_states(year) if grant.allows("view_carbon") else [],
        "blocking": selectors.blocking_months(year) if grant.allows("view_carbon") else [],
        "events": report.events.select_related("actor") if report else [],
        "actions": annual_report.available_actions(report, grant, request.user),
        "statement": annual_report.STATEMENT,
        "Status": ReportStatus,
        "awaiting_submission": not versions and not grant.allows("view_carbon"),
        # Oversight reads submitted reports only: the pager links a year only where there is one to read.
        "previous_year": year - 1 if _has_page(grant, request, year - 1) else None,
        "next_year": year + 1 if _has_page(grant, request, year + 1) else None,
    }
    return render(request, "frontend/annual/annual.html", context)


def _current(year: int) -> AnnualReport:
    report = selectors.current_report(year)
    if report is None:
        raise ValidationError(_("本年度尚未汇编报告。"), code="no_report")
    return report


@require_POST
@require_workspace_action("view_submitted_filings")
def annual_action(request, year: int, action: str):
    actor = {"enterprise": request.enterprise, "by": request.user, "grant": request.workspace_access}
    post = request.POST
    try:
        if action == "compile":
            annual_report.compile_report(year=year, reason=post.get("reason", ""), **actor)
            messages.success(request, _("年度报告已汇编。"))
        elif action == "send_for_review":
            annual_report.send_for_review(report=_current(year), **actor)
            messages.success(request, _("已提交质量审核。"))
        elif action == "approve_review":
            annual_report.approve_review(report=_current(year), **actor)
            messages.success(request, _("审核通过，报告文件已出具，待签署。"))
        elif action == "return_review":
            annual_report.return_from_review(report=_current(year), reason=post.get("reason", ""), **actor)
            messages.success(request, _("已退回企业。"))
        elif action == "sign":
            annual_report.sign(
                report=_current(year),
                password=post.get("password", ""),
                attested=post.get("attest") == "on",
                document_sha256=post.get("document_sha256", ""),
                **actor,
            )
            messages.success(request, _("已签署并报送主管部门。"))
        elif action == "accept":
            annual_report.accept(report=_current(year), **actor)
            messages.success(request, _("已接收该年度报告。"))
        elif action == "return_bureau":
            annual_report.return_from_bureau(report=_current(year), reason=post.get("reason", ""), **actor)
            messages.success(request, _("已退回企业更正。"))
        else:
            raise ValidationError(_("未知操作。"), code="unknown_action")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("workspace:annual", year=year)


@require_workspace_action("view_submitted_filings")
def annual_xlsx_download(request, year: int, version: int):
    report = get_object_or_404(_versions(request, year), version=version)
    name = f"{request.enterprise.slug}-{year}年度排放数据-第{version}版.xlsx"
    return attachment(
        annual_xlsx.render(report.payload, report.payload_sha256), filename=name, content_type=XLSX
    )


@require_workspace_action("view_submitted_filings")
def filing_record_download(request, year: int, month: int):
    """The record issued when the latest locked version of the month was locked; reading never issues one.
    A month locked before records were issued at the lock gets a watermarked preview, not stored."""
    filing = (
        filings_visible_to(request.workspace_access)
        .filter(year=year, month=month, status=FilingStatus.LOCKED)
        .order_by("-version")
        .first()
    )
    if filing is None:
        raise Http404("no locked filing")
    document = filing_documents.issued_record(filing)
    if document is None:
        content, name = filing_documents.preview_record(filing)
        return attachment(content, filename=name, content_type=PDF)
    if not copy_of_record.may_view(request.workspace_access, document):
        raise PermissionDenied("view_document")
    return redirect("workspace:document_download", document_id=document.pk)
