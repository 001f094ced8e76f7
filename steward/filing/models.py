"""A month's filing and what happens to it (tenant schema).

The filing row and its findings change in place (state, acknowledgement, waiver): database triggers keep
their full history (steward/history.py). The filing row carries the workflow state; the regulated content it covers is the versioned carbon records,
sealed on lock: the seal is a SHA-256 over the month's data, evidence hashes and result, chained to the
previous seal of the enterprise. Events and review comments are append-only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.history import tracked
from steward.quality.text import render
from steward.timeline import TimelineEvent
from tenants.references import user_reference


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("已退回")
    LOCKED = "locked", _("已锁定存证")


@tracked("MonthlyFilingHistory")
class MonthlyFiling(models.Model):
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(
        _("状态"), max_length=16, choices=FilingStatus.choices, default=FilingStatus.DRAFT
    )
    rule_pack_version = models.CharField(_("规则包版本"), max_length=40, blank=True)
    deadline = models.DateField(_("截止日期"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # SHA-256 of the month's content as submitted; approval refuses if the content differs (steward/carbon/freeze.py)
    submitted_digest = models.CharField(_("提交时内容摘要"), max_length=64, blank=True)
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    sealed_payload = models.JSONField(_("存证内容"), null=True, blank=True)
    seal = models.CharField(_("存证哈希"), max_length=64, blank=True)
    previous_seal = models.CharField(_("前序哈希"), max_length=64, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    reopen_reason = models.CharField(_("重开原因"), max_length=300, blank=True)
    reopen_requested_by = user_reference(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("月度存证")
        ordering = ["-year", "-month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month", "version"], name="filing_version"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="filing_month"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} v{self.version} {self.status}"


@tracked("FilingFindingHistory")
class FilingFinding(models.Model):
    """A rule pack finding recorded on a filing, with its acknowledgement or waiver."""

    filing = models.ForeignKey(MonthlyFiling, on_delete=models.CASCADE, related_name="findings")
    rule_id = models.CharField(_("规则"), max_length=20)
    severity = models.CharField(_("级别"), max_length=16)
    category = models.CharField(_("类别"), max_length=32)
    item = models.CharField(_("对象"), max_length=60)
    message = models.CharField(_("说明"), max_length=400)  # the Chinese sentence, as the record keeps it
    clause = models.CharField(_("依据"), max_length=200)
    # The message's catalogue entry and values (steward/quality/text.py), rendered in the reader's language.
    text = models.JSONField(_("说明（可翻译）"), default=dict, blank=True)
    acknowledgement = models.CharField(_("确认说明"), max_length=400, blank=True)
    acknowledged_by = user_reference(null=True)
    waiver_reason = models.CharField(_("豁免理由"), max_length=400, blank=True)
    waived_by = user_reference(null=True)
    # The filer's request that the reviewer waive a blocking finding they cannot fix, with their reason.
    waiver_requested_reason = models.CharField(_("豁免申请理由"), max_length=400, blank=True)
    waiver_requested_by = user_reference(null=True)

    class Meta:
        verbose_name = _("检查发现")
        ordering = ["severity", "rule_id", "item"]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.item}"

    @property
    def display_message(self) -> str:
        """The message in the reader's language (the stored Chinese sentence when nothing else was kept)."""
        return render(self.text, self.message)

    @property
    def display_clause(self) -> str:
        return render({"id": self.clause, "params": {}})

    @property
    def open(self) -> bool:
        """Still stopping submission: a blocking finding not waived, or a warning neither acknowledged nor waived."""
        if self.waiver_reason:
            return False
        if self.severity == "blocking":
            return True
        return self.severity == "warning" and not self.acknowledgement


class FilingEvent(TimelineEvent):
    """The timeline: who did what to a filing, when and why (append-only)."""

    record_field = "filing"

    class Action(models.TextChoices):
        OPENED = "opened", _("创建")
        CHECKED = "checked", _("自动检查")
        ACKNOWLEDGED = "acknowledged", _("确认警告")
        SUBMITTED = "submitted", _("提交")
        RETURNED = "returned", _("退回")
        WAIVED = "waived", _("豁免")
        WAIVER_REQUESTED = "waiver_requested", _("申请豁免")
        APPROVED = "approved", _("审核通过并锁定")
        REOPEN_REQUESTED = "reopen_requested", _("申请重开")
        REOPENED = "reopened", _("批准重开（新版本）")

    filing = models.ForeignKey(MonthlyFiling, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("动作"), max_length=24, choices=Action.choices)

    class Meta(TimelineEvent.Meta):
        verbose_name = _("存证记录")

    def __str__(self) -> str:
        return f"{self.filing_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class ReviewComment(models.Model):
    """A reviewer's comment on one item of a filing when returning it (append-only)."""

    filing = models.ForeignKey(MonthlyFiling, on_delete=models.PROTECT, related_name="comments")
    item = models.CharField(_("对象"), max_length=60)
    text = models.CharField(_("意见"), max_length=500)
    author = user_reference()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("审核意见")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.item}: {self.text[:30]}"
