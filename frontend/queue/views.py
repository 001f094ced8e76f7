"""The steward's queue (/queue/): thin views over `steward.filing.queue`; approvals go through the workflow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tenants.utils import schema_context

from steward.filing import queue
from steward.filing.models import MonthlyFiling
from tenants import access
from tenants.models import Enterprise
from workflows import monthly_filing

MAX_BULK = 200


def _require_steward(request) -> None:
    if not access.can(request.user, "view_portfolio"):
        raise PermissionDenied("view_portfolio")


@login_required
def steward_queue(request):
    _require_steward(request)
    items = queue.steward_queue(request.user, today=timezone.localdate())
    filters = queue.QueueFilters.from_query(request.GET)
    shown = filters.apply(items)
    enterprises = {item.enterprise.slug: item.enterprise for item in items}
    return render(
        request,
        "frontend/queue/queue.html",
        {
            "items": shown,
            "total": len(items),
            "filters": filters,
            "kinds": [(code, str(label)) for code, label in queue.KIND_LABELS.items()],
            "statuses": [(code, str(label)) for code, label in queue.STATUS_CHOICES.items()],
            "enterprises": sorted(enterprises.values(), key=lambda e: e.name_zh),
            "any_approvable": any(item.approvable for item in shown),
        },
    )


def _approve_one(user, key: str) -> tuple[bool, str]:
    """Approve one filing through the workflow step: (done, what to tell the person)."""
    parsed = queue.parse_approval_key(key)
    if parsed is None:
        return False, _("无法识别的审核项。")
    slug, pk, stamp = parsed
    enterprise = Enterprise.objects.filter(slug=slug).select_related("workspace").first()
    if enterprise is None:
        return False, _("无法识别的审核项。")
    grant = access.workspace_access(user, enterprise)
    name = enterprise.name_zh
    if not grant:
        return False, _("%(enterprise)s：您无权审核该企业的存证。") % {"enterprise": name}
    with schema_context(enterprise.schema_name):
        filing = MonthlyFiling.objects.filter(pk=pk).first()
        if filing is None:
            return False, _("%(enterprise)s：该存证不存在。") % {"enterprise": name}
        label = _("%(enterprise)s %(year)s年%(month)s月") % {
            "enterprise": name,
            "year": filing.year,
            "month": filing.month,
        }
        try:
            with transaction.atomic():
                approved = monthly_filing.approve(filing=filing, by=user, grant=grant)
                # The step locked the row: a month returned and submitted again since the page was drawn
                # is not the submission the person saw; undo and say so.
                seen = approved.submitted_at.isoformat() if approved.submitted_at else ""
                if seen != stamp:
                    raise monthly_filing.FilingConflict(
                        _("该存证在您打开页面后已重新提交，请先查看新的提交内容。"), code="conflict"
                    )
        except monthly_filing.FilingConflict as error:
            return False, _("%(item)s：%(reason)s") % {"item": label, "reason": " ".join(error.messages)}
        except PermissionDenied:
            return False, _("%(item)s：您无权审核该存证。") % {"item": label}
        except ValidationError as error:
            return False, _("%(item)s：%(reason)s") % {"item": label, "reason": " ".join(error.messages)}
    return True, _("%(item)s：已审核通过并锁定。") % {"item": label}


@login_required
@require_POST
def bulk_approve(request):
    """Approve every ticked filing, each through workflows.monthly_filing.approve; each refusal is reported."""
    _require_steward(request)
    keys = list(dict.fromkeys(request.POST.getlist("item")))[:MAX_BULK]
    if not keys:
        messages.warning(request, _("请先勾选要审核通过的存证。"))
    for key in keys:
        done, text = _approve_one(request.user, key)
        (messages.success if done else messages.error)(request, text)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith(
        reverse("steward_queue")
    ):
        back = reverse("steward_queue")
    return redirect(back)
