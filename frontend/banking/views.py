"""Banks (碳效贷): the enterprise's consents page in its workspace, and the bank portal in the public schema.

A bank user holds no workspace role; the portal asks `tenants.access.bank_grant` on every request, shows only
the consented items (steward.banking.selectors) and logs each read in the enterprise's access log.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tenants.utils import schema_context

from frontend.banking.forms import GrantConsentForm, RevokeConsentForm
from steward.banking import selectors, services, verification
from tenants import access
from tenants import services as tenant_services
from tenants.models import BankConsent, Enterprise

logger = logging.getLogger("steward.banking")

# ------------------------------------------------------------------------------ the enterprise's consents


@access.require_workspace_action("manage_bank_consents")
def bank_consents(request):
    consents = request.enterprise.bank_consents.select_related(
        "bank", "granted_by", "revocation__revoked_by"
    ).order_by("-granted_at", "-pk")
    live = set(access.live_bank_consents().filter(enterprise=request.enterprise).values_list("pk", flat=True))
    return render(
        request,
        "frontend/banking/consents.html",
        {
            "consents": consents,
            "live": live,
            "grant_form": GrantConsentForm(),
            "revoke_form": RevokeConsentForm(),
        },
    )


@require_POST
@access.require_workspace_action("manage_bank_consents")
def grant_bank_consent(request):
    form = GrantConsentForm(request.POST)
    if form.is_valid():
        try:
            consent = tenant_services.grant_bank_consent(
                enterprise=request.enterprise,
                bank=form.cleaned_data["bank"],
                items=set(form.cleaned_data["items"]),
                ends_on=form.cleaned_data["ends_on"],
                purpose=form.cleaned_data["purpose"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("已授权 %(bank)s 查看：%(items)s，至 %(date)s。")
                % {
                    "bank": consent.bank,
                    "items": "、".join(str(label) for label in consent.item_labels()),
                    "date": consent.ends_on.isoformat(),
                },
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("workspace:bank_consents")


@require_POST
@access.require_workspace_action("manage_bank_consents")
def revoke_bank_consent(request, consent_id: int):
    consent = get_object_or_404(request.enterprise.bank_consents, pk=consent_id)
    form = RevokeConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销原因。"))
        return redirect("workspace:bank_consents")
    try:
        tenant_services.revoke_bank_consent(
            consent=consent, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("已撤销 %(bank)s 的授权，该银行即刻无法查看本企业数据。") % {"bank": consent.bank}
        )
    return redirect("workspace:bank_consents")


# ------------------------------------------------------------------------------------------ the bank portal


def _bank_only(request) -> None:
    if not access.can(request.user, "view_bank_portal"):
        raise PermissionDenied("view_bank_portal")


def live_grant(request, enterprise_id: int) -> access.BankGrant:
    """The live consent of this enterprise to the user's bank, or 404 (an ended or revoked consent included)."""
    _bank_only(request)
    enterprise = Enterprise.objects.filter(pk=enterprise_id).select_related("workspace").first()
    grant = access.bank_grant(request.user, enterprise) if enterprise else None
    if not grant:
        raise Http404("no live consent")
    return grant


@login_required
def bank_portal(request):
    _bank_only(request)
    return render(request, "frontend/banking/portal.html", {"grants": access.bank_grants(request.user)})


@login_required
def bank_enterprise(request, enterprise_id: int):
    grant = live_grant(request, enterprise_id)
    view = selectors.bank_view(grant)
    response = render(request, "frontend/banking/enterprise.html", {"grant": grant, "view": view})
    services.record_read(
        grant=grant,
        user=request.user,
        items=[item for item in BankConsent.ITEMS if item in grant.items],
        method=request.method,
        path=request.get_full_path(),
        status_code=response.status_code,
    )
    return response


def _mismatch(request) -> HttpResponse:
    """Stored content that no longer hashes to its seal is never served as if it verified."""
    return HttpResponse(
        _("存证内容与哈希不符，已记录；请联系企业或主管部门核实。"),
        status=409,
        content_type="text/plain; charset=utf-8",
    )


def _verification_file(request, grant, data: bytes, name: str, subject: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    services.record_read(
        grant=grant,
        user=request.user,
        items=["verification"],
        method=request.method,
        path=request.get_full_path(),
        status_code=200,
        subject=subject,
    )
    return response


def _may_verify(grant: access.BankGrant) -> None:
    """The files hold the sealed figures themselves: only for a consent to emissions or intensity."""
    if not (grant.allows("emissions") or grant.allows("intensity")):
        raise Http404("figures not consented")


@login_required
def bank_month_seal(request, enterprise_id: int, year: int, month: int):
    """The bytes whose SHA-256 is the month's seal (docs/banking.md)."""
    grant = live_grant(request, enterprise_id)
    _may_verify(grant)
    with schema_context(grant.enterprise.schema_name):
        filing = verification.sealed_month(year, month)
        if filing is None:
            raise Http404("month not sealed")
        try:
            data = verification.month_seal_bytes(filing)
        except verification.Mismatch:
            logger.error(
                "seal mismatch", extra={"enterprise": grant.enterprise.slug, "year": year, "month": month}
            )
            return _mismatch(request)
    name = f"seal-{grant.enterprise.pk}-{year}-{month:02d}-v{filing.version}.json"
    return _verification_file(request, grant, data, name, f"{year}-{month:02d}")


@login_required
def bank_annual_report(request, enterprise_id: int, year: int):
    """The bytes whose SHA-256 is the reported annual report's content hash (docs/banking.md)."""
    grant = live_grant(request, enterprise_id)
    _may_verify(grant)
    with schema_context(grant.enterprise.schema_name):
        report = selectors.reported_annual_report(year)
        if report is None:
            raise Http404("no reported annual report")
        try:
            data = verification.annual_report_bytes(report)
        except verification.Mismatch:
            logger.error(
                "annual report hash mismatch", extra={"enterprise": grant.enterprise.slug, "year": year}
            )
            return _mismatch(request)
    name = f"annual-{grant.enterprise.pk}-{year}-v{report.version}.json"
    return _verification_file(request, grant, data, name, f"{year}")
