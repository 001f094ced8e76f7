"""An enterprise's carbon accounting records (tenant schema).

Submitted numbers are evidence: activity and output records are never edited. A correction is a new row with
the next version number, a reason and its author; the latest version of each (source, month) is current.
Reference rows that may change in place (facilities, sources, meters, lab reports) keep a trigger-based
history (steward/history.py). A calculation run stores its full request and result, the methodology version and the factor-set version it
used, so publishing new factors never changes a past result.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.evidence.models import EvidenceFile
from steward.history import tracked
from tenants.references import user_reference

QUANTITY = {"max_digits": 24, "decimal_places": 8}


@tracked("FacilityHistory")
class Facility(models.Model):
    """A unit that emits: generating unit, boiler, kiln."""

    class Kind(models.TextChoices):
        GENERATING_UNIT = "generating_unit", _("发电机组")
        BOILER = "boiler", _("锅炉")
        KILN = "kiln", _("水泥熟料生产线")
        # Steel: the facility's kind names the process (工序) its carbon-bearing materials belong to.
        SINTERING = "sintering", _("烧结机")
        PELLETIZING = "pelletizing", _("球团设施")
        BLAST_FURNACE = "blast_furnace", _("高炉（炼铁）")
        STEELMAKING_FURNACE = "steelmaking_furnace", _("炼钢炉（转炉、电炉）")
        ROLLING_MILL = "rolling_mill", _("轧钢设施")
        ELECTROLYSIS = "electrolysis", _("电解槽系列（电解铝）")
        FURNACE = "furnace", _("工业炉窑")
        SITE = "site", _("厂界（全厂）")
        OTHER = "other", _("其他设施")

    code = models.CharField(_("设施编号"), max_length=40, unique=True)
    name = models.CharField(_("设施名称"), max_length=120)
    kind = models.CharField(_("设施类型"), max_length=32, choices=Kind.choices)
    capacity_mw = models.DecimalField(
        _("装机容量（MW）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("排放设施")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@tracked("EmissionSourceHistory")
class EmissionSource(models.Model):
    """What emits inside a facility: a fuel burned, a process, purchased electricity or heat."""

    class Kind(models.TextChoices):
        FUEL_COMBUSTION = "fuel_combustion", _("化石燃料燃烧")
        CLINKER_PROCESS = "clinker_process", _("熟料生产过程")
        # The sectors' process sources (steward/carbon/parameter_sets.py): each month's record is a mass.
        ALUMINIUM_ELECTROLYSIS = "aluminium_electrolysis", _("电解铝生产过程（阳极消耗、阳极效应）")
        CARBON_INPUT = "carbon_input", _("含碳物料输入")
        CARBON_OUTPUT = "carbon_output", _("含碳产品输出（固碳）")
        CARBON_WASTE = "carbon_waste", _("含碳废物输出")
        CARBONATE_USE = "carbonate_use", _("碳酸盐使用")
        NITRIC_ACID = "nitric_acid_process", _("硝酸生产过程（N2O）")
        ADIPIC_ACID = "adipic_acid_process", _("己二酸生产过程（N2O）")
        ANAEROBIC_WASTEWATER = "anaerobic_wastewater", _("废水厌氧处理（CH4）")
        PURCHASED_ELECTRICITY = "purchased_electricity", _("净购入电力")
        PURCHASED_HEAT = "purchased_heat", _("净购入热力")

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="sources")
    code = models.CharField(_("排放源编号"), max_length=40, unique=True)
    name = models.CharField(_("排放源名称"), max_length=120)
    kind = models.CharField(_("排放源类别"), max_length=32, choices=Kind.choices)
    fuel_code = models.CharField(_("燃料品种"), max_length=40, blank=True)
    unit = models.CharField(_("活动数据单位"), max_length=20)

    class Meta:
        verbose_name = _("排放源")
        ordering = ["facility__code", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@tracked("MeterHistory")
class Meter(models.Model):
    """A measuring instrument, with the calibration that makes its readings usable."""

    source = models.ForeignKey(EmissionSource, on_delete=models.PROTECT, related_name="meters")
    name = models.CharField(_("计量器具名称"), max_length=120)
    serial_number = models.CharField(_("出厂编号"), max_length=60)
    accuracy_class = models.CharField(_("准确度等级"), max_length=20, blank=True)
    calibrated_on = models.DateField(_("最近检定/校准日期"))
    calibration_due_on = models.DateField(_("下次检定/校准日期"))
    certificate = models.ForeignKey(
        EvidenceFile, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("检定/校准证书")
    )

    class Meta:
        verbose_name = _("计量器具")

    def __str__(self) -> str:
        return f"{self.name} {self.serial_number}"


@tracked("LabReportHistory")
class LabReport(models.Model):
    """A fuel test report from a CMA-qualified or CNAS-accredited laboratory."""

    class Accreditation(models.TextChoices):
        CMA = "CMA", "CMA"
        CNAS = "CNAS", "CNAS"

    lab_name = models.CharField(_("检测机构"), max_length=120)
    accreditation = models.CharField(_("资质类型"), max_length=8, choices=Accreditation.choices)
    accreditation_number = models.CharField(_("资质证书编号"), max_length=40)
    report_number = models.CharField(_("报告编号"), max_length=60, unique=True)
    sampling_start = models.DateField(_("采样开始日期"))
    sampling_end = models.DateField(_("采样结束日期"))
    evidence = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, verbose_name=_("报告文件"))
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("检测报告")
        ordering = ["-sampling_end"]

    def __str__(self) -> str:
        return f"{self.lab_name} {self.report_number}"


class DataSource(models.TextChoices):
    """Where an activity figure comes from, in the guideline's order of preference."""

    PRODUCTION_METERING = "production_metering", _("生产系统计量")
    INVENTORY_LEDGER = "inventory_ledger", _("购销存台账")
    SETTLEMENT_VOUCHER = "settlement_voucher", _("结算凭证")


