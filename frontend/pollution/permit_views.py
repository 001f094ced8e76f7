"""Permit pages beyond the current permit (frontend/pollution/views.py): first registration, outlets with
their limits, source links and CEMS certification, and any permit version read-only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from frontend.pollution.forms import CemsForm, OutletForm, PermitRegisterForm, SourceLinkForm
from frontend.pollution.views import _permit_or_404
from steward.formatting import plain
from steward.pollution import services
from steward.pollution.models import CemsCertification, Permit, SourceOutlet
from steward.pollution.services import current_permit
from tenants.access import require_workspace_action


def _service_errors(form, error: ValidationError) -> None:
    """A service refusal shown on the form, above its fields (the message names the outlet or field)."""
    for message in error.messages:
        form.add_error(None, message)


@require_workspace_action("manage_permit")
def permit_register(request):
    """The first permit with its first outlet and limits; later outlets are permit changes (new versions)."""
    if current_permit() is not None:
        messages.info(request, _("已登记排污许可证；变更请登记新版本并说明原因。"))
        return redirect("workspace:pollution")
    posted = request.POST if request.method == "POST" else None
    form, outlet_form = PermitRegisterForm(posted), OutletForm(posted, prefix="outlet")
    if posted is not None and form.is_valid() & outlet_form.is_valid():
        data = form.cleaned_data
        spec = services.PermitSpec(
            permit_number=data["permit_number"].strip(),
            management_class=data["management_class"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            report_frequencies=data["report_frequencies"],
            outlets=[outlet_form.outlet_spec()],
            permitted_amounts=form.permitted_amounts(),
        )
        try:
            permit = services.register_permit(spec=spec, by=request.user)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("已登记排污许可证 %(number)s。") % {"number": permit.permit_number})
            return redirect("workspace:pollution")
    context = {"form": form, "outlet_form": outlet_form}
    return render(
        request, "frontend/pollution/permit_register.html", context, status=400 if posted is not None else 200
    )


@require_workspace_action("view_pollution")
def outlets_page(request):
    """Add an outlet or change its limits (a new permit version with a reason), link carbon sources to outlets,
    mark an outlet's CEMS as certified. The bureau and anyone without manage_permit only read."""
    permit = _permit_or_404()
    may_manage = request.workspace_access.allows("manage_permit")
    if request.method == "POST" and not may_manage:
        raise PermissionDenied("manage_permit")
    posted = request.POST if request.method == "POST" else None
    outlets = list(permit.outlets.prefetch_related("limits"))
    forms = {}
    if may_manage:
        forms = {
            "outlet": OutletForm(
                posted if "save_outlet" in request.POST else None,
                with_reason=True,
                initial=_outlet_initial(outlets, request.GET.get("outlet", "")),
            ),
            "link": SourceLinkForm(posted if "link_source" in request.POST else None, outlets=outlets),
            "cems": CemsForm(
                posted if "certify_cems" in request.POST else None, request.FILES or None, outlets=outlets
            ),
        }
        if posted is not None and _save_outlet_forms(request, permit, forms):
            return redirect("workspace:pollution_outlets")
    context = {
        "permit": permit,
        "outlets": outlets,
        "versions": Permit.objects.order_by("-version"),
        "links": SourceOutlet.objects.select_related("source").order_by("outlet_code", "source__code"),
        "certifications": CemsCertification.objects.select_related("evidence").order_by(
            "outlet_code", "-valid_to"
        ),
        "forms": forms,
    }
    return render(
        request, "frontend/pollution/outlets.html", context, status=400 if _bound_invalid(forms) else 200
    )


def _outlet_initial(outlets, code: str) -> dict:
    """The outlet form prefilled from the current version's outlet `code` (to change its limits)."""
    outlet = next((o for o in outlets if o.code == code), None)
    if outlet is None:
        return {}
    limits = list(outlet.limits.all())
    return {
        "code": outlet.code,
        "name": outlet.name,
        "kind": outlet.kind,
        "medium": outlet.medium,
        "reference_oxygen_pct": outlet.reference_oxygen_pct,
        "oxygen_corrected": any(limit.oxygen_corrected for limit in limits),
    } | {f"limit_{limit.pollutant}": plain(limit.limit) for limit in limits}


def _bound_invalid(forms) -> bool:
    return any(form.is_bound and form.errors for form in forms.values())


def _save_outlet_forms(request, permit, forms) -> bool:
    outlet_form, link_form, cems_form = forms["outlet"], forms["link"], forms["cems"]
    if "save_outlet" in request.POST and outlet_form.is_valid():
        outlet = outlet_form.outlet_spec()
        spec = services.with_outlet(services.spec_from(permit), outlet)
        try:
            new = services.change_permit(
                permit=permit, spec=spec, reason=outlet_form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            _service_errors(outlet_form, error)
            return False
        messages.success(
            request, _("已登记许可证第%(n)s版（排放口 %(code)s）。") % {"n": new.version, "code": outlet.code}
        )
        return True
    if "link_source" in request.POST and link_form.is_valid():
        data = link_form.cleaned_data
        try:
            services.link_source(
                source=data["source"],
                outlet_code=data["outlet_code"],
                pollutant=data["pollutant"],
                by=request.user,
                control_technology=data["control_technology"],
                removal_efficiency=data["removal_efficiency"],
                operating_rate=data["operating_rate"],
            )
        except ValidationError as error:
            _service_errors(link_form, error)
            return False
        messages.success(request, _("已关联排放源与排放口。"))
        return True
    if "certify_cems" in request.POST and cems_form.is_valid():
        data = cems_form.cleaned_data
        try:
            services.certify_cems(
                outlet_code=data["outlet_code"],
                standard=data["standard"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                by=request.user,
                evidence_upload=data.get("file") or None,
            )
        except ValidationError as error:
            _service_errors(cems_form, error)
            return False
        messages.success(request, _("已标记自动监测系统符合 %(std)s。") % {"std": data["standard"]})
        return True
    return False


@require_workspace_action("view_pollution")
def permit_version(request, version: int):
    """An earlier (or the current) permit version, read-only: its outlets, limits and amounts as registered."""
    permit = get_object_or_404(Permit, version=version)
    context = {
        "permit": permit,
        "outlets": permit.outlets.prefetch_related("limits"),
        "versions": Permit.objects.order_by("-version"),
        "is_current": not hasattr(permit, "superseded_by"),
    }
    return render(request, "frontend/pollution/permit_version.html", context)
