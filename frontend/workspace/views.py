"""Pages inside one enterprise's workspace (/e/<slug>/). The middleware has already checked live access."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontend.workspace.forms import EnterpriseProfileForm, EvidenceUploadForm, RevokeEngagementForm
from steward.documents.responses import attachment
from steward.evidence.selectors import evidence_visible_to, visible_scopes
from steward.evidence.services import (
    EVIDENCE_DOWNLOAD_HEADERS,
    check_evidence_schema,
    read_evidence,
    store_evidence,
)
from tenants import services
from tenants.access import require_workspace_action
from tenants.models import Engagement


@require_workspace_action("view_workspace")
def home(request):
    grant = request.workspace_access
    context = {
        "engagements": request.enterprise.engagements.filter(status=Engagement.Status.ACTIVE).select_related(
            "firm"
        ),
        "evidence_count": evidence_visible_to(grant).count() if grant.allows("view_evidence") else None,
        "roles": sorted(grant.roles),
    }
    return render(request, "frontend/workspace/home.html", context)


@require_workspace_action("view_profile")
def profile(request):
    can_edit = request.workspace_access.allows("edit_profile")
    form = EnterpriseProfileForm(request.POST or None, instance=request.enterprise) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            return HttpResponse(status=403)
        if form.is_valid():
            form.save()
            messages.success(request, _("企业档案已保存。"))
            return redirect("workspace:profile")
    return render(request, "frontend/workspace/profile.html", {"form": form})


@require_workspace_action("view_engagements")
def engagements(request):
    rows = request.enterprise.engagements.select_related("firm", "revoked_by")
    return render(
        request,
        "frontend/workspace/engagements.html",
        {"engagements": rows, "revoke_form": RevokeEngagementForm()},
    )


@require_POST
@require_workspace_action("revoke_engagement")
def revoke_engagement(request, engagement_id: int):
    engagement = get_object_or_404(request.enterprise.engagements, pk=engagement_id)
    form = RevokeEngagementForm(request.POST)
    if form.is_valid():
        try:
            services.revoke_engagement(
                engagement=engagement, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("已撤销 %(firm)s 的服务关系，其人员即刻失去访问权限。") % {"firm": engagement.firm}
            )
    else:
        messages.error(request, _("请填写撤销原因。"))
    return redirect("workspace:engagements")


@require_workspace_action("view_members")
def members(request):
    rows = request.enterprise.memberships.select_related("user").order_by("role", "user__username")
    return render(request, "frontend/workspace/members.html", {"memberships": rows})


@require_workspace_action("view_evidence")
def evidence_list(request):
    can_upload = request.workspace_access.allows("upload_evidence")
    form = EvidenceUploadForm(request.POST or None, request.FILES or None) if can_upload else None
    if request.method == "POST":
        if not can_upload:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                evidence = store_evidence(
                    upload=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    description=form.cleaned_data["description"],
                    uploaded_by=request.user,
                    scope=form.cleaned_data["scope"] or None,
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, _("已上传：%(name)s") % {"name": evidence.original_name})
                return redirect("workspace:evidence")
    grant = request.workspace_access
    rows = evidence_visible_to(grant).select_related("uploaded_by")
    context = {"form": form, "evidence_files": rows, "scoped_to": visible_scopes(grant)}
    return render(request, "frontend/workspace/evidence.html", context)


@require_workspace_action("view_evidence")
def evidence_download(request, evidence_id: int):
    # A file outside the grant's scopes is answered as absent (404), like a file of another workspace.
    evidence = get_object_or_404(evidence_visible_to(request.workspace_access), pk=evidence_id)
    prefix = settings.EVIDENCE_X_ACCEL_PREFIX
    if prefix:
        # Behind nginx: access is checked here, the proxy sends the bytes from an internal location.
        check_evidence_schema(evidence)
        content, headers = b"", {"X-Accel-Redirect": prefix + evidence.storage_key}
    else:
        content, headers = read_evidence(evidence), {}
    return attachment(
        content,
        filename=evidence.original_name,
        content_type=evidence.content_type,
        headers=headers | EVIDENCE_DOWNLOAD_HEADERS,
    )
