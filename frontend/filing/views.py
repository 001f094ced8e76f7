"""The monthly filing panel: checks, acknowledgements, waivers, submit, review, seal, reopen, timeline."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontend.filing import handoff
from steward.filing.compare import changes_since_previous_version
from steward.filing.history import filing_history, readable_history
from steward.filing.models import FilingFinding, FilingStatus, MonthlyFiling
from steward.filing.selectors import (
    filings_visible_to,
    latest_visible_filing,
    review_items,
    sees_unsubmitted,
)
from tenants.access import can, require_workspace_action
from workflows import monthly_filing


def _back(filing: MonthlyFiling):
    return redirect("workspace:filing", year=filing.year, month=filing.month)


@require_workspace_action("view_submitted_filings")
def filing_page(request, year: int, month: int):
    grant = request.workspace_access
    # The enterprise and its carbon steward work on the current version; oversight reads what was submitted.
    if sees_unsubmitted(grant):
        filing = monthly_filing.current_filing(year, month)
    else:
        filing = latest_visible_filing(grant, year, month)
        if filing is None:
            raise Http404("no submitted filing")
    versions = filings_visible_to(grant).filter(year=year, month=month).order_by("-version")
    history = filing_history(filing) if filing else []
    raw_history = can(request.user, "view_raw_history")
    context = {
        "year": year,
        "month": month,
        "filing": filing,
        "versions": versions,
        "findings": filing.findings.select_related("acknowledged_by", "waived_by", "waiver_requested_by")
        if filing
        else [],
        "events": filing.events.select_related("actor") if filing else [],
        "items": review_items(filing) if filing else [],
        "raw_history": raw_history,
        "history": history if raw_history else readable_history(filing, history) if filing else [],
        "version_changes": changes_since_previous_version(filing) if filing else None,
        "actions": monthly_filing.available_actions(filing, grant, request.user),
        "Status": FilingStatus,
        "platform": handoff.section_context(request, filing),
    }
    return render(request, "frontend/filing/filing.html", context)


@require_POST
@require_workspace_action("view_carbon")
def filing_action(request, year: int, month: int, action: str):
    grant, user, enterprise = request.workspace_access, request.user, request.enterprise
    filing = monthly_filing.current_filing(year, month)
    try:
        if action == "open":
            filing = monthly_filing.open_filing(
                enterprise=enterprise, year=year, month=month, by=user, grant=grant
            )
            monthly_filing.run_checks(enterprise=enterprise, filing=filing, by=user, grant=grant)
        elif filing is None:
            monthly_filing.require_action(action, grant)  # no step to ask: answer for the person first
            raise ValidationError(_("本月尚未创建存证。"), code="no_filing")
        elif action == "check":
            monthly_filing.run_checks(enterprise=enterprise, filing=filing, by=user, grant=grant)
        elif action == "submit":
            monthly_filing.submit(enterprise=enterprise, filing=filing, by=user, grant=grant)
            messages.success(request, _("已提交审核。"))
        elif action == "approve":
            monthly_filing.approve(filing=filing, by=user, grant=grant)
            messages.success(request, _("已审核通过，本月数据已锁定并存证。"))
        elif action == "return":
            comments = {
                key.removeprefix("comment-"): text
                for key, text in request.POST.items()
                if key.startswith("comment-")
            }
            monthly_filing.return_for_changes(filing=filing, comments=comments, by=user, grant=grant)
            messages.success(request, _("已退回企业修改。"))
        elif action == "request_reopen":
            monthly_filing.request_reopen(
                filing=filing, reason=request.POST.get("reason", ""), by=user, grant=grant
            )
            messages.success(request, _("重开申请已提交，待管家批准。"))
        elif action == "approve_reopen":
            monthly_filing.approve_reopen(filing=filing, by=user, grant=grant)
            messages.success(request, _("已批准重开，已生成新版本草稿。"))
        else:
            raise ValidationError(_("未知操作。"), code="unknown_action")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("workspace:filing", year=year, month=month)


@require_POST
@require_workspace_action("view_carbon")
def finding_action(request, finding_id: int, action: str):
    finding = get_object_or_404(FilingFinding.objects.select_related("filing"), pk=finding_id)
    text = request.POST.get("text", "")
    try:
        if action == "acknowledge":
            monthly_filing.acknowledge(
                finding=finding, comment=text, by=request.user, grant=request.workspace_access
            )
        elif action == "waive":
            monthly_filing.waive(
                finding=finding, reason=text, by=request.user, grant=request.workspace_access
            )
        else:
            raise ValidationError(_("未知操作。"), code="unknown_action")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(finding.filing)
