"""Steward portfolio, bureau dashboard, spot checks and exports: thin views over `steward.oversight`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontend.maps import map_chart
from reports import bureau_summary, dashboard_xlsx
from steward.documents.responses import PDF, XLSX, attachment
from steward.oversight import dashboard, district_map, portfolio, risk, scope, services
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


def _query(filters: dashboard.Filters, **changes) -> str:
    return "?" + urlencode(filters.but(**changes).as_query())


def _breadcrumbs(filters: dashboard.Filters, enterprise: Enterprise | None) -> list[dict]:
    """全市 → district → industry → enterprise → month, each a link back to that level (the last is here)."""
    crumbs = [
        {"label": _("全市"), "query": _query(filters, district="", industry="", enterprise="", month=None)}
    ]
    if filters.district:
        name = Jurisdiction.objects.filter(code=filters.district).values_list("name_zh", flat=True).first()
        crumbs.append(
            {
                "label": name or filters.district,
                "query": _query(filters, industry="", enterprise="", month=None),
            }
        )
    if filters.industry:
        name = Industry.objects.filter(code=filters.industry).values_list("name_zh", flat=True).first()
        crumbs.append(
            {"label": name or filters.industry, "query": _query(filters, enterprise="", month=None)}
        )
    if enterprise is not None:
        crumbs.append({"label": enterprise.name_zh, "query": _query(filters, month=None)})
    if filters.month:
        crumbs.append({"label": _("%(month)s月") % {"month": filters.month}, "query": _query(filters)})
    return crumbs


def _number(value) -> float | None:
    return None if value is None else float(value)


def _charts(board: dashboard.Dashboard) -> dict:
    """What charts.js draws (numbers for the axes; the page shows the same figures formatted in tables)."""
    trend = board.trend
    return {
        "trend": {
            "months": [_("%(month)s月") % {"month": month} for month in range(1, 13)],
            "series": [
                {
                    "name": _("%(year)s年") % {"year": year},
                    "data": [_number(v) for v in trend["monthly"][year]],
                }
                for year in trend["years"]
            ],
            "yearly": {
                "name": _("年度合计"),
                "years": [_("%(year)s年") % {"year": row["year"]} for row in trend["yearly"]],
                "data": [_number(row["tco2"]) for row in trend["yearly"]],
            },
            "unit": "tCO2",
        },
        "grades": {
            "labels": [_("%(grade)s级") % {"grade": row["grade"]} for row in board.grades["rows"]],
            "data": [row["enterprises"] for row in board.grades["rows"]],
            "colours": [row["colour"] for row in board.grades["rows"]],
        },
        "districts": {
            "codes": [row["jurisdiction_id"] for row in board.by_district],
            "names": [row["jurisdiction__name_zh"] for row in board.by_district],
            "tco2": [_number(row["tco2"]) for row in board.by_district],
            "on_time": [
                None if row["on_time_rate"] is None else round(float(row["on_time_rate"]) * 100, 1)
                for row in board.by_district
            ],
            "labels": {"tco2": _("排放量（tCO2）"), "on_time": _("按时报送率（%）")},
        },
    }


def _dashboard_context(request) -> dict:
    if not access.can(request.user, "view_bureau_dashboard"):
        raise PermissionDenied("view_bureau_dashboard")
    codes = _bureau_codes(request)
    filters = dashboard.Filters.from_query(request.GET, timezone.localdate())
    enterprise = None
    if filters.enterprise:
        enterprise = (
            dashboard.scoped_enterprises(codes, filters).select_related("jurisdiction", "industry").first()
        )
    board = dashboard.build_dashboard(codes, filters)
    map_rows = district_map.district_rows(board, district_map.district_grades(codes, filters))
    charts = _charts(board)
    charts["map"] = map_chart(map_rows, selected=filters.district, codes=codes)
    month_detail = None
    if enterprise is not None and filters.month:
        month_detail = next((row for row in board.rows if row.month == filters.month), None)
    return {
        "board": board,
        "filters": filters,
        "selected_enterprise": enterprise,
        "month_detail": month_detail,
        "breadcrumbs": _breadcrumbs(filters, enterprise),
        "charts": charts,
        "map_rows": map_rows,
        "map_measures": [(key, charts["map"]["measures"][key]["label"]) for key in district_map.MEASURES],
        "trend_rows": [
            {
                "month": month,
                "values": [board.trend["monthly"][year][month - 1] for year in board.trend["years"]],
            }
            for month in range(1, 13)
        ],
        "states": dashboard.STATES,
        "jurisdictions": access.bureau_jurisdictions(request.user),
        **_filter_choices(codes),
    }


@login_required
def bureau_dashboard(request):
    return render(request, "frontend/oversight/dashboard.html", _dashboard_context(request))


WALL_REFRESH_SECONDS = 300


@login_required
def bureau_wall(request):
    """大屏: the same figures for a wall display, full screen, refreshing itself every five minutes."""
    context = _dashboard_context(request)
    context["refresh_seconds"] = WALL_REFRESH_SECONDS
    context["generated_at"] = timezone.now()
    return render(request, "frontend/oversight/wall.html", context)


@login_required
def bureau_export_xlsx(request):
    codes = _bureau_codes(request)
    filters = dashboard.Filters.from_query(request.GET, timezone.localdate())
    scope = "、".join(j.name_zh for j in access.bureau_jurisdictions(request.user))
    data = dashboard_xlsx.build(
        dashboard.export_rows(codes, filters),
        dashboard.build_dashboard(codes, filters, annual_limit=None),
        scope=scope,
        generated=timezone.now(),
    )
    return attachment(data, filename=f"oversight-{filters.year}.xlsx", content_type=XLSX)


@login_required
def bureau_summary_pdf(request):
    """The dashboard's view as it stands (every filter, the whole year when no month is chosen) as a PDF."""
    codes = _bureau_codes(request)
    filters = dashboard.Filters.from_query(request.GET, timezone.localdate())
    names = "、".join(j.name_zh for j in access.bureau_jurisdictions(request.user))
    period = f"{filters.year}-{filters.month:02d}" if filters.month else str(filters.year)
    with translation.override("zh-hans"):  # a Chinese document whatever the page's language (万吨, labels)
        data = bureau_summary.build(
            dashboard.build_dashboard(codes, filters), bureau_name=names, generated=timezone.now()
        )
    return attachment(
        data,
        filename=f"bureau-summary-{period}.pdf",
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
    latest = None if items else risk.latest_submitted_period(codes)
    context["latest"] = latest if latest != (year, month) else None
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
    entries = AccessLogEntry.objects.filter(enterprise=request.enterprise).select_related(
        "user", "bank_read__bank"
    )[:500]
    return render(request, "frontend/oversight/access_log.html", {"entries": entries})
