"""An enterprise's allocation and value-added records (tenant schema).

Both are evidence: never edited (append-only triggers). A correction is version n+1 with a reason and its
author; the latest version is current. The allocation keeps the benchmark values, correction factors and
trace it was computed with, copied from the reference release, so a later release never changes it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.evidence.models import EvidenceFile
from tenants.references import user_reference

QUANTITY = {"max_digits": 20, "decimal_places": 6}


class VersionedYearRecord(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.CharField(_("更正原因"), max_length=300, blank=True)
    evidence = models.ForeignKey(
        EvidenceFile, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("依据文件")
    )
    entered_by = user_reference()
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Allocation(VersionedYearRecord):
    """The pre-allocation or final allocation of one compliance year (预分配 / 核定配额)."""

    class Stage(models.TextChoices):
        PRE = "pre", _("预分配")
        FINAL = "final", _("最终核定")

    stage = models.CharField(_("阶段"), max_length=8, choices=Stage.choices)
    sector = models.CharField(_("行业"), max_length=16, default="power")
    method = models.CharField(_("分配方法"), max_length=24, default="benchmark")
    basis_tco2 = models.DecimalField(
        _("所依据的核查排放量（tCO2）"), null=True, blank=True, **QUANTITY
    )  # verified_emissions / share_of_previous: the direct emissions the allocation was computed from
    unit_category = models.CharField(_("机组类别"), max_length=40)
    is_gas_unit = models.BooleanField(_("燃气机组"), default=False)
    output_basis = models.CharField(_("分配基础"), max_length=16)
    output_mwh = models.DecimalField(_("电量（MWh）"), **QUANTITY)  # the output, in output_unit
    output_unit = models.CharField(_("产量单位"), max_length=20, default="MWh")
    heat_supplied_gj = models.DecimalField(_("供热量（GJ）"), default=0, **QUANTITY)
    benchmark_set = models.CharField(_("基准值集"), max_length=40)
    benchmark = models.DecimalField(_("基准值（tCO2/MWh）"), max_digits=12, decimal_places=6)
    heat_benchmark = models.DecimalField(_("供热基准值（tCO2/GJ）"), max_digits=12, decimal_places=6)
    benchmark_status = models.CharField(_("基准值核实状态"), max_length=16)
    corrections = models.JSONField(_("修正系数"), default=list)
    carried_in = models.DecimalField(_("结转配额（t）"), default=0, **QUANTITY)
    allocated = models.DecimalField(_("配额（t）"), **QUANTITY)
    trace = models.JSONField(_("计算过程"), default=list)

    class Meta:
        verbose_name = _("配额分配")
        ordering = ["year", "stage", "version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "stage", "version"], name="allocation_version"),
            models.CheckConstraint(condition=models.Q(output_mwh__gte=0), name="allocation_output"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.stage} v{self.version}: {self.allocated} t"


class ValueAddedRecord(VersionedYearRecord):
    """Value added (income approach) of one year, with the industry average it is graded against."""

    value_added_10k_cny = models.DecimalField(_("工业增加值（万元）"), **QUANTITY)
    zero_carbon_t = models.DecimalField(_("自发零碳电力抵扣（tCO2）"), default=0, **QUANTITY)
    industry_average_l = models.DecimalField(
        _("行业平均单位增加值碳排放（tCO2/万元）"), max_digits=12, decimal_places=6
    )
    industry_average_source = models.CharField(_("行业平均值来源"), max_length=200)

    class Meta:
        verbose_name = _("工业增加值")
        ordering = ["year", "version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="value_added_version"),
            models.CheckConstraint(
                condition=models.Q(value_added_10k_cny__gt=0), name="value_added_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(industry_average_l__gt=0), name="industry_average_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.version}: {self.value_added_10k_cny} 万元"
