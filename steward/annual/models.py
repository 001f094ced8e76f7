"""The annual report (tenant schema): one row per version, its timeline and its signatures.

The compiled content (`payload`, canonical JSON of the year's figures) and its hash never change after
compilation (a trigger refuses it); the row's workflow state does. A correction is a new version with a
reason, and the old version becomes "superseded" but stays readable. Events and signatures are append-only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.timeline import TimelineEvent
from tenants.references import user_reference


class ReportStatus(models.TextChoices):
    COMPILED = "compiled", _("已汇编")
    IN_REVIEW = "in_review", _("质量审核中")
    AWAITING_SIGNATURE = "awaiting_signature", _("待签署")
    SUBMITTED = "submitted", _("已报送主管部门")
    ACCEPTED = "accepted", _("主管部门已接收")
    RETURNED = "returned", _("已退回")
    SUPERSEDED = "superseded", _("已被新版本取代")


class AnnualReport(models.Model):
    year = models.PositiveSmallIntegerField(_("年份"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(
        _("状态"), max_length=24, choices=ReportStatus.choices, default=ReportStatus.COMPILED
    )
    deadline = models.DateField(_("报送截止日期"))
    deadline_basis = models.CharField(_("截止日期依据"), max_length=200)
    payload = models.JSONField(_("报告内容"))
    payload_sha256 = models.CharField(_("内容哈希"), max_length=64)
    total_tco2 = models.DecimalField(_("年度排放量（tCO2）"), max_digits=20, decimal_places=2)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.CharField(_("更正原因"), max_length=300, blank=True)
    compiled_by = user_reference()
    compiled_at = models.DateTimeField(_("汇编时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("主管部门处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度排放报告")
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="annual_report_version")]

    def __str__(self) -> str:
        return f"{self.year} v{self.version} {self.status}"

    @property
    def document_subject(self) -> str:
        """The copy-of-record subject of this version's PDF (reports.IssuedDocument.subject)."""
        return f"{self.year}-v{self.version}"


class ReportEvent(TimelineEvent):
    """The timeline of an annual report (append-only)."""

    record_field = "report"

    class Action(models.TextChoices):
        COMPILED = "compiled", _("汇编")
        SENT_FOR_REVIEW = "sent_for_review", _("提交质量审核")
        REVIEW_APPROVED = "review_approved", _("质量审核通过，出具报告")
        REVIEW_RETURNED = "review_returned", _("质量审核退回")
        SIGNED = "signed", _("签署并报送")
        ACCEPTED = "accepted", _("主管部门接收")
        BUREAU_RETURNED = "bureau_returned", _("主管部门退回")
        CORRECTED = "corrected", _("更正（新版本）")

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("动作"), max_length=24, choices=Action.choices)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("年度报告记录")

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"


class ReportSignature(models.Model):
    """A signatory's attestation, bound to the SHA-256 of the PDF they were shown (append-only)."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="signatures")
    document = models.ForeignKey("reports.IssuedDocument", on_delete=models.PROTECT, related_name="+")
    document_sha256 = models.CharField(_("签署文件哈希"), max_length=64)
    signer = user_reference()
    statement = models.CharField(_("声明"), max_length=500)
    signed_at = models.DateTimeField(_("签署时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("电子签署")
        ordering = ["signed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.signer_id} {self.document_sha256[:12]}"
