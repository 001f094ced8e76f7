"""Setting a budget, requesting an adjustment, deciding on it: plain service functions with state checks.

Who may act is `tenants.access`: setting and deciding are acts of a bureau inspector whose jurisdiction covers
the enterprise's district (`may_act_in_jurisdiction`, a register enterprise may have no workspace); requesting is
the enterprise administrator's workspace action `request_budget_adjustment`. Each act locks the budget row
(`SELECT … FOR UPDATE`) and re-checks the state, so of two concurrent decisions exactly one is recorded (the
other is told someone acted first). Rows are append-only (database trigger); nothing here updates a row.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from steward import events
from steward.budget import selectors
from steward.budget.models import AdjustmentDecision, BudgetAdjustment, CarbonBudget
from steward.compliance.grading import Band
from steward.compliance.selectors import grading_bands
from steward.formatting import plain
from steward.register.models import RegisteredEnterprise
from tenants import access

PLACES = Decimal("0.0001")
MAX_TCO2 = Decimal("100000000")  # 1 亿吨: above any single enterprise


class Conflict(ValidationError):
    """Someone acted first (the state changed since the page was drawn)."""


def _reason(text: str, code: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写理由。"), code=code)
    return text[:500]


def _tonnes(value: Decimal) -> Decimal:
    if value is None or not (Decimal(0) < value <= MAX_TCO2):
        raise ValidationError(_("预算须大于 0 且不超过 1 亿吨。"), code="budget_out_of_range")
    return value.quantize(PLACES)


def _value_added(entry: RegisteredEnterprise, year: int) -> tuple[Decimal, str]:
    """The year's value added (万元) and how it was obtained, in words for the basis note."""
    value_added = selectors.value_added_of(entry, year)
    if value_added is None:
        raise ValidationError(_("统计部门尚未报送该企业该年度的工业增加值。"), code="no_value_added")
    if value_added.forecast:
        said = _("统计部门已报送 %(months)s 个月，按月均推算全年") % {"months": value_added.months}
    else:
        said = _("统计部门报送全年数据")
    return value_added.value, said


def target_grades() -> list[Band]:
    """The grades a 碳效 target may name: those with an upper K bound (the worst grade has none)."""
    _levels, grades = grading_bands()
    bounded = [band for band in grades if band.grade is not None and band.upper_inclusive is not None]
    return sorted(bounded, key=lambda band: band.grade)


def target_band(grade: int | None) -> Band:
    """The grading band of a target grade; the worst grade (no upper K bound) cannot be a target."""
    _levels, grades = grading_bands()
    band = next((band for band in grades if grade is not None and band.grade == grade), None)
    if band is None:
        raise ValidationError(_("请选择目标碳效等级。"), code="target_grade_required")
    if band.upper_inclusive is None:
        allowed = [b.grade for b in target_grades()]
        raise ValidationError(
            _("碳效 %(grade)s 级没有碳效值 K 的上限，不能作为预算目标，请选择 %(first)s–%(last)s 级。")
            % {"grade": band.grade, "first": allowed[0], "last": allowed[-1]},
            code="target_grade_unbounded",
        )
    return band


def _require_bureau(by, act: str, entry: RegisteredEnterprise) -> None:
    if not access.may_act_in_jurisdiction(by, act, entry.jurisdiction_id):
        raise PermissionDenied(act)