class MonthlyVersionedRecord(models.Model):
    """A figure for one month that is never edited: version n+1 corrects version n, with a reason and author."""

    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.CharField(_("更正原因"), max_length=300, blank=True)
    entered_by = user_reference()
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class ActivityRecord(MonthlyVersionedRecord):
    """One month's activity figure for one source. Version n+1 corrects version n; none is ever edited."""

    source = models.ForeignKey(EmissionSource, on_delete=models.PROTECT, related_name="records")
    quantity = models.DecimalField(_("活动数据"), **QUANTITY)
    unit = models.CharField(_("单位"), max_length=20)
    data_source = models.CharField(_("数据来源"), max_length=32, choices=DataSource.choices)

    class Meta:
        verbose_name = _("活动数据")
        ordering = ["source__code", "year", "month", "version"]
        constraints = [
            models.UniqueConstraint(fields=["source", "year", "month", "version"], name="activity_version"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="activity_month"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="activity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.year}-{self.month:02d} v{self.version}"


class MeasuredParameter(models.Model):
    """A measured value attached to an activity record (NCV, carbon content, moisture …)."""

    class Name(models.TextChoices):
        NCV = "ncv", _("低位发热量")
        CARBON_CONTENT_AR = "carbon_content_ar", _("收到基元素碳含量")
        CARBON_CONTENT_AD = "carbon_content_ad", _("空干基元素碳含量")
        MOISTURE_AR = "moisture_ar", _("收到基全水分")
        MOISTURE_AD = "moisture_ad", _("空干基水分")
        HYDROGEN_AD = "hydrogen_ad", _("空干基氢含量")
        SULPHUR_AD = "sulphur_ad", _("空干基全硫")
        CARBON_CONTENT_PER_HEAT = "carbon_content_per_heat", _("单位热值含碳量")
        OXIDATION_RATE = "oxidation_rate", _("碳氧化率")
        CLINKER_CAO = "clinker_cao", _("熟料CaO含量")
        CLINKER_MGO = "clinker_mgo", _("熟料MgO含量")
        NONCARBONATE_CAO = "noncarbonate_cao", _("非碳酸盐CaO含量")
        NONCARBONATE_MGO = "noncarbonate_mgo", _("非碳酸盐MgO含量")
        KILN_DUST = "kiln_dust", _("窑头粉尘量")
        BYPASS_DUST = "bypass_dust", _("旁路放风粉尘量")
        RAW_MEAL = "raw_meal", _("生料消耗量")
        RAW_MEAL_CARBON = "raw_meal_carbon", _("生料非燃料碳含量")
        CLINKER_FACILITY_ELECTRICITY = "clinker_facility_electricity", _("其中：熟料生产设施用电量")
        NET_ANODE_CONSUMPTION = "net_anode_consumption", _("阳极净耗")
        ANODE_SULPHUR = "anode_sulphur", _("阳极含硫量")
        ANODE_ASH = "anode_ash", _("阳极灰分")
        CF4_EMISSION_FACTOR = "cf4_emission_factor", _("CF4排放因子")
        C2F6_EMISSION_FACTOR = "c2f6_emission_factor", _("C2F6排放因子")
        CARBON_CONTENT = "carbon_content", _("含碳量")
        CACO3_CONTENT = "caco3_content", _("碳酸钙（CaCO3）含量")
        MGCO3_CONTENT = "mgco3_content", _("碳酸镁（MgCO3）含量")
        DOLOMITE_CONTENT = "dolomite_content", _("白云石（CaMg(CO3)2）含量")
        NA2CO3_CONTENT = "na2co3_content", _("碳酸钠（Na2CO3）含量")
        CALCINATION_FRACTION = "calcination_fraction", _("煅烧比例")
        N2O_FACTOR = "n2o_factor", _("N2O生成因子")
        ABATEMENT_EFFICIENCY = "abatement_efficiency", _("N2O尾气处理去除效率")
        ABATEMENT_USE = "abatement_use", _("N2O尾气处理使用率")
        COD_IN = "cod_in", _("厌氧处理进口COD浓度")
        COD_OUT = "cod_out", _("厌氧处理出口COD浓度")
        SLUDGE_COD = "sludge_cod", _("随污泥去除的COD")
        CH4_RECOVERED = "ch4_recovered", _("甲烷回收量")
        METHANE_CAPACITY = "methane_capacity", _("最大产甲烷能力（B0）")
        METHANE_CORRECTION = "methane_correction", _("甲烷修正因子（MCF）")

    record = models.ForeignKey(ActivityRecord, on_delete=models.PROTECT, related_name="parameters")
    name = models.CharField(_("参数"), max_length=32, choices=Name.choices)
    value = models.DecimalField(_("数值"), **QUANTITY)
    unit = models.CharField(_("单位"), max_length=20)
    lab_report = models.ForeignKey(LabReport, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("实测参数")
        constraints = [models.UniqueConstraint(fields=["record", "name"], name="one_value_per_parameter")]

    def __str__(self) -> str:
        return f"{self.name}={self.value} {self.unit}"


class OutputRecord(MonthlyVersionedRecord):
    """A monthly output figure (electricity supplied, clinker …), versioned like activity records."""

    class Kind(models.TextChoices):
        ELECTRICITY_GENERATED = "electricity_generated", _("发电量")
        ELECTRICITY_SUPPLIED = "electricity_supplied", _("供电量")
        HEAT_SUPPLIED = "heat_supplied", _("供热量")
        CLINKER_OUTPUT = "clinker_output", _("熟料产量")
        RUNNING_HOURS = "running_hours", _("运行小时数")

    kind = models.CharField(_("产出类别"), max_length=32, choices=Kind.choices)
    value = models.DecimalField(_("数值"), **QUANTITY)
    unit = models.CharField(_("单位"), max_length=20)

    class Meta:
        verbose_name = _("产出数据")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "month", "version"], name="output_version"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="output_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}-{self.month:02d} v{self.version}"


class FuelStockRecord(MonthlyVersionedRecord):
    """A fuel's month in the purchase–consumption–inventory ledger (购销存台账): what the mass balance checks.

    Opening stock + receipts − closing stock should match the consumption recorded for the source.
    """

    source = models.ForeignKey(EmissionSource, on_delete=models.PROTECT, related_name="stock_records")
    opening_stock = models.DecimalField(_("期初库存"), **QUANTITY)
    receipts = models.DecimalField(_("本月购入（入厂）"), **QUANTITY)
    closing_stock = models.DecimalField(_("期末库存"), **QUANTITY)
    unit = models.CharField(_("单位"), max_length=20)
    evidence = models.ForeignKey(
        EvidenceFile, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("购销存台账")
    )

    class Meta:
        verbose_name = _("燃料库存数据")
        constraints = [
            models.UniqueConstraint(fields=["source", "year", "month", "version"], name="stock_version"),
            models.CheckConstraint(
                condition=models.Q(opening_stock__gte=0, receipts__gte=0, closing_stock__gte=0),
                name="stock_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.year}-{self.month:02d} v{self.version}"


class ElectricityBill(MonthlyVersionedRecord):
    """The grid's bill (电费结算单) for purchased electricity: the billed amount and the bill itself."""

    source = models.ForeignKey(EmissionSource, on_delete=models.PROTECT, related_name="bills")
    bill_number = models.CharField(_("结算单号"), max_length=60)
    billed_quantity = models.DecimalField(_("结算电量"), **QUANTITY)
    unit = models.CharField(_("单位"), max_length=20)
    evidence = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, verbose_name=_("电费结算单"))

    class Meta:
        verbose_name = _("电网结算单")
        constraints = [
            models.UniqueConstraint(fields=["source", "year", "month", "version"], name="bill_version"),
            models.CheckConstraint(condition=models.Q(billed_quantity__gte=0), name="bill_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.bill_number} {self.year}-{self.month:02d} v{self.version}"


class CalculationRun(models.Model):
    """One computation of a month, pinned to the methodology and factor-set versions it used."""

    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    methodology = models.CharField(_("核算方法"), max_length=40)
    methodology_version = models.CharField(_("方法版本"), max_length=120)
    factor_set_version = models.CharField(_("因子库版本"), max_length=40)
    request = models.JSONField(_("计算输入"))
    result = models.JSONField(_("计算结果"))
    total_tco2 = models.DecimalField(_("排放量（tCO2）"), max_digits=20, decimal_places=2)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    reason = models.CharField(_("重新计算原因"), max_length=300, blank=True)
    computed_by = user_reference()
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("核算结果")
        ordering = ["-year", "-month", "-computed_at"]
        constraints = [
            # One first computation per month, even when two people press the button at once.
            models.UniqueConstraint(
                fields=["year", "month", "supersedes"], nulls_distinct=False, name="one_first_run_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.total_tco2} tCO2 ({self.factor_set_version})"
