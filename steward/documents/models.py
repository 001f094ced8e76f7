"""Issued documents (tenant schema): every PDF or spreadsheet the platform hands out as a copy of record.

A row records what was issued, by whom and when, with the SHA-256 and size of the exact bytes, stored once
under EVIDENCE_ROOT/<schema>/reports/. Rows are append-only (a database trigger refuses UPDATE and DELETE):
a changed document is a new version of the same kind and subject.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.references import user_reference


class IssuedDocument(models.Model):
    # Kinds are registered in steward.documents.copy_of_record (label and who may read them), not fixed choices, so a
    # new document type needs no migration here.
    kind = models.CharField(_("文件类别"), max_length=40)
    subject = models.CharField(_("对象"), max_length=120)
    version = models.PositiveIntegerField(_("版本"))
    filename = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size_bytes = models.PositiveBigIntegerField(_("大小（字节）"))
    generator = models.CharField(_("生成程序"), max_length=80)
    tenant_schema = models.CharField(max_length=63, editable=False)
    issued_by = user_reference()
    issued_at = models.DateTimeField(_("出具时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("出具文件")
        ordering = ["kind", "subject", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject", "version"], name="issued_document_version")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} v{self.version}"

    @property
    def storage_key(self) -> str:
        return f"{self.tenant_schema}/reports/{self.sha256[:2]}/{self.sha256}"
