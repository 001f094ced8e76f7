"""The factor library (public schema): immutable, versioned factor sets, each row citing its source.

A new publication is a new FactorSet with its own rows; existing sets never change, so a calculation pinned
to a set version can always be reproduced.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

FACTOR = {"max_digits": 16, "decimal_places": 8, "null": True, "blank": True}


class VerificationStatus(models.TextChoices):
    VERIFIED = "verified", _("已核实")
    TO_VERIFY = "to_verify", _("待核实")


class FactorSet(models.Model):
    version = models.CharField(_("版本"), max_length=40, unique=True)
    content_sha256 = models.CharField(_("内容哈希"), max_length=64, unique=True)
    published_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("因子库版本")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.version

    @classmethod
    def current(cls) -> FactorSet:
        latest = cls.objects.first()
        if latest is None:
            raise cls.DoesNotExist("no factor set published: run `manage.py load_factor_library`")
        return latest


class FuelFactor(models.Model):
    """Default properties of one fuel in one table (Chinese guidelines or IPCC 2006)."""

    factor_set = models.ForeignKey(FactorSet, on_delete=models.PROTECT, related_name="fuel_factors")
    row_id = models.CharField(_("条目编号"), max_length=60)
    table = models.CharField(_("来源表"), max_length=40)
    fuel_code = models.CharField(_("燃料代码"), max_length=40)
    name = models.CharField(_("燃料名称"), max_length=80)
    unit = models.CharField(_("活动数据单位"), max_length=20)
    ncv_gj_per_unit = models.DecimalField(_("低位发热量（GJ/单位）"), **FACTOR)
    carbon_content_tc_per_gj = models.DecimalField(_("单位热值含碳量（tC/GJ）"), **FACTOR)
    oxidation_rate = models.DecimalField(_("碳氧化率"), **FACTOR)
    source_document = models.CharField(_("来源文件"), max_length=200)
    status = models.CharField(_("核实状态"), max_length=16, choices=VerificationStatus.choices)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("燃料缺省值")
        constraints = [models.UniqueConstraint(fields=["factor_set", "row_id"], name="fuel_factor_row")]

    def __str__(self) -> str:
        return self.row_id


class GridFactor(models.Model):
    """An electricity CO2 emission factor for one regime, region and data year."""

    factor_set = models.ForeignKey(FactorSet, on_delete=models.PROTECT, related_name="grid_factors")
    row_id = models.CharField(_("条目编号"), max_length=80)
    regime = models.CharField(_("适用体系"), max_length=20)
    scope = models.CharField(_("范围"), max_length=20)
    region = models.CharField(_("区域"), max_length=60)
    data_year = models.PositiveSmallIntegerField(_("数据年份"))
    basis = models.CharField(_("口径"), max_length=40)
    value_tco2_per_mwh = models.DecimalField(_("排放因子（tCO2/MWh）"), max_digits=10, decimal_places=4)
    source_document = models.CharField(_("来源文件"), max_length=200)
    status = models.CharField(_("核实状态"), max_length=16, choices=VerificationStatus.choices)

    class Meta:
        verbose_name = _("电网排放因子")
        constraints = [models.UniqueConstraint(fields=["factor_set", "row_id"], name="grid_factor_row")]

    def __str__(self) -> str:
        return self.row_id
