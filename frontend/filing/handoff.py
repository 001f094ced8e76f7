"""The 存证 hand-off of a locked month: the platform items (XLSX, JSON), the evidence bundle (ZIP) and the
record of what the national platform answered. Thin: the domain is steward/handoff."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import platform_items
from steward.documents.responses import XLSX, attachment
from steward.filing.selectors import filings_visible_to
from steward.handoff import bundle, items, services
from tenants.access import may_act, require_workspace_action

JSON_TYPE = "application/json; charset=utf-8"
ZIP_TYPE = "application/zip"


def _refused(request, error: ValidationError, year: int, month: int):
    """The Chinese refusal as a page (409 for a month not sealed, 400 outside the platform's scope)."""
    status = getattr(error, "http_status", 400)
    context = {"year": year, "month": month, "messages_text": error.messages}
    return render(request, "frontend/filing/handoff_refused.html", context, status=status)


def _sealed(request, year: int, month: int):
    return items.sealed_filing(year, month, filings_visible_to(request.workspace_access))


def _filename_stem(request, year: int, month: int, version: int) -> str:
    return f"{request.enterprise.name_zh}-{year}年{month:02d}月-第{version}版"


@require_workspace_action("view_carbon")
def platform_items_xlsx(request, year: int, month: int):
    try:
        handoff = items.build_handoff(request.enterprise, _sealed(request, year, month))
    except ValidationError as error:
        return _refused(request, error, year, month)
    return attachment(
        platform_items.render(handoff), filename=platform_items.filename(handoff), content_type=XLSX
    )


@require_workspace_action("view_carbon")
def platform_items_json(request, year: int, month: int):
    try:
        handoff = items.build_handoff(request.enterprise, _sealed(request, year, month))
    except ValidationError as error:
        return _refused(request, error, year, month)
    body = json.dumps(items.as_json(handoff), ensure_ascii=False, indent=2).encode("utf-8")
    name = _filename_stem(request, year, month, handoff.filing.version) + "-全国平台存证填报数据.json"
    return attachment(body, filename=name, content_type=JSON_TYPE)


@require_workspace_action("view_carbon")
def platform_evidence_zip(request, year: int, month: int):
    try:
        filing = _sealed(request, year, month)
        content, _manifest = bundle.build_bundle(
            grant=request.workspace_access, filing=filing, enterprise=request.enterprise
        )
    except ValidationError as error:
        return _refused(request, error, year, month)
    name = _filename_stem(request, year, month, filing.version) + "-存证证据包.zip"
    return attachment(content, filename=name, content_type=ZIP_TYPE, headers={"X-Content-Seal": filing.seal})


@require_POST
@require_workspace_action("view_carbon")
def platform_submission_record(request, year: int, month: int):
    grant = request.workspace_access
    if not may_act(grant, "record_platform_submission"):
        raise PermissionDenied("record_platform_submission")
    corrects = request.POST.get("corrects", "").strip()
    try:
        services.record_submission(
            grant=grant,
            year=year,
            month=month,
            submitted_on=request.POST.get("submitted_on", ""),
            receipt_number=request.POST.get("receipt_number", ""),
            receipt_upload=request.FILES.get("receipt"),
            reason=request.POST.get("reason", ""),
            corrects=int(corrects) if corrects.isdigit() else None,
            by=request.user,
        )
    except ValidationError as error:
        if isinstance(error, items.NotSealed):
            return _refused(request, error, year, month)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已登记全国平台存证回执。"))
    return redirect("workspace:filing", year=year, month=month)


def section_context(request, filing) -> dict | None:
    """What the filing page's 存证 hand-off section shows for a locked month (None otherwise)."""
    grant = request.workspace_access
    if filing is None or filing.status != "locked":
        return None
    try:
        items.sector_for(request.enterprise)
    except items.OutOfScope:
        return None  # an enterprise the national platform's monthly 存证 does not cover: nothing to hand off
    history = services.submission_history(filing.year, filing.month)
    current = next((row for row in reversed(history) if row.is_current), None)
    context = {
        "history": history,
        "current": current,
        # the platform holds an earlier version's figures: the filer re-files and records a correction
        "stale": bool(current and current.seal != filing.seal),
        "due_on": items.platform_due_on(filing.year, filing.month),
        "may_download": grant.allows("view_carbon"),
        "may_record": may_act(grant, "record_platform_submission"),
        "handoff": items.build_handoff(request.enterprise, filing) if grant.allows("view_carbon") else None,
    }
    return context
