"""企业碳预算 (issue 19, item 5): a budget per register enterprise and year, and its adjustment requests.

Public schema (a shared app, like the register it hangs from): a register enterprise may have no workspace.
All three tables are append-only (a database trigger refuses UPDATE and DELETE, steward/immutability.py,
migration 0002): the budget as it was set, each adjustment request as the enterprise made it, and each decision
as the bureau took it. The budget in force is the set figure, replaced by each approved request in the order of
their decisions (`selectors.budget_in_force`); a request without a decision is pending. Every row names who and
when, so every act is attributable and the history is the rows themselves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.register.models import GradingRun, RegisteredEnterprise

TONNES = {"max_digits": 20, "decimal_places": 4}


class CarbonBudget(models.Model):
    """The carbon budget of one register enterprise for one year, with the basis it was set from."""

    class Basis(models.TextChoices):
        ALLOCATION = "allocation", _("配额分配")
        INTENSITY = "intensity", _("强度目标")
        GRADE = "grade", _("碳效目标")

    class Profile(models.TextChoices):
        LINEAR = "linear", _("按月均摊")
        SEASONAL = "seasonal", _("按上年月度分布")

    registered = models.ForeignKey(
        RegisteredEnterprise, on_delete=models.PROTECT, related_name="budgets", verbose_name=_("企业")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    basis = models.CharField(_("预算依据"), max_length=16, choices=Basis.choices)
    profile = models.CharField(_("进度分配"), max_length=16, choices=Profile.choices, default="linear")
    initial_tco2 = models.DecimalField(_("核定预算（tCO2）"), **TONNES)
    # intensity basis: target (tCO2 per 万元 of value added) × value added, with where the value added came from
    intensity_target = models.DecimalField(
        _("强度目标（tCO2/万元）"), max_digits=14, decimal_places=6, null=True, blank=True
    )
    value_added_10k_cny = models.DecimalField(
        _("工业增加值（万元）"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    # 碳效 (grade) basis: the target grade's upper K bound × the industry average L × the value added above, with
    # the grading run the industry L was read from (its year may be the year before the budget's)
    target_grade = models.PositiveSmallIntegerField(_("目标碳效等级"), null=True, blank=True)
    target_k = models.DecimalField(
        _("目标等级碳效值 K 上限"), max_digits=14, decimal_places=6, null=True, blank=True
    )
    industry_average_l = models.DecimalField(
        _("行业平均单位增加值碳排放（tCO2/万元）"), max_digits=30, decimal_places=12, null=True, blank=True
    )
    grading_run = models.ForeignKey(
        GradingRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("行业平均值所依据的碳效评价批次"),
    )
    # allocation basis: which allocation (stage and version) the figure was read from; intensity: the value added
    basis_note = models.CharField(_("依据说明"), max_length=300)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("核定人")
    )
    set_at = models.DateTimeField(_("核定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("企业碳预算")
        ordering = ["year", "registered_id"]
        constraints = [
            models.UniqueConstraint(fields=["registered", "year"], name="one_budget_per_enterprise_year"),
            models.CheckConstraint(condition=models.Q(initial_tco2__gt=0), name="budget_positive"),
            models.CheckConstraint(
                condition=~models.Q(basis="grade")
                | models.Q(
                    target_grade__isnull=False,
                    target_k__isnull=False,
                    industry_average_l__isnull=False,
                    grading_run__isnull=False,
                    value_added_10k_cny__isnull=False,
                ),
                name="grade_budget_names_its_inputs",
            ),
        ]
        indexes = [models.Index(fields=["year", "registered"], name="budget_year_enterprise")]

    def __str__(self) -> str:
        return f"{self.registered_id} {self.year}: {self.initial_tco2} t"


class BudgetAdjustment(models.Model):
    """An enterprise's request (its administrator's) to change its budget to `requested_tco2`, with a reason."""

    budget = models.ForeignKey(CarbonBudget, on_delete=models.PROTECT, related_name="adjustments")
    requested_tco2 = models.DecimalField(_("申请调整后预算（tCO2）"), **TONNES)
    reason = models.CharField(_("申请理由"), max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预算调整申请")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(requested_tco2__gt=0), name="adjustment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.budget_id}: {self.requested_tco2} t"


class AdjustmentDecision(models.Model):
    """The bureau's decision on one request (one decision per request: the unique key refuses a second)."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("批准")
        REFUSED = "refused", _("不予批准")

    adjustment = models.OneToOneField(BudgetAdjustment, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("决定"), max_length=12, choices=Outcome.choices)
    reason = models.CharField(_("决定理由"), max_length=500)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("决定人")
    )
    decided_at = models.DateTimeField(_("决定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预算调整决定")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.adjustment_id}: {self.outcome}"


class LevelNotice(models.Model):
    """A budget's early-warning level reached and notified, once per budget and level (append-only).

    Written when new data (a register feed, a locked month) lifts the budget above every level notified so
    far (`steward.budget.warnings.record_rises`); `budget.level_raised` is published with it and the inbox
    entries follow from that event (`steward.budget.notices`). The row keeps what was seen at the time."""

    class Level(models.TextChoices):
        ATTENTION = "attention", _("关注")
        WARNING = "warning", _("预警")
        OVERRUN = "overrun", _("超预算")

    budget = models.ForeignKey(CarbonBudget, on_delete=models.PROTECT, related_name="level_notices")
    level = models.CharField(_("预警等级"), max_length=12, choices=Level.choices)
    as_of_month = models.PositiveSmallIntegerField(_("数据截至月份"))
    in_force_tco2 = models.DecimalField(_("现行预算（tCO2）"), **TONNES)
    cumulative_tco2 = models.DecimalField(_("累计排放（tCO2）"), **TONNES)
    warnings = models.CharField(_("预警内容"), max_length=500)
    cause = models.CharField(_("触发数据"), max_length=40)
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预算预警通知记录")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "level"], name="one_notice_per_budget_level"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_id}: {self.level} ({self.as_of_month})"
