"""Import batches (tenant schema): who imported which file when, and which records it created.

A batch is recorded only when the user confirms a clean dry run. The file's SHA-256 is unique, so the same
file imported twice is one batch; the file itself is kept as evidence. `UploadBatch` is what every importer's
batch records (the activity template here, the CEMS import in `steward.pollution.models.MonitoringImport`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.carbon.models import ActivityRecord
from steward.evidence.models import EvidenceFile
from tenants.references import user_reference


class UploadBatch(models.Model):
    """One confirmed upload of any importer: the file (hash, name, size, kept as evidence), who, when."""

    sha256 = models.CharField(_("文件SHA-256"), max_length=64, unique=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("文件大小"))
    evidence = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, verbose_name=_("原始文件"))
    imported_by = user_reference()
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-imported_at"]


class ImportBatch(UploadBatch):
    template_version = models.CharField(_("模板版本"), max_length=20)
    year = models.PositiveSmallIntegerField(_("年份"))
    months = models.CharField(_("月份"), max_length=40)
    rows_read = models.PositiveIntegerField(_("读取行数"), default=0)
    rows_created = models.PositiveIntegerField(_("新增"), default=0)
    rows_corrected = models.PositiveIntegerField(_("更正"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    rows_skipped = models.PositiveIntegerField(_("空行跳过"), default=0)

    class Meta(UploadBatch.Meta):
        verbose_name = _("导入批次")

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    @property
    def reason(self) -> str:
        return f"导入批次 #{self.pk}"


class ImportedRecord(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", _("新增")
        CORRECTED = "corrected", _("更正")

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="records")
    record = models.OneToOneField(ActivityRecord, on_delete=models.PROTECT, related_name="import_link")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    sheet_row = models.PositiveIntegerField(_("表格行号"))

    class Meta:
        verbose_name = _("导入记录")
        ordering = ["batch", "sheet_row"]

    def __str__(self) -> str:
        return f"#{self.batch_id} row {self.sheet_row} {self.action}"
