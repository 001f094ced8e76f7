"""The enterprise's data-quality control plan (数据质量控制计划), versioned (tenant schema).

Per parameter of each source: how it is determined (measured, calculated, default), the meter, frequency,
responsible department and the fallback rule. Checks of a month use the version in force on its first day.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.carbon.models import EmissionSource, Meter
from tenants.references import user_reference


class ControlPlanVersion(models.Model):
    version = models.PositiveIntegerField(_("版本号"), unique=True)
    effective_from = models.DateField(_("生效日期"))
    revision_reason = models.CharField(_("修订原因"), max_length=300)
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("数据质量控制计划版本")
        ordering = ["-effective_from", "-version"]

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from})"

    @classmethod
    def in_force(cls, day: datetime.date) -> ControlPlanVersion | None:
        return cls.objects.filter(effective_from__lte=day).order_by("-effective_from", "-version").first()


class ParameterSpec(models.Model):
    class Method(models.TextChoices):
        MEASURED = "measured", _("实测")
        CALCULATED = "calculated", _("计算")
        DEFAULT = "default", _("缺省值")

    plan = models.ForeignKey(ControlPlanVersion, on_delete=models.PROTECT, related_name="specs")
    source = models.ForeignKey(EmissionSource, on_delete=models.PROTECT, related_name="+")
    parameter = models.CharField(_("参数"), max_length=40)
    method = models.CharField(_("获取方式"), max_length=16, choices=Method.choices)
    meter = models.ForeignKey(Meter, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(_("监测频次"), max_length=60, blank=True)
    department = models.CharField(_("负责部门"), max_length=60, blank=True)
    fallback_rule = models.CharField(_("数据缺失处理"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("参数监测要求")
        constraints = [
            models.UniqueConstraint(fields=["plan", "source", "parameter"], name="one_spec_per_parameter")
        ]

    def __str__(self) -> str:
        return f"{self.source_id}.{self.parameter}: {self.method}"
