"""The bureau's and stewards' read model, in the public schema (one row per enterprise and month).

Rows are projections of tenant data (see `steward.oversight.projection`), written in the same transaction as the
filing change that caused them; `rebuild_oversight` regenerates them and `check_oversight` compares. Nothing
here is a record of its own except the access log and spot checks, which are append-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Enterprise, Industry, Jurisdiction

QUANTITY = {"max_digits": 20, "decimal_places": 4, "null": True, "blank": True}


class MonthFact(models.Model):
    """What oversight needs to know of one enterprise's month, without opening its schema.

    Emissions come only from locked (sealed) versions: the bureau never sees figures of a draft.
    `industry` and `jurisdiction` are copied from the enterprise so the dashboard filters on one table.
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="month_facts")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    # monthly filing projection
    status = models.CharField(_("状态"), max_length=16)
    version = models.PositiveIntegerField(_("版本"))
    deadline = models.DateField(_("截止日期"))
    first_submitted_at = models.DateTimeField(_("首次提交时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    submitted_late = models.BooleanField(_("逾期提交"), default=False)
    returned_count = models.PositiveIntegerField(_("退回次数"), default=0)
    open_findings = models.PositiveIntegerField(_("未处理问题"), default=0)
    waived_findings = models.PositiveIntegerField(_("已豁免问题"), default=0)
    waived_blocking = models.PositiveIntegerField(_("已豁免阻断问题"), default=0)
    acknowledged_findings = models.PositiveIntegerField(_("已确认警告"), default=0)
    missing_evidence = models.PositiveIntegerField(_("缺少证据的问题"), default=0)
    # emissions projection (from the latest locked version of the month)
    figures_version = models.PositiveIntegerField(_("数据版本"), null=True, blank=True)
    total_tco2 = models.DecimalField(_("排放量（tCO2）"), **QUANTITY)
    output_value = models.DecimalField(_("产出"), **QUANTITY)
    output_unit = models.CharField(_("产出单位"), max_length=20, blank=True)
    intensity = models.DecimalField(_("排放强度"), max_digits=20, decimal_places=6, null=True, blank=True)
    # national platform projection ("filed there", steward/handoff/oversight.py): the record in force
    platform_submitted_on = models.DateField(_("全国平台提交日期"), null=True, blank=True)
    platform_receipt_number = models.CharField(_("全国平台回执编号"), max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("月度监管数据")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "month"], name="one_fact_per_month"),
        ]
        indexes = [
            models.Index(fields=["year", "month", "jurisdiction"], name="fact_period_jurisdiction"),
            models.Index(fields=["year", "month", "industry"], name="fact_period_industry"),
            # the dashboard's table: the period's first rows in its order (latest month first), read in
            # index order so the page's rows are joined to their enterprises, not the whole period
            models.Index(fields=["year", "-month", "jurisdiction", "enterprise"], name="fact_listing"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}-{self.month:02d} {self.status}"

    @property
    def is_submitted(self) -> bool:
        return self.status in {"in_review", "locked"} or self.figures_version is not None


class Metric(models.Model):
    """A figure another domain projects for an enterprise and period (month 0 = the whole year).

    Compliance position, carbon-efficiency grade and exceedance counts plug in here (docs/oversight.md):
    `value` for numbers (Decimal), `label` for grades and categories.
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="metrics")
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, related_name="+")
    domain = models.CharField(max_length=32)
    key = models.CharField(max_length=48)
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(default=0)
    value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    label = models.CharField(max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("监管指标")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "key", "year", "month"], name="one_metric_per_period"
            )
        ]
        indexes = [models.Index(fields=["key", "year", "month", "jurisdiction"], name="metric_period")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.key} {self.year}-{self.month}"


class AccessLogEntry(models.Model):
    """A steward's or bureau user's request into an enterprise's workspace (append-only)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    roles = models.CharField(_("角色"), max_length=120)
    method = models.CharField(_("请求方式"), max_length=8)
    path = models.CharField(_("路径"), max_length=300)
    status_code = models.PositiveSmallIntegerField(_("结果"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("访问记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["enterprise", "-at"], name="access_log_enterprise")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.method} {self.path}"

    def role_list(self) -> list[str]:
        return self.roles.split(",")


class SpotCheck(models.Model):
    """An inspector's spot-check outcome for one enterprise's month (append-only)."""

    class Result(models.TextChoices):
        CONFIRMED = "confirmed", _("核查无误")
        ISSUES = "issues", _("发现问题，责令整改")
        REFERRED = "referred", _("移交执法")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    result = models.CharField(_("结论"), max_length=16, choices=Result.choices)
    notes = models.CharField(_("说明"), max_length=1000)
    risk_score = models.PositiveIntegerField(_("风险分"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("抽查记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}-{self.month:02d} {self.result}"
