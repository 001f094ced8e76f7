"""API tokens and webhooks (public schema, each row bound to one enterprise).

A token's secret is stored only as its SHA-256 (it is 256 random bits, so a slow hash adds nothing); the
secret is shown once at creation. Each token acts as its own service user, so every record it writes names
the token as its author. A webhook endpoint's signing secret must be readable to sign, so it is stored as is
and shown once; the delivery log keeps every attempt.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Enterprise


class TokenPermission(models.TextChoices):
    READ_ACTIVITY = "read_activity", _("读取活动数据和核算结果")
    WRITE_ACTIVITY = "write_activity", _("写入活动数据（新增或更正）")
    UPLOAD_EVIDENCE = "upload_evidence", _("上传证据文件")
    READ_FILINGS = "read_filings", _("读取月度存证")
    SUBMIT_FILING = "submit_filing", _("提交月度存证（不含审核）")


class ApiToken(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=80)
    prefix = models.CharField(_("前缀"), max_length=12, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    permissions = models.JSONField(_("权限"), default=list)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_token")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("API 令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class WebhookEndpoint(models.Model):
    class Event(models.TextChoices):
        FILING_SUBMITTED = "filing.submitted", _("存证已提交")
        FILING_RETURNED = "filing.returned", _("存证被退回")
        FILING_LOCKED = "filing.locked", _("存证已锁定")
        FILING_REOPENED = "filing.reopened", _("存证已重开")
        ANNUAL_REPORT_SUBMITTED = "annual_report.submitted", _("年度报告已签署报送")
        ANNUAL_REPORT_ACCEPTED = "annual_report.accepted", _("年度报告已被主管部门接收")
        ANNUAL_REPORT_RETURNED = "annual_report.returned", _("年度报告被主管部门退回")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="webhooks")
    url = models.URLField(_("接收地址"), max_length=400)
    secret = models.CharField(max_length=64)
    events = models.JSONField(_("事件"), default=list)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Webhook 接收地址")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("已放弃")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event = models.CharField(_("事件"), max_length=40)
    body = models.TextField(_("内容"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("最近状态码"), null=True, blank=True)
    next_retry_at = models.DateTimeField(_("下次重试"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("Webhook 投递")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id} {self.status}"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField(_("时间"), auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(_("状态码"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        ordering = ["attempted_at"]

    def __str__(self) -> str:
        return f"{self.attempted_at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"
