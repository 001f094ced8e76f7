"""企业碳预算 pages: the bureau's list (filters in the URL, warning badges, its districts only) and a budget's
page (burn-down chart and table, history, the decision on a pending request); the enterprise's own budget and
its request form inside the workspace. Figures and rules come from steward.budget; views only render and route."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frontend.budget.forms import AdjustmentRequestForm, DecisionForm, SetBudgetForm
from steward.budget import burndown, selectors, services
from steward.budget.models import BudgetAdjustment, CarbonBudget
from steward.demo.period import last_month
from steward.oversight import scope
from steward.register.models import RegisteredEnterprise
from tenants import access
from tenants.models import Jurisdiction

CHART_PLACES = Decimal("0.01")


def _bureau_codes(request) -> set[str]:
    if not access.can(request.user, "view_bureau_dashboard"):
        raise PermissionDenied("view_bureau_dashboard")
    codes = scope.bureau_codes(request.user)
    if not codes:
        raise PermissionDenied("bureau_only")
    return codes


def _int(raw, default: int, low: int, high: int) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return default
    return value if low <= value <= high else default


def _messages(error: ValidationError) -> str:
    return "；".join(error.messages)


def _chart(view: selectors.BudgetView) -> dict:
    """The burn-down for ECharts (Decimal strings: the chart reads numbers, the table beside it says the same)."""

    def text(value):
        return None if value is None else str(value.quantize(CHART_PLACES))

    labels = burndown.source_labels()
    as_of = view.burn.as_of or 0
    return {
        "months": [_("%(month)s月") % {"month": row.month} for row in view.burn.rows],
        "actual": [text(row.actual) for row in view.burn.rows],
        "sources": [labels[row.source] for row in view.burn.rows],
        "cumulative": [text(row.cumulative) if row.month <= as_of else None for row in view.burn.rows],
        "planned": [text(row.planned) for row in view.burn.rows],
        "budget": text(view.in_force),
        "names": {
            "actual": _("当月排放"),
            "cumulative": _("累计排放"),
            "planned": _("进度预算"),
            "budget": _("年度预算"),
        },
    }


def _labels() -> dict:
    return {
        "levels": burndown.level_labels(),
        "sources": burndown.source_labels(),
        "profiles": burndown.profile_labels(),
        "acts": burndown.act_labels(),
        "bases": dict(CarbonBudget.Basis.choices),
    }


@login_required
def budget_list(request):
    codes = _bureau_codes(request)
    year = _int(request.GET.get("year"), last_month()[0], 2000, 2100)
    district = request.GET.get("district", "")
    shown = {district} if district in codes else codes
    level = request.GET.get("level", "")
    basis = request.GET.get("basis", "")
    pending_only = request.GET.get("pending") == "1"
    budgets = selectors.budgets_with_history().filter(year=year, registered__jurisdiction_id__in=shown)
    if basis in CarbonBudget.Basis.values:
        budgets = budgets.filter(basis=basis)
    views = selectors.burn_downs(list(budgets.order_by("registered__jurisdiction_id", "registered__name")))
    counts = {code: 0 for code in burndown.LEVELS}
    for view in views:
        counts[view.burn.level] += 1
    pending = sum(1 for view in views if view.pending)
    if level in burndown.LEVELS:
        views = [view for view in views if view.burn.level == level]
    if pending_only:
        views = [view for view in views if view.pending]
    may_set = any(access.may_act_in_jurisdiction(request.user, "set_budget", code) for code in codes)
    context = {
        "year": year,
        "district": district,
        "level": level,
        "basis": basis,
        "pending_only": pending_only,
        "districts": Jurisdiction.objects.filter(code__in=codes).order_by("code"),
        "views": views,
        "counts": [(code, burndown.level_labels()[code], counts[code]) for code in burndown.LEVELS],
        "pending_count": pending,
        "labels": _labels(),
        "form": SetBudgetForm(initial={"year": year, "profile": "linear"}) if may_set else None,
        "rules": burndown.warning_rules(),
    }
    return render(request, "frontend/budget/list.html", context)


@login_required
@require_POST
def budget_set(request):
    codes = _bureau_codes(request)
    form = SetBudgetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查填写的内容：%(errors)s") % {"errors": form.errors.as_text()})
        return redirect("budget_list")
    data = form.cleaned_data
    entry = RegisteredEnterprise.objects.filter(
        credit_code=data["credit_code"].strip().upper(), jurisdiction_id__in=codes
    ).first()
    if entry is None:
        messages.error(request, _("本辖区企业名录中没有该统一社会信用代码。"))
        return redirect(f"{reverse('budget_list')}?year={data['year']}")
    try:
        budget = services.set_budget(
            entry=entry,
            year=data["year"],
            basis=data["basis"],
            profile=data["profile"],
            intensity_target=data.get("intensity_target"),
            target_grade=data.get("target_grade"),
            note=data.get("note", ""),
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, _messages(error))
        return redirect(f"{reverse('budget_list')}?year={data['year']}")
    messages.success(
        request, _("已核定 %(name)s %(year)s年度碳预算。") % {"name": entry.name, "year": budget.year}
    )
    return redirect("budget_detail", budget_id=budget.pk)


def _budget_view(budget_id: int, codes: set[str]) -> selectors.BudgetView:
    budget = (
        selectors.budgets_with_history().filter(pk=budget_id, registered__jurisdiction_id__in=codes).first()
    )
    if budget is None:
        raise Http404("budget")
    return selectors.burn_downs([budget])[0]


@login_required
def budget_detail(request, budget_id: int):
    codes = _bureau_codes(request)
    view = _budget_view(budget_id, codes)
    entry = view.budget.registered
    may_decide = access.may_act_in_jurisdiction(
        request.user, "decide_budget_adjustment", entry.jurisdiction_id
    )
    decision = None
    if view.pending and may_decide and view.pending.requested_by_id != request.user.pk:
        decision = DecisionForm(initial={"adjustment": view.pending.pk})
    return render(
        request,
        "frontend/budget/detail.html",
        {
            "view": view,
            "entry": entry,
            "history": selectors.history(view.budget),
            "level_notices": list(view.budget.level_notices.all()),
            "decision": decision,
            "chart": {"burndown": _chart(view)},
            "labels": _labels(),
        },
    )


@login_required
@require_POST
def budget_decide(request, budget_id: int):
    codes = _bureau_codes(request)
    view = _budget_view(budget_id, codes)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择决定并填写理由。"))
        return redirect("budget_detail", budget_id=budget_id)
    adjustment = get_object_or_404(BudgetAdjustment, pk=form.cleaned_data["adjustment"], budget=view.budget)
    try:
        services.decide_adjustment(
            adjustment=adjustment,
            approve=form.cleaned_data["outcome"] == "approved",
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, _messages(error))
    else:
        messages.success(request, _("已记录对调整申请的决定。"))
    return redirect("budget_detail", budget_id=budget_id)


# ------------------------------------------------------------------------------------------- the workspace


@access.require_workspace_action("view_budget")
def workspace_budget(request):
    grant = request.workspace_access
    entry = RegisteredEnterprise.objects.filter(enterprise=grant.enterprise).first()
    budgets = list(selectors.budgets_with_history().filter(registered=entry)) if entry else []
    years = sorted({budget.year for budget in budgets}, reverse=True)
    year = _int(request.GET.get("year"), years[0] if years else last_month()[0], 2000, 2100)
    current = next((budget for budget in budgets if budget.year == year), None)
    view = selectors.burn_downs([current])[0] if current else None
    form = None
    if view and not view.pending and grant.allows("request_budget_adjustment"):
        form = AdjustmentRequestForm()
    return render(
        request,
        "frontend/budget/workspace.html",
        {
            "entry": entry,
            "years": years,
            "year": year,
            "view": view,
            "history": selectors.history(current) if current else [],
            "level_notices": list(current.level_notices.all()) if current else [],
            "form": form,
            "chart": {"burndown": _chart(view)} if view else None,
            "labels": _labels(),
        },
    )


@require_POST
@access.require_workspace_action("request_budget_adjustment")
def workspace_budget_request(request, budget_id: int):
    grant = request.workspace_access
    budget = get_object_or_404(CarbonBudget, pk=budget_id, registered__enterprise=grant.enterprise)
    form = AdjustmentRequestForm(request.POST)
    target = f"{reverse('workspace:budget')}?year={budget.year}"
    if not form.is_valid():
        messages.error(request, _("请填写调整后的预算和理由。"))
        return redirect(target)
    try:
        services.request_adjustment(
            budget=budget,
            requested_tco2=form.cleaned_data["requested_tco2"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, _messages(error))
    else:
        messages.success(request, _("调整申请已提交，等待生态环境部门审批。"))
    return redirect(target)
