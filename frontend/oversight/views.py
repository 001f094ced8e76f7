"""Steward portfolio, bureau dashboard, spot checks and exports: thin views over `steward.oversight`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reports import bureau_summary, dashboard_xlsx
from steward.documents.responses import PDF, XLSX, attachment
from steward.oversight import dashboard, portfolio, risk, scope, services
from steward.oversight.models import AccessLogEntry, SpotCheck
from tenants import access
from tenants.models import Enterprise, Industry, Jurisdiction


def _bureau_codes(request) -> set[str]:
    codes = scope.bureau_codes(request.user)
    if not codes:
        raise PermissionDenied("bureau_only")
    return codes


def _filter_choices(codes: set[str]) -> dict:
    return {
        "districts": Jurisdiction.objects.filter(code__in=codes).order_by("code"),
        "industries": Industry.objects.filter(enterprise__jurisdiction_id__in=codes)
        .distinct()
        .order_by("code"),
        "months": range(1, 13),
    }


@login_required
def steward_portfolio(request):
    if not access.can(request.user, "view_portfolio"):
        raise PermissionDenied("view_portfolio")
    today = timezone.localdate()
    filters = dashboard.Filters.from_query(request.GET, today)
    built = portfolio.build_portfolio(
        request.user,
        year=filters.year,
        district=filters.district,
        only_overdue=request.GET.get("overdue") == "1",
        today=today,
    )
    return render(
        request,
        "frontend/oversight/portfolio.html",
        {"portfolio": built, "filters": filters, "only_overdue": request.GET.get("overdue") == "1"},
    )


@login_required
def bureau_dashboard(request):
    if not access.can(request.user, "view_bureau_dashboard"):
        raise PermissionDenied("view_bureau_dashboard")
    codes = _bureau_codes(request)
    filters = dashboard.Filters.from_query(request.GET, timezone.localdate())
    context = {
        "board": dashboard.build_dashboard(codes, filters),
        "filters": filters,
        **_filter_choices(codes),
    }
    context["jurisdictions"] = access.bureau_jurisdictions(request.user)
    return render(request, "frontend/oversight/dashboard.html", context)


@login_required
def bureau_export_xlsx(request):
    codes = _bureau_codes(request)
    filters = dashboard.Filters.from_query(request.GET, timezone.localdate())
    scope = "、".join(j.name_zh for j in access.bureau_jurisdictions(request.user))
    data = dashboard_xlsx.build(
        dashboard.export_rows(codes, filters), dashboard.build_dashboard(codes, filters), scope=scope
    )
    return attachment(data, filename=f"oversight-{filters.year}.xlsx", content_type=XLSX)


@login_required
def bureau_summary_pdf(request):
    codes = _bureau_codes(request)
    filters = dashboard.Filters.from_query(request.GET, timezone.localdate())
    if filters.month is None:
        last = timezone.localdate().replace(day=1) - timezone.timedelta(days=1)
        filters = dashboard.Filters(year=last.year, month=last.month, district=filters.district)
    board = dashboard.build_dashboard(codes, filters)
    names = "、".join(j.name_zh for j in access.bureau_jurisdictions(request.user))
    return attachment(
        bureau_summary.build(board, bureau_name=names),
        filename=f"bureau-summary-{filters.year}-{filters.month:02d}.pdf",
        content_type=PDF,
    )


def _period(request) -> tuple[int, int]:
    last = timezone.localdate().replace(day=1) - timezone.timedelta(days=1)
    filters = dashboard.Filters.from_query(request.GET, last)
    return filters.year, filters.month or last.month


@login_required
def spot_check_queue(request):
    codes = _bureau_codes(request)
    year, month = _period(request)
    items = risk.spot_check_queue(codes, year, month)
    for item in items:
        item.may_check = access.can(request.user, "spot_check", item.fact.enterprise)
    context = {"items": items, "year": year, "month": month, "results": SpotCheck.Result.choices}
    context["months"] = range(1, 13)
    context["history"] = SpotCheck.objects.filter(enterprise__jurisdiction_id__in=codes).select_related(
        "enterprise", "inspector"
    )[:50]
    return render(request, "frontend/oversight/spot_checks.html", context)


@login_required
@require_POST
def record_spot_check(request, enterprise_id: int, year: int, month: int):
    enterprise = get_object_or_404(Enterprise, pk=enterprise_id)
    try:
        services.record_spot_check(
            enterprise=enterprise,
            year=year,
            month=month,
            result=request.POST.get("result", ""),
            notes=request.POST.get("notes", ""),
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("抽查结论已记录：%(name)s") % {"name": enterprise.name_zh})
    return redirect(f"{reverse('spot_checks')}?year={year}&month={month}")


@access.require_workspace_action("view_access_log")
def workspace_access_log(request):
    """The enterprise admin sees every steward and bureau request into the workspace (append-only log)."""
    entries = AccessLogEntry.objects.filter(enterprise=request.enterprise).select_related("user")[:500]
    return render(request, "frontend/oversight/access_log.html", {"entries": entries})