@transaction.atomic
def set_budget(
    *,
    entry: RegisteredEnterprise,
    year: int,
    basis: str,
    by,
    profile: str = CarbonBudget.Profile.LINEAR,
    intensity_target: Decimal | None = None,
    target_grade: int | None = None,
    note: str = "",
) -> CarbonBudget:
    """The bureau sets a year's budget from the enterprise's allocation, an intensity target × value added, or
    a 碳效 target: the target grade's upper K bound × the industry average L × value added (docs/budget.md).

    A budget is set once per enterprise and year; later changes are adjustment requests."""
    _require_bureau(by, "set_budget", entry)
    RegisteredEnterprise.objects.select_for_update().filter(pk=entry.pk).first()
    if CarbonBudget.objects.filter(registered=entry, year=year).exists():
        raise ValidationError(_("该企业该年度已核定预算，如需变更请通过调整申请。"), code="budget_exists")
    if profile not in CarbonBudget.Profile.values:
        raise ValidationError(_("请选择进度分配方式。"), code="invalid_profile")
    fields: dict = {}
    if basis == CarbonBudget.Basis.ALLOCATION:
        allocation = selectors.allocation_of(entry, year)
        if allocation is None:
            raise ValidationError(_("该企业该年度没有已登记的配额分配。"), code="no_allocation")
        stage, _sep, version = allocation.label.partition(" ")
        stage_label = {"pre": _("预分配"), "final": _("最终核定")}.get(stage, stage)
        amount = allocation.allowances
        fields["basis_note"] = _("%(year)s年度配额（%(stage)s，第%(version)s版）") % {
            "year": year,
            "stage": stage_label,
            "version": version.lstrip("v"),
        }
    elif basis == CarbonBudget.Basis.INTENSITY:
        if intensity_target is None or intensity_target <= 0:
            raise ValidationError(_("请填写大于 0 的强度目标。"), code="intensity_required")
        value_added, said = _value_added(entry, year)
        amount = intensity_target * value_added
        fields.update(intensity_target=intensity_target, value_added_10k_cny=value_added)
        fields["basis_note"] = _("强度目标 × 工业增加值（%(value_added)s）") % {"value_added": said}
    elif basis == CarbonBudget.Basis.GRADE:
        band = target_band(target_grade)
        average = selectors.industry_average_of(entry, year)
        if average is None:
            raise ValidationError(
                _("该企业所属行业在%(year)s年及上一年度尚无名录碳效评价结果，无法按碳效目标核定。")
                % {"year": year},
                code="no_industry_average",
            )
        value_added, said = _value_added(entry, year)
        amount = band.upper_inclusive * average.value * value_added
        fields.update(
            target_grade=band.grade,
            target_k=band.upper_inclusive,
            industry_average_l=average.value,
            grading_run=average.run,
            value_added_10k_cny=value_added,
        )
        if average.year == year:
            source = _("%(year)s年名录碳效评价") % {"year": year}
        else:
            source = _("%(used)s年名录碳效评价，%(year)s年尚无评价") % {"used": average.year, "year": year}
        fields["basis_note"] = _(
            "碳效 %(grade)s 级目标：K 上限 %(k)s × 行业平均 %(l)s tCO2/万元（%(source)s）× 工业增加值（%(value_added)s）"
        ) % {
            "grade": band.grade,
            "k": plain(band.upper_inclusive),
            "l": average.value.quantize(Decimal("0.0001")),
            "source": source,
            "value_added": said,
        }
    else:
        raise ValidationError(_("请选择预算依据。"), code="invalid_basis")
    return CarbonBudget.objects.create(
        registered=entry,
        year=year,
        basis=basis,
        profile=profile,
        initial_tco2=_tonnes(amount),
        note=(note or "").strip()[:300],
        set_by=by,
        **fields,
    )


def _locked(budget: CarbonBudget) -> CarbonBudget:
    return selectors.budgets_with_history().select_for_update(of=("self",)).get(pk=budget.pk)


@transaction.atomic
def request_adjustment(*, budget: CarbonBudget, requested_tco2: Decimal, reason: str, by) -> BudgetAdjustment:
    """The enterprise's administrator asks for another budget, with a reason (one pending request at a time)."""
    enterprise = budget.registered.enterprise
    if enterprise is None or not access.can(by, "request_budget_adjustment", enterprise):
        raise PermissionDenied("request_budget_adjustment")
    reason = _reason(reason, "reason_required")
    requested_tco2 = _tonnes(requested_tco2)
    budget = _locked(budget)
    if selectors.pending_adjustment(budget) is not None:
        raise Conflict(_("已有一项调整申请待审批。"), code="adjustment_pending")
    if requested_tco2 == selectors.budget_in_force(budget):
        raise ValidationError(_("申请的预算与现行预算相同。"), code="adjustment_unchanged")
    return BudgetAdjustment.objects.create(
        budget=budget, requested_tco2=requested_tco2, reason=reason, requested_by=by
    )


@transaction.atomic
def decide_adjustment(*, adjustment: BudgetAdjustment, approve: bool, reason: str, by) -> AdjustmentDecision:
    """A bureau inspector of the enterprise's district approves or refuses a pending request, with a reason.
    Nobody decides on a request they made themselves."""
    entry = adjustment.budget.registered
    _require_bureau(by, "decide_budget_adjustment", entry)
    if adjustment.requested_by_id == by.pk:
        raise PermissionDenied("decide_own_request")
    reason = _reason(reason, "decision_reason_required")
    budget = _locked(adjustment.budget)
    pending = selectors.pending_adjustment(budget)
    if pending is None or pending.pk != adjustment.pk:
        raise Conflict(_("该申请已有决定（他人已先处理）。"), code="already_decided")
    outcome = AdjustmentDecision.Outcome.APPROVED if approve else AdjustmentDecision.Outcome.REFUSED
    decision = AdjustmentDecision.objects.create(
        adjustment=pending, outcome=outcome, reason=reason, decided_by=by
    )
    # an approval changes the budget in force: its early-warning level is checked again (subscribers.py)
    events.publish("budget_adjustment.decided", decision, budget_id=budget.pk, outcome=outcome)
    return decision
