"""Compliance pages inside a workspace: the year's allocation and position with its forecast, and the
carbon-efficiency badge. Figures come from steward.compliance selectors; views only render and route forms."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontend.compliance.forms import AllocationForm, ValueAddedForm
from steward.compliance import documents, selectors, services
from steward.documents.copy_of_record import latest_document
from steward.edge.periods import working_year
from tenants.access import require_workspace_action

FIRST_YEAR = 2019  # the first compliance year of the national market; the URL's year converter caps the rest


def _year(year: int | None) -> int:
    year = year or working_year()
    if year < FIRST_YEAR:
        raise Http404("year")
    return year


def _report(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_workspace_action("view_compliance")
def position(request, year: int | None = None):
    year = _year(year)
    form = AllocationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not request.workspace_access.allows("manage_compliance"):
            raise PermissionDenied("manage_compliance")
        policy = selectors.policy_for(year)
        if policy is None:
            form.add_error(None, _("该年度尚无履约规则，无法计算配额。"))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.record_allocation(
                    year=year,
                    stage=data["stage"],
                    benchmark=data["benchmark"],
                    policy=policy,
                    output_mwh=data["output_mwh"],
                    heat_supplied_gj=data["heat_supplied_gj"],
                    corrections=data["corrections"],
                    carried_in=data["carried_in"],
                    evidence_upload=data.get("evidence_file"),
                    reason=data["reason"],
                    entered_by=request.user,
                )
            except ValidationError as error:
                _report(form, error)
            else:
                messages.success(request, _("配额已保存。"))
                return redirect("workspace:compliance_year", year=year)
    context = {
        "year": year,
        "first_year": FIRST_YEAR,  # no pager link before it: those years have no page
        "data": selectors.year_position(year),
        "form": form,
        "document": latest_document(documents.COMPLIANCE_STATEMENT, str(year)),
    }
    return render(request, "frontend/compliance/position.html", context)


@require_workspace_action("view_compliance")
def efficiency(request, year: int | None = None):
    year = _year(year)
    form = ValueAddedForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not request.workspace_access.allows("manage_compliance"):
            raise PermissionDenied("manage_compliance")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_value_added(
                    year=year,
                    value_added_10k_cny=data["value_added_10k_cny"],
                    zero_carbon_t=data["zero_carbon_t"],
                    industry_average_l=data["industry_average_l"],
                    industry_average_source=data["industry_average_source"],
                    evidence_upload=data.get("evidence_file"),
                    reason=data["reason"],
                    entered_by=request.user,
                )
            except ValidationError as error:
                _report(form, error)
            else:
                messages.success(request, _("工业增加值已保存。"))
                return redirect("workspace:efficiency_year", year=year)
    context = {
        "year": year,
        "first_year": FIRST_YEAR,  # no pager link before it: those years have no page
        "data": selectors.carbon_efficiency(year),
        "form": form,
        "document": latest_document(documents.CARBON_EFFICIENCY_REPORT, str(year)),
    }
    return render(request, "frontend/compliance/efficiency.html", context)


@require_POST
@require_workspace_action("issue_compliance_documents")
def issue_document(request, year: int, kind: str):
    """Issue (or fetch, when the figures have not changed) the year's PDF of record and download it."""
    year = _year(year)
    issue = {
        "statement": documents.issue_compliance_statement,
        "efficiency": documents.issue_efficiency_report,
    }
    if kind not in issue:
        raise Http404("document kind")
    document = issue[kind](enterprise=request.enterprise, year=year, by=request.user)
    return redirect("workspace:document_download", document_id=document.pk)
