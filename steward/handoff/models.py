"""What the national 管理平台 said back: the filer's record of a month's 存证 there (tenant schema).

Append-only: a database trigger refuses UPDATE and DELETE (steward/immutability.py, migration 0002). A wrong
receipt number or date is corrected by a new row that supersedes the current one and states why; the earlier
row stays, so the history of what was recorded, by whom and when is the table itself.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.evidence.models import EvidenceFile
from steward.filing.models import MonthlyFiling
from tenants.references import user_reference


class PlatformSubmission(models.Model):
    """One month's 存证 on the national platform, as recorded by the enterprise (never edited)."""

    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    # The locked version that was handed off, and its seal at the time (a later reopen seals another version).
    filing = models.ForeignKey(MonthlyFiling, on_delete=models.PROTECT, related_name="platform_submissions")
    seal = models.CharField(_("存证哈希"), max_length=64)
    submitted_on = models.DateField(_("平台提交日期"))
    receipt_number = models.CharField(_("平台回执编号"), max_length=60)
    receipt = models.ForeignKey(
        EvidenceFile, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("平台回执文件")
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    correction_reason = models.CharField(_("更正原因"), max_length=300, blank=True)
    recorded_by = user_reference()
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("全国平台存证登记")
        ordering = ["year", "month", "recorded_at", "pk"]
        constraints = [
            # One first record per month, even when two people record at once; later rows are corrections.
            models.UniqueConstraint(
                fields=["year", "month"],
                condition=models.Q(supersedes__isnull=True),
                name="one_first_platform_submission",
            ),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="platform_month"),
            models.CheckConstraint(
                condition=models.Q(supersedes__isnull=True) | ~models.Q(correction_reason=""),
                name="platform_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.receipt_number} ({self.submitted_on})"

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "superseded_by")
