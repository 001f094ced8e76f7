"""The city register of enterprises and the bulk feeds about them (public schema, shared by the bureau).

The register is one table, never one schema per enterprise: every 规上 industrial enterprise of the city with its
credit code, district and industry, and a link to its workspace where it files here. Feeds (the grid company's
monthly electricity, gas and other energy, the statistics bureau's output value and value added) arrive as
files; each confirmed file is a `FeedBatch` (its SHA-256 is unique, so importing a file twice is one batch; the
bytes are kept under EVIDENCE_ROOT/public/register-feeds/). Rows are never edited: a corrected file for the same
period is a new batch, and the figures read the newest batch's row of each enterprise, month and carrier.

`EnergyRecord` and `OutputRecord` are loaded set-wise by `steward.register.importer` (COPY into a staging table,
then INSERT … SELECT joined to the register), so their foreign keys carry no per-row database trigger
(`db_constraint=False`): every row is inserted by that one statement from a join on the register and the batch,
and neither registered enterprises nor batches are ever deleted (PROTECT, and no delete path exists).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.credit_code import validate_credit_code
from tenants.models import Enterprise, Industry, Jurisdiction

QUANTITY = {"max_digits": 24, "decimal_places": 8}
MONEY = {"max_digits": 20, "decimal_places": 4, "null": True, "blank": True}


class RegisteredEnterprise(models.Model):
    """One enterprise of the city register (名录)."""

    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField(_("企业名称"), max_length=120)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属区域")
    )
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属行业")
    )
    is_above_scale = models.BooleanField(_("规模以上工业企业"), default=True)
    enterprise = models.OneToOneField(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="register_entry",
        verbose_name=_("本平台工作区"),
    )
    added_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("名录企业")
        ordering = ["credit_code"]
        indexes = [
            models.Index(fields=["jurisdiction", "industry"], name="register_area_industry"),
            # the bureau's register page and API list entries in this order, 50 at a time at any offset
            models.Index(fields=["jurisdiction", "name", "id"], name="register_district_name"),
            # the few entries that file here (the page's 已开通工作区 count under any filter reads these only)
            models.Index(
                fields=["jurisdiction", "industry"],
                name="register_with_workspace",
                condition=models.Q(enterprise__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FeedBatch(models.Model):
    """One confirmed feed file: its source, period, hash, stored copy, row counts, who and when."""

    class Kind(models.TextChoices):
        GRID_ELECTRICITY = "grid_electricity", _("电网企业月度用电量")
        GAS = "gas", _("燃气企业用气量")
        OTHER_ENERGY = "other_energy", _("其他能源消费量")
        STATISTICS_OUTPUT = "statistics_output", _("统计局工业总产值与增加值")

    kind = models.CharField(_("数据来源"), max_length=24, choices=Kind.choices)
    source = models.CharField(_("报送单位"), max_length=120)
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"), null=True, blank=True, help_text=_("为空表示全年"))
    sha256 = models.CharField(_("文件SHA-256"), max_length=64, unique=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("文件大小"))
    stored_path = models.CharField(_("存储位置"), max_length=300)
    rows_loaded = models.PositiveIntegerField(_("导入行数"), default=0)
    enterprises = models.PositiveIntegerField(_("涉及企业数"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("导入人")
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    seconds = models.DecimalField(_("导入耗时（秒）"), max_digits=10, decimal_places=3, null=True, blank=True)

    class Meta:
        verbose_name = _("数据导入批次")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.period_label}"

    @property
    def period_label(self) -> str:
        return f"{self.year}年" if self.month is None else f"{self.year}年{self.month}月"


class EnergyRecord(models.Model):
    """One enterprise's consumption of one energy carrier in one month, in the carrier's canonical unit."""

    registered = models.ForeignKey(
        RegisteredEnterprise, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    carrier = models.CharField(_("能源品种"), max_length=24)
    quantity = models.DecimalField(_("数量"), **QUANTITY)
    unit = models.CharField(_("单位"), max_length=16)
    batch = models.ForeignKey(FeedBatch, on_delete=models.PROTECT, db_constraint=False, related_name="+")
    sheet_row = models.PositiveIntegerField(_("文件行号"))

    class Meta:
        verbose_name = _("能源消费记录")
        # A BRIN index: a feed's rows arrive grouped by enterprise, so block ranges are narrow, and maintaining it
        # costs almost nothing on a 3.6 M row INSERT (a B-tree added about a quarter to the load).
        indexes = [BrinIndex(fields=["registered"], name="energy_enterprise_brin")]

    def __str__(self) -> str:
        return f"{self.registered_id} {self.year}-{self.month:02d} {self.carrier}"


class OutputRecord(models.Model):
    """The statistics bureau's industrial output value and value added of one enterprise's month (万元)."""

    registered = models.ForeignKey(
        RegisteredEnterprise, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    output_value = models.DecimalField(_("工业总产值（万元）"), **MONEY)
    value_added = models.DecimalField(_("工业增加值（万元）"), **MONEY)
    batch = models.ForeignKey(FeedBatch, on_delete=models.PROTECT, db_constraint=False, related_name="+")
    sheet_row = models.PositiveIntegerField(_("文件行号"))

    class Meta:
        verbose_name = _("产值记录")
        indexes = [models.Index(fields=["year", "registered", "month"], name="output_year_enterprise")]

    def __str__(self) -> str:
        return f"{self.registered_id} {self.year}-{self.month:02d}"


class GradingRun(models.Model):
    """One computation of the 碳效码 of every register enterprise for one year (`steward.register.grading`).

    Append-only (a database trigger refuses UPDATE and DELETE): a feed that lands is a new run, never an edit of
    an old one, so every grade an enterprise was ever given stays readable. The run names what it read: the
    year's feed batches (all of them up to `last_batch`: batches are never edited and the newest one wins per
    enterprise, month and carrier, so that set fixes the input), the reference release whose bands it applied
    and the factor library version of the 速算."""

    year = models.PositiveSmallIntegerField(_("年份"))
    trigger = models.ForeignKey(
        FeedBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("触发批次"),
    )
    batch_ids = ArrayField(models.PositiveIntegerField(), default=list, verbose_name=_("依据批次"))
    reference_release = models.ForeignKey(
        "compliance_reference.ReferenceRelease",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("分级标准版本"),
    )
    factor_version = models.CharField(_("因子库版本"), max_length=40)
    enterprises = models.PositiveIntegerField(_("名录企业数"), default=0)
    graded = models.PositiveIntegerField(_("已评价企业数"), default=0)
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    seconds = models.DecimalField(_("计算耗时（秒）"), max_digits=10, decimal_places=3)

    class Meta:
        verbose_name = _("碳效评价批次")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["year", "-id"], name="grading_run_year")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.year}"


class RegisterGrade(models.Model):
    """The 碳效码 of one register enterprise for one year, as one grading run computed it (append-only).

    L = 速算 CO2 ÷ 工业增加值 over the months both feeds cover (no zero-carbon own generation is fed, so none is
    deducted); the industry average L = Σ CO2 ÷ Σ value added of the register's graded enterprises of the same
    industry and year; K = L ÷ that average; the level band of L and the grade band of K come from the
    reference release's grading table. An enterprise that cannot be graded keeps a row with its reason."""

    class Status(models.TextChoices):
        GRADED = "graded", _("已评价")
        NO_ENERGY = "no_energy", _("无能源消费数据")
        NO_VALUE_ADDED = "no_value_added", _("无工业增加值数据")
        NO_INDUSTRY_AVERAGE = "no_industry_average", _("行业平均值为零，无法评价")

    # The run's constraint stays (one referenced row per run); the register and industry keys carry no database
    # trigger (`db_constraint=False`, as the feed records): every row comes from the one INSERT … SELECT over
    # the register in `grading.regrade`, and register entries and industries are never deleted (PROTECT, no
    # delete path). The single-column indexes are left out: the unique (run, registered) and the history
    # (registered, year, run) indexes lead with those columns. 50,000 rows insert in half the time.
    run = models.ForeignKey(GradingRun, on_delete=models.PROTECT, related_name="grades", db_index=False)
    registered = models.ForeignKey(
        RegisteredEnterprise,
        on_delete=models.PROTECT,
        related_name="grades",
        verbose_name=_("名录企业"),
        db_constraint=False,
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    industry = models.ForeignKey(
        Industry,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("对标行业"),
        db_constraint=False,
        db_index=False,
    )
    # The enterprise's district as the run read the register (from migration 0007; older runs' rows have none):
    # the register page's figures per district and its grade filter read the run's rows alone, no join with
    # the register's 50,000 rows.
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("所属区域"),
        db_constraint=False,
        db_index=False,
    )
    status = models.CharField(_("评价状态"), max_length=24, choices=Status.choices)
    months = models.PositiveSmallIntegerField(_("计入月份数"), default=0)
    emissions_t = models.DecimalField(_("速算排放量（tCO2）"), max_digits=24, decimal_places=4, null=True)
    value_added_10k = models.DecimalField(_("工业增加值（万元）"), max_digits=20, decimal_places=4, null=True)
    l_value = models.DecimalField(_("单位增加值碳排放 L"), max_digits=30, decimal_places=12, null=True)
    industry_average_l = models.DecimalField(_("行业平均值"), max_digits=30, decimal_places=12, null=True)
    k_value = models.DecimalField(_("碳效值 K"), max_digits=30, decimal_places=12, null=True)
    level_label = models.CharField(_("碳效水平"), max_length=60, blank=True)
    grade = models.PositiveSmallIntegerField(_("碳效等级"), null=True)
    grade_label = models.CharField(_("等级名称"), max_length=60, blank=True)
    colour = models.CharField(_("颜色"), max_length=20, blank=True)
    energy_batch_ids = ArrayField(models.PositiveIntegerField(), default=list, verbose_name=_("能源数据批次"))
    output_batch_ids = ArrayField(models.PositiveIntegerField(), default=list, verbose_name=_("产值数据批次"))
    # The run's reading of the whole year, every month with energy and every month with value added (not only
    # the paired ones): what `selectors.totals` sums live from the feeds, so the bureau's 速算 by district and
    # industry is one GROUP BY over the newest run while that run read every batch with today's factors.
    all_months_tco2 = models.DecimalField(
        _("速算排放量（全部月份，tCO2）"), max_digits=30, decimal_places=8, null=True
    )
    all_months_value_added_10k = models.DecimalField(
        _("工业增加值（全部月份，万元）"), max_digits=20, decimal_places=4, null=True
    )

    class Meta:
        verbose_name = _("名录企业碳效码")
        indexes = [
            models.Index(fields=["registered", "year", "-run"], name="register_grade_history"),
            models.Index(fields=["run", "grade"], name="register_grade_run"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["run", "registered"], name="register_grade_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.registered_id} {self.year} {self.grade}"


class GradeTally(models.Model):
    """A grading run's rows counted and summed per district, industry and grade (or, ungraded, status): what the
    register page reads (`selectors.run_figures`), a few hundred rows instead of the run's 50,000. Written with
    the run's rows (`grading.regrade`, one GROUP BY over them) and append-only like them; sums of exact decimals,
    so any district or industry the page asks for adds up to what summing the rows gives."""

    run = models.ForeignKey(GradingRun, on_delete=models.PROTECT, related_name="tallies", db_index=False)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    grade = models.PositiveSmallIntegerField(_("碳效等级"), null=True)
    status = models.CharField(_("评价状态"), max_length=24, choices=RegisterGrade.Status.choices)
    enterprises = models.PositiveIntegerField(_("企业数"))
    with_energy = models.PositiveIntegerField(_("有能源数据的企业数"))
    tco2 = models.DecimalField(_("速算排放量（全部月份，tCO2）"), max_digits=30, decimal_places=8)
    value_added_10k = models.DecimalField(
        _("工业增加值（全部月份，万元）"), max_digits=24, decimal_places=4, null=True
    )

    class Meta:
        verbose_name = _("碳效评价汇总")
        indexes = [models.Index(fields=["run"], name="register_tally_run")]

    def __str__(self) -> str:
        return f"{self.run_id} {self.jurisdiction_id} {self.industry_id} {self.grade or self.status}"
