"""The filer's two actions on the guided month page: submit the month (with the notes its warnings need) and
ask the reviewer to waive a blocking finding. Both run one workflow step; a refusal re-renders the month page
with each message beside the finding it concerns."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontend.carbon.views import month_page_context
from tenants.access import require_workspace_action
from workflows import monthly_filing
from workflows.kit import Conflict

NOTE_PREFIX = "note:"


def _notes(post) -> dict[str, str]:
    """`note:<finding token>` fields → {finding token: note}."""
    return {key.removeprefix(NOTE_PREFIX): text for key, text in post.items() if key.startswith(NOTE_PREFIX)}


def _refused(request, year: int, month: int, error: ValidationError):
    errors = (
        {
            field: " ".join(str(m) for e in found for m in e.messages)
            for field, found in error.error_dict.items()
        }
        if hasattr(error, "error_dict")
        else {}
    )
    if not errors:
        messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("尚不能提交：请处理下方标出的问题。"))
    context = month_page_context(request, year, month, errors=errors)
    return render(request, "frontend/carbon/month.html", context, status=400)


@require_POST
@require_workspace_action("enter_activity_data")
def submit_month(request, year: int, month: int):
    try:
        monthly_filing.prepare_and_submit(
            enterprise=request.enterprise,
            year=year,
            month=month,
            notes=_notes(request.POST),
            by=request.user,
            grant=request.workspace_access,
        )
    except Conflict as error:
        messages.error(request, " ".join(error.messages))
        return redirect("workspace:carbon_month", year=year, month=month)
    except ValidationError as error:
        return _refused(request, year, month, error)
    messages.success(request, _("已提交审核，审核人会收到待办通知。"))
    return redirect("workspace:carbon_month", year=year, month=month)


@require_POST
@require_workspace_action("enter_activity_data")
def request_waiver(request, year: int, month: int):
    try:
        monthly_filing.request_waiver(
            enterprise=request.enterprise,
            year=year,
            month=month,
            finding_token=request.POST.get("finding", ""),
            reason=request.POST.get("reason", ""),
            by=request.user,
            grant=request.workspace_access,
        )
    except Conflict as error:
        messages.error(request, " ".join(error.messages))
    except ValidationError as error:
        return _refused(request, year, month, error)
    else:
        messages.success(request, _("豁免申请已发送给审核人。"))
    return redirect("workspace:carbon_month", year=year, month=month)
