"""The data-quality control plan (数据质量控制计划): its versions, a revision, and the meters it names."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from frontend.carbon.plan_forms import MeterForm, PlanRevisionForm
from steward.carbon.models import Meter
from steward.quality import plans
from steward.quality.models import ControlPlanVersion
from tenants.access import require_workspace_action


def _report(error: ValidationError, form) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _submitted(request, name: str) -> tuple:
    return (request.POST, request.FILES) if name in request.POST else (None, None)


@require_workspace_action("view_carbon")
def plan_page(request):
    in_force = ControlPlanVersion.in_force(timezone.localdate()) or ControlPlanVersion.objects.first()
    revision = PlanRevisionForm(*_submitted(request, "revise")[:1], base=in_force, prefix="plan")
    meter_form = MeterForm(*_submitted(request, "add_meter"), prefix="meter")
    if request.method == "POST":
        if not request.workspace_access.allows("manage_sources"):
            raise PermissionDenied("manage_sources")
        form = revision if "revise" in request.POST else meter_form
        if form.is_valid():
            try:
                if form is revision:
                    plan = plans.revise_plan(
                        effective_from=form.cleaned_data["effective_month"],
                        reason=form.cleaned_data["reason"],
                        specs=form.specs(),
                        by=request.user,
                    )
                    messages.success(request, _("已发布计划第%(version)s版。") % {"version": plan.version})
                else:
                    plans.register_meter(by=request.user, **form.cleaned_data)
                    messages.success(request, _("计量器具已登记。"))
            except ValidationError as error:
                _report(error, form)
            else:
                return redirect("workspace:control_plan")
    versions = ControlPlanVersion.objects.select_related("created_by").prefetch_related(
        "specs__source", "specs__meter"
    )
    for version in versions:
        for spec in version.specs.all():
            spec.label = plans.parameter_label(spec.parameter)
    context = {
        "versions": versions,
        "in_force": in_force,
        "revision": revision,
        "meter_form": meter_form,
        "meters": Meter.objects.select_related("source", "certificate").order_by("source__code", "name"),
        "today": timezone.localdate(),
    }
    return render(request, "frontend/carbon/plan.html", context)
