"""Public reference data for compliance (public schema): allocation benchmarks, compliance rules per year and
the carbon-efficiency grading scheme. Each publication is an immutable release; rows keep their source and
verification status, and a value that was recalled rather than read is shown as "to be verified".
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.factors.models import VerificationStatus

RATE = {"max_digits": 12, "decimal_places": 6}


class ReferenceRelease(models.Model):
    version = models.CharField(_("版本"), max_length=40, unique=True)
    content_sha256 = models.CharField(_("内容哈希"), max_length=64, unique=True)
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("履约参考数据版本")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.version

    @classmethod
    def current(cls) -> ReferenceRelease:
        latest = cls.objects.first()
        if latest is None:
            raise cls.DoesNotExist("no compliance reference published: run `manage.py setup_platform`")
        return latest


class AllocationBenchmark(models.Model):
    """A benchmark of one unit category in one allocation plan (tCO2/MWh of the output basis, tCO2/GJ heat)."""

    release = models.ForeignKey(ReferenceRelease, on_delete=models.PROTECT, related_name="benchmarks")
    benchmark_set = models.CharField(_("基准值集"), max_length=40)
    first_year = models.PositiveSmallIntegerField(_("起始年度"))
    last_year = models.PositiveSmallIntegerField(_("截止年度"))
    unit_category = models.CharField(_("机组类别"), max_length=40)
    label = models.CharField(_("机组类别名称"), max_length=80)
    supply_benchmark = models.DecimalField(_("供电基准值（tCO2/MWh）"), **RATE)
    heat_benchmark = models.DecimalField(_("供热基准值（tCO2/GJ）"), **RATE)
    is_gas = models.BooleanField(_("燃气机组"), default=False)
    source_document = models.CharField(_("来源文件"), max_length=200)
    status = models.CharField(_("核实状态"), max_length=16, choices=VerificationStatus.choices)

    class Meta:
        verbose_name = _("配额分配基准值")
        ordering = ["benchmark_set", "unit_category"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "benchmark_set", "unit_category"], name="benchmark_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.benchmark_set} {self.unit_category}"


class CompliancePolicy(models.Model):
    """The compliance rules of one sector and compliance year: output basis, which emissions count, deficit
    cap, gas relief, CCER cap, surrender date."""

    class Sector(models.TextChoices):
        POWER = "power", _("发电")
        CEMENT = "cement", _("水泥熟料")
        STEEL = "steel", _("钢铁")
        ALUMINIUM = "aluminium", _("电解铝")

    class OutputBasis(models.TextChoices):
        SUPPLY = "supply", _("供电量")
        GENERATION = "generation", _("发电量")
        VERIFIED = "verified", _("核查排放量")
        CLINKER = "clinker_output", _("熟料产量")
        INTENSITY = "intensity", _("单位产品排放强度")

    class EmissionsScope(models.TextChoices):
        DIRECT = "direct", _("直接排放（化石燃料燃烧和工业过程）")
        DIRECT_AND_ELECTRICITY = "direct_and_electricity", _("直接排放与购入电力排放")

    release = models.ForeignKey(ReferenceRelease, on_delete=models.PROTECT, related_name="policies")
    sector = models.CharField(_("行业"), max_length=16, choices=Sector.choices, default=Sector.POWER)
    compliance_year = models.PositiveSmallIntegerField(_("履约年度"))
    emissions_scope = models.CharField(
        _("履约排放口径"), max_length=24, choices=EmissionsScope.choices, default=EmissionsScope.DIRECT
    )
    output_basis = models.CharField(_("分配基础"), max_length=16, choices=OutputBasis.choices)
    deficit_cap_share = models.DecimalField(_("缺口上限比例"), null=True, blank=True, **RATE)
    gas_capped_at_allocation = models.BooleanField(_("燃气机组履约量不超过免费配额"))
    ccer_cap_share = models.DecimalField(_("CCER抵销上限比例"), **RATE)
    ccer_earliest_issue_year = models.PositiveSmallIntegerField(
        _("可用CCER最早签发年份"), null=True, blank=True, help_text=_("空：不限签发年份")
    )
    surrender_deadline = models.DateField(_("清缴截止日期"))
    source_document = models.CharField(_("来源文件"), max_length=200)
    status = models.CharField(_("核实状态"), max_length=16, choices=VerificationStatus.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("履约规则")
        ordering = ["sector", "compliance_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "sector", "compliance_year"], name="policy_per_sector_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sector} {self.compliance_year} ({self.status})"


class AllocationRule(models.Model):
    """How one sector's allowances of one year and stage are set (allocation plan as data)."""

    class Method(models.TextChoices):
        BENCHMARK = "benchmark", _("基准值法（电量/热量 × 基准值 × 修正系数）")
        VERIFIED = "verified_emissions", _("等于当年核查排放量")
        SHARE_OF_PREVIOUS = "share_of_previous", _("上年核查排放量 × 比例（预分配）")
        INTENSITY = "intensity", _("产量 × 单位产品排放强度基准（最终核定）")

    release = models.ForeignKey(ReferenceRelease, on_delete=models.PROTECT, related_name="allocation_rules")
    sector = models.CharField(_("行业"), max_length=16)
    year = models.PositiveSmallIntegerField(_("配额年度"))
    stage = models.CharField(_("阶段"), max_length=8)
    line_category = models.CharField(_("适用类别"), max_length=40, default="all")
    label = models.CharField(_("名称"), max_length=120)
    method = models.CharField(_("方法"), max_length=24, choices=Method.choices)
    share = models.DecimalField(_("比例"), null=True, blank=True, **RATE)
    output_unit = models.CharField(_("产量单位"), max_length=20, blank=True)
    source_document = models.CharField(_("来源文件"), max_length=200)
    status = models.CharField(_("核实状态"), max_length=16, choices=VerificationStatus.choices)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("配额分配规则")
        ordering = ["sector", "year", "stage", "line_category"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "sector", "year", "stage", "line_category"], name="allocation_rule_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sector} {self.year} {self.stage} {self.line_category}"


class GradingBand(models.Model):
    """One band of the carbon-efficiency scheme: a level band of L or a grade band of K."""

    class Kind(models.TextChoices):
        LEVEL = "level", _("碳效水平")
        GRADE = "grade", _("碳效等级")

    release = models.ForeignKey(ReferenceRelease, on_delete=models.PROTECT, related_name="grading_bands")
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices)
    label = models.CharField(_("名称"), max_length=60)
    lower_exclusive = models.DecimalField(_("下限（不含）"), null=True, blank=True, **RATE)
    upper_inclusive = models.DecimalField(_("上限（含）"), null=True, blank=True, **RATE)
    grade = models.PositiveSmallIntegerField(_("等级"), null=True, blank=True)
    colour = models.CharField(_("颜色"), max_length=20, blank=True)
    threshold_status = models.CharField(_("阈值核实状态"), max_length=16, choices=VerificationStatus.choices)
    colour_status = models.CharField(_("颜色核实状态"), max_length=16, choices=VerificationStatus.choices)
    source_document = models.CharField(_("来源文件"), max_length=200)

    class Meta:
        verbose_name = _("碳效分级")
        ordering = ["kind", "lower_exclusive"]
        constraints = [models.UniqueConstraint(fields=["release", "kind", "label"], name="grading_band")]

    def __str__(self) -> str:
        return f"{self.kind} {self.label}"
