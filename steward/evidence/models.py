"""Evidence metadata lives in the enterprise's schema; the bytes live under EVIDENCE_ROOT/<schema>/."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.references import user_reference


class EvidenceFile(models.Model):
    """One uploaded file, identified by its SHA-256. Never edited: a corrected document is a new file."""

    class Kind(models.TextChoices):
        LAB_REPORT = "lab_report", _("检测报告")
        INVOICE = "invoice", _("结算凭证/发票")
        METER_CERTIFICATE = "meter_certificate", _("计量器具检定/校准证书")
        PRODUCTION_RECORD = "production_record", _("生产记录/台账")
        MONITORING_REPORT = "monitoring_report", _("监测报告")
        OTHER = "other", _("其他")

    class Scope(models.TextChoices):
        """Which engagement scope a file belongs to: a steward sees it only with a matching scope."""

        CARBON = "carbon", _("碳排放核算")
        ENVIRONMENTAL = "environmental", _("环境（排污许可）")
        BOTH = "both", _("碳排放与环境")

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    tenant_schema = models.CharField(max_length=63, editable=False)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size_bytes = models.PositiveBigIntegerField(_("大小（字节）"))
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices, default=Kind.OTHER)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    scope = models.CharField(_("所属范围"), max_length=16, choices=Scope.choices, default=Scope.BOTH)
    uploaded_by = user_reference()
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证据文件")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def scopes(self) -> frozenset[str]:
        """The engagement scopes this file belongs to ("both" is carbon and environmental)."""
        if self.scope == self.Scope.BOTH:
            return frozenset({self.Scope.CARBON.value, self.Scope.ENVIRONMENTAL.value})
        return frozenset({self.scope})

    @property
    def storage_key(self) -> str:
        return f"{self.tenant_schema}/evidence/{self.sha256[:2]}/{self.sha256}"

    @property
    def integrity_ok(self) -> bool | None:
        """Outcome of the latest integrity check, None before the first one."""
        latest = self.integrity_checks.order_by("-checked_at", "-pk").first()
        return None if latest is None else latest.ok


class EvidenceIntegrityCheck(models.Model):
    """Append-only log of re-hashing a stored file and comparing it with the hash taken at upload."""

    evidence = models.ForeignKey(EvidenceFile, on_delete=models.PROTECT, related_name="integrity_checks")
    checked_at = models.DateTimeField(_("校验时间"), auto_now_add=True)
    ok = models.BooleanField(_("一致"))

    class Meta:
        verbose_name = _("完整性校验")

    def __str__(self) -> str:
        return f"{self.evidence_id} {'ok' if self.ok else 'mismatch'} {self.checked_at:%Y-%m-%d}"
