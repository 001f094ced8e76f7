"""An enterprise's pollutant-permit records (tenant schema).

The permit is evidence: a change is a new version (with reason and author) carrying its own outlets, limits and
permitted amounts; nothing is edited. Monitoring data arrive in import batches identified by the file's
SHA-256 and are append-only too. Execution reports carry a workflow state; their events are append-only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.carbon.models import EmissionSource
from steward.documents.models import IssuedDocument
from steward.evidence.models import EvidenceFile
from steward.intake.models import UploadBatch
from steward.pollution.pollutants import Medium, Pollutant
from steward.timeline import TimelineEvent
from tenants.references import user_reference

QUANTITY = {"max_digits": 24, "decimal_places": 8}


class ReportFrequency(models.TextChoices):
    MONTHLY = "monthly", _("月报")
    QUARTERLY = "quarterly", _("季报")
    SEMIANNUAL = "semiannual", _("半年报")
    ANNUAL = "annual", _("年报")


class Permit(models.Model):
    """One version of the pollutant discharge permit (排污许可证)."""

    class ManagementClass(models.TextChoices):
        KEY = "key", _("重点管理")
        SIMPLIFIED = "simplified", _("简化管理")
        REGISTRATION = "registration", _("登记管理")

    permit_number = models.CharField(_("许可证编号"), max_length=40)
    version = models.PositiveIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    change_reason = models.CharField(_("变更原因"), max_length=300, blank=True)
    management_class = models.CharField(_("管理类别"), max_length=16, choices=ManagementClass.choices)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期止"))
    report_frequencies = models.JSONField(_("执行报告频次"), default=list)
    entered_by = user_reference()
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("排污许可证")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["permit_number", "version"], name="permit_version"),
            models.CheckConstraint(
                condition=models.Q(valid_to__gt=models.F("valid_from")), name="permit_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.permit_number} v{self.version}"


class Outlet(models.Model):
    """A discharge outlet as listed in one permit version (DA001 air, DW001 water)."""

    class Kind(models.TextChoices):
        MAIN = "main", _("主要排放口")
        GENERAL = "general", _("一般排放口")

    permit = models.ForeignKey(Permit, on_delete=models.PROTECT, related_name="outlets")
    code = models.CharField(_("排放口编号"), max_length=20)
    name = models.CharField(_("排放口名称"), max_length=120)
    kind = models.CharField(_("排放口类型"), max_length=16, choices=Kind.choices)
    medium = models.CharField(_("类别"), max_length=8, choices=Medium.choices)
    reference_oxygen_pct = models.DecimalField(
        _("基准氧含量（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("排放口")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["permit", "code"], name="outlet_code_per_permit")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ConcentrationLimit(models.Model):
    """A concentration limit on one outlet, per hour (air) or per day (water)."""

    class Averaging(models.TextChoices):
        HOUR = "hour", _("小时均值")
        DAY = "day", _("日均值")

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="limits")
    pollutant = models.CharField(_("污染物"), max_length=8, choices=Pollutant.choices)
    limit = models.DecimalField(_("浓度限值"), **QUANTITY)
    unit = models.CharField(_("单位"), max_length=10)
    averaging = models.CharField(_("判定时段"), max_length=8, choices=Averaging.choices)
    oxygen_corrected = models.BooleanField(_("折算基准氧含量"), default=False)

    class Meta:
        verbose_name = _("浓度限值")
        constraints = [
            models.UniqueConstraint(fields=["outlet", "pollutant"], name="one_limit_per_pollutant")
        ]

    def __str__(self) -> str:
        return f"{self.outlet_id} {self.pollutant} ≤ {self.limit} {self.unit}"


class PermittedAmount(models.Model):
    """Permitted annual emission amount (许可排放量, t/a) for one pollutant."""

    permit = models.ForeignKey(Permit, on_delete=models.PROTECT, related_name="permitted_amounts")
    pollutant = models.CharField(_("污染物"), max_length=8, choices=Pollutant.choices)
    tonnes_per_year = models.DecimalField(_("许可排放量（t/a）"), **QUANTITY)

    class Meta:
        verbose_name = _("许可排放量")
        constraints = [
            models.UniqueConstraint(fields=["permit", "pollutant"], name="one_amount_per_pollutant")
        ]

    def __str__(self) -> str:
        return f"{self.pollutant} {self.tonnes_per_year} t/a"


class SourceOutlet(models.Model):
    """Links a carbon-side emission source (fuel burned in a boiler) to the outlet its flue gas leaves by,
    with the control technology that applies to pollutants only (coefficient method)."""

    source = models.ForeignKey(EmissionSource, on_delete=models.PROTECT, related_name="+")
    outlet_code = models.CharField(_("排放口编号"), max_length=20)
    pollutant = models.CharField(_("污染物"), max_length=8, choices=Pollutant.choices)
    control_technology = models.CharField(_("治理设施"), max_length=80, blank=True)
    removal_efficiency = models.DecimalField(_("去除效率"), max_digits=6, decimal_places=4, default=0)
    operating_rate = models.DecimalField(_("治理设施运行率"), max_digits=6, decimal_places=4, default=1)
    entered_by = user_reference()
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("排放源与排放口")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "outlet_code", "pollutant"], name="source_outlet_pollutant"
            ),
            models.CheckConstraint(
                condition=models.Q(removal_efficiency__gte=0, removal_efficiency__lte=1),
                name="removal_fraction",
            ),
            models.CheckConstraint(
                condition=models.Q(operating_rate__gte=0, operating_rate__lte=1), name="operating_fraction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.outlet_code} {self.pollutant}"


class CemsCertification(models.Model):
    """The automatic monitoring system of an outlet is calibrated and maintained per HJ 75 / HJ 355."""

    class Standard(models.TextChoices):
        HJ75 = "HJ 75-2017", "HJ 75-2017"
        HJ355 = "HJ 355-2019", "HJ 355-2019"

    outlet_code = models.CharField(_("排放口编号"), max_length=20)
    standard = models.CharField(_("技术规范"), max_length=16, choices=Standard.choices)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期止"))
    evidence = models.ForeignKey(
        EvidenceFile, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("验收/比对报告")
    )
    marked_by = user_reference()
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("自动监测系统合规")

    def __str__(self) -> str:
        return f"{self.outlet_code} {self.standard} {self.valid_from}–{self.valid_to}"


class MonitoringImport(UploadBatch):
    """One imported file of automatic monitoring data: who, when, and the file's hash (re-import is a no-op).
    The file's record is the intake's `UploadBatch`, as for every importer."""

    class Interval(models.TextChoices):
        HOUR = "hour", _("小时数据")
        DAY = "day", _("日数据")

    outlet_code = models.CharField(_("排放口编号"), max_length=20)
    interval = models.CharField(_("数据类型"), max_length=8, choices=Interval.choices)
    row_count = models.PositiveIntegerField(_("行数"))

    class Meta(UploadBatch.Meta):
        verbose_name = _("自动监测数据导入")

    def __str__(self) -> str:
        return f"{self.outlet_code} {self.original_name}"


class OperatingStatus(models.TextChoices):
    RUNNING = "running", _("正常运行")
    STOPPED = "stopped", _("停运")
    MAINTENANCE = "maintenance", _("维护")
    FAULT = "fault", _("故障")


class MonitoringReading(models.Model):
    """One hour (air) or day (water) of one pollutant at one outlet, from an import batch."""

    batch = models.ForeignKey(MonitoringImport, on_delete=models.PROTECT, related_name="readings")
    outlet_code = models.CharField(_("排放口编号"), max_length=20)
    pollutant = models.CharField(_("污染物"), max_length=8, choices=Pollutant.choices)
    starts_at = models.DateTimeField(_("时段开始"))
    hours = models.PositiveSmallIntegerField(_("时长（小时）"))
    concentration = models.DecimalField(_("实测浓度"), **QUANTITY, null=True)
    flow = models.DecimalField(_("流量"), **QUANTITY, null=True)
    oxygen_pct = models.DecimalField(_("含氧量（%）"), max_digits=6, decimal_places=3, null=True)
    status = models.CharField(_("运行状态"), max_length=16, choices=OperatingStatus.choices)

    class Meta:
        verbose_name = _("自动监测数据")
        ordering = ["outlet_code", "pollutant", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["outlet_code", "pollutant", "starts_at"], name="one_reading_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.outlet_code} {self.pollutant} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def valid(self) -> bool:
        """Counts towards the capture rate: the unit ran and the analyser gave both values."""
        return (
            self.status == OperatingStatus.RUNNING
            and self.concentration is not None
            and self.flow is not None
        )


class ManualMonitoring(models.Model):
    """A manual (self- or entrusted) monitoring result, with the lab report as evidence."""

    outlet_code = models.CharField(_("排放口编号"), max_length=20)
    pollutant = models.CharField(_("污染物"), max_length=8, choices=Pollutant.choices)
    sampled_on = models.DateField(_("采样日期"))
    concentration = models.DecimalField(_("浓度"), **QUANTITY)
    flow = models.DecimalField(_("流量"), **QUANTITY)
    report_number = models.CharField(_("报告编号"), max_length=60)
    evidence = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, verbose_name=_("监测报告"))
    entered_by = user_reference()
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("手工监测结果")
        ordering = ["-sampled_on"]

    def __str__(self) -> str:
        return f"{self.outlet_code} {self.pollutant} {self.sampled_on}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("审核通过")


class ExecutionReport(models.Model):
    """A permit execution report (执行报告) for one period: month, quarter, half-year or year."""

    frequency = models.CharField(_("报告类型"), max_length=16, choices=ReportFrequency.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    period = models.PositiveSmallIntegerField(_("期次"))  # month 1–12, quarter 1–4, half 1–2, year 1
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(
        _("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    deadline = models.DateField(_("截止日期"))
    permit = models.ForeignKey(Permit, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(_("报告内容"), null=True, blank=True)
    content_sha256 = models.CharField(_("内容哈希"), max_length=64, blank=True)
    document = models.ForeignKey(
        IssuedDocument, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("报告存档件")
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("排污许可执行报告")
        ordering = ["-year", "-period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["frequency", "year", "period", "version"], name="report_version")
        ]

    def __str__(self) -> str:
        return f"{self.frequency} {self.year}-{self.period} v{self.version} {self.status}"


class DeclaredFuel(models.Model):
    """Fuel consumption as declared in an execution report, reconciled against the carbon records."""

    report = models.ForeignKey(ExecutionReport, on_delete=models.PROTECT, related_name="fuels")
    source = models.ForeignKey(EmissionSource, on_delete=models.PROTECT, related_name="+")
    month = models.PositiveSmallIntegerField(_("月份"))
    quantity = models.DecimalField(_("申报用量"), **QUANTITY)
    unit = models.CharField(_("单位"), max_length=20)
    entered_by = user_reference()
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("执行报告申报燃料")
        ordering = ["report", "source", "month", "entered_at"]

    def __str__(self) -> str:
        return f"{self.source_id} {self.month} {self.quantity} {self.unit}"


class ExecutionReportEvent(TimelineEvent):
    """Who did what to an execution report, when and why (append-only)."""

    record_field = "report"

    class Action(models.TextChoices):
        OPENED = "opened", _("创建")
        SUBMITTED = "submitted", _("提交")
        RETURNED = "returned", _("退回")
        APPROVED = "approved", _("审核通过")

    report = models.ForeignKey(ExecutionReport, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("动作"), max_length=16, choices=Action.choices)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("执行报告记录")

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"
