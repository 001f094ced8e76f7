"""Who is who, in the public schema: workspaces, enterprises, jurisdictions, steward firms, bureaus, people.

Every enterprise has its own PostgreSQL schema (its Workspace). People are global; what a person may do in a
workspace is decided on every request from the live rows below by `tenants.access`.
"""

from __future__ import annotations

import datetime
import logging

import pgtrigger
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.credit_code import validate_credit_code

logger = logging.getLogger("steward.tenants")


class User(AbstractUser):
    """A person with one login, whatever enterprises, firms or bureaus they belong to."""

    display_name = models.CharField(_("姓名"), max_length=80, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    is_platform_admin = models.BooleanField(
        _("平台管理员"), default=False, help_text=_("可开通企业工作区和维护服务关系，但不因此看到企业数据。")
    )

    class Meta(AbstractUser.Meta):
        # Records in every enterprise schema name their user without a database constraint
        # (tenants/references.py), so a deleted user would leave them dangling. People leave: deactivate them.
        triggers = [pgtrigger.Protect(name="users_are_never_deleted", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return self.display_name or self.username


class Workspace(TenantMixin):
    """One PostgreSQL schema. The public schema has a Workspace row too (django-tenants needs it)."""

    created_on = models.DateTimeField(auto_now_add=True)
    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        verbose_name = _("工作区")

    def __str__(self) -> str:
        return self.schema_name

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """Replay the template's stored SQL (tenants/template_replay.py); clone only when pg_dump is missing."""
        from django.conf import settings
        from django_tenants.utils import schema_exists

        from tenants import template_replay
        from tenants.schema_sync import align_constraint_names

        template = settings.TENANT_BASE_SCHEMA
        if not (sync_schema and template and settings.TENANT_CREATION_FAKES_MIGRATIONS):
            return super().create_schema(check_if_exists, sync_schema, verbosity)
        if check_if_exists and schema_exists(self.schema_name):
            return False
        if not schema_exists(template):
            return super().create_schema(check_if_exists, sync_schema, verbosity)
        try:
            template_replay.replay_template(self.schema_name, template)
        except template_replay.TemplateDumpUnavailable as error:
            logger.warning("template replay unavailable, cloning instead: %s", error)
            super().create_schema(check_if_exists, sync_schema, verbosity)
            align_constraint_names(self.schema_name, template)
        return True


class TemplateSnapshot(models.Model):
    """The tenant template's SQL for one migration state, replayed to create enterprise schemas."""

    fingerprint = models.CharField(_("迁移指纹"), max_length=64, unique=True)
    template = models.CharField(_("模板模式"), max_length=63)
    sql = models.TextField(_("SQL"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("模板快照")

    def __str__(self) -> str:
        return f"{self.template} {self.fingerprint[:12]}"


class WorkspaceDomain(DomainMixin):
    """With subfolder routing the 'domain' is the URL slug: /e/<domain>/."""

    class Meta:
        verbose_name = _("工作区路径")


class Jurisdiction(models.Model):
    """Huzhou city and its districts, counties and functional zones, as a tree."""

    class Kind(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("区")
        COUNTY = "county", _("县")
        FUNCTIONAL_ZONE = "functional_zone", _("功能区")

    code = models.CharField(_("代码"), max_length=12, primary_key=True)
    name_zh = models.CharField(_("名称"), max_length=80)
    name_en = models.CharField(_("英文名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    status = models.CharField(_("核实状态"), max_length=20, default="to_verify")

    class Meta:
        verbose_name = _("行政区域")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_zh

    def subtree_codes(self) -> set[str]:
        """This jurisdiction and every jurisdiction below it (the tree is shallow: city → district)."""
        codes = {self.code}
        frontier = [self.code]
        while frontier:
            children = list(
                Jurisdiction.objects.filter(parent_id__in=frontier).values_list("code", flat=True)
            )
            frontier = [code for code in children if code not in codes]
            codes.update(frontier)
        return codes


class Industry(models.Model):
    """A GB/T 4754-2017 industry class (国民经济行业分类)."""

    code = models.CharField(
        _("行业代码"),
        max_length=5,
        primary_key=True,
        validators=[RegexValidator(r"^[A-T]?\d{2,4}$", _("行业代码应为 GB/T 4754 的2至4位数字代码。"))],
    )
    name_zh = models.CharField(_("行业名称"), max_length=80)
    name_en = models.CharField(_("英文名称"), max_length=120, blank=True)
    status = models.CharField(_("核实状态"), max_length=20, default="to_verify")

    class Meta:
        verbose_name = _("行业")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class Enterprise(models.Model):
    """A key enterprise (重点企业): the tenant users file for."""

    workspace = models.OneToOneField(Workspace, on_delete=models.PROTECT, related_name="enterprise")
    slug = models.SlugField(_("工作区标识"), max_length=40, unique=True)
    name_zh = models.CharField(_("企业名称"), max_length=120)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, verbose_name=_("所属区域"))
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, verbose_name=_("所属行业"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    in_national_carbon_market = models.BooleanField(_("全国碳市场重点排放单位"), default=False)
    pollutant_permit_key_unit = models.BooleanField(_("排污许可重点管理单位"), default=False)
    carbon_efficiency_evaluated = models.BooleanField(_("参与工业碳效评价"), default=False)
    created_at = models.DateTimeField(_("开通时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("企业")
        ordering = ["name_zh"]

    def __str__(self) -> str:
        return self.name_zh

    @property
    def schema_name(self) -> str:
        return self.workspace.schema_name

    def regime_labels(self) -> list[str]:
        labels = []
        for field in (
            "in_national_carbon_market",
            "pollutant_permit_key_unit",
            "carbon_efficiency_evaluated",
        ):
            if getattr(self, field):
                labels.append(self._meta.get_field(field).verbose_name)
        return labels


class EnterpriseMembership(models.Model):
    """A person's role inside one enterprise. One row per role; ended by `ends_on` or `revoked_at`."""

    class Role(models.TextChoices):
        ADMIN = "enterprise_admin", _("企业管理员")
        FILER = "enterprise_filer", _("企业填报员（EHS）")
        SIGNATORY = "enterprise_signatory", _("企业签字人")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enterprise_memberships")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    starts_on = models.DateField(_("生效日期"), default=datetime.date.today)
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("企业成员")
        constraints = [
            models.UniqueConstraint(fields=["user", "enterprise", "role"], name="unique_enterprise_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.enterprise} · {self.role}"


class StewardFirm(models.Model):
    """A third-party service firm (第三方服务机构) that serves many enterprises."""

    name_zh = models.CharField(_("机构名称"), max_length=120)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )

    class Meta:
        verbose_name = _("服务机构")
        ordering = ["name_zh"]

    def __str__(self) -> str:
        return self.name_zh


class StewardMembership(models.Model):
    class Role(models.TextChoices):
        REVIEWER = "steward_reviewer", _("管家审核员")
        MANAGER = "steward_manager", _("管家项目经理")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="steward_memberships")
    firm = models.ForeignKey(StewardFirm, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("机构成员")
        constraints = [models.UniqueConstraint(fields=["user", "firm", "role"], name="unique_firm_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.firm} · {self.role}"


class Engagement(models.Model):
    """A service contract between a steward firm and an enterprise, with a scope and an end date."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("服务中")
        ENDED = "ended", _("已结束")
        REVOKED = "revoked", _("已撤销")

    firm = models.ForeignKey(StewardFirm, on_delete=models.PROTECT, related_name="engagements")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="engagements")
    covers_carbon = models.BooleanField(_("碳管家服务"), default=True)
    covers_environmental = models.BooleanField(_("环保管家服务"), default=False)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revocation_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("服务关系")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="engagement_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(covers_carbon=True) | models.Q(covers_environmental=True),
                name="engagement_has_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.firm} → {self.enterprise}"

    def is_live(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.ACTIVE and self.starts_on <= today <= self.ends_on

    def days_left(self) -> int:
        return (self.ends_on - timezone.localdate()).days

    def scope_labels(self) -> list[str]:
        labels = []
        if self.covers_carbon:
            labels.append(_("碳管家"))
        if self.covers_environmental:
            labels.append(_("环保管家"))
        return labels


class Bureau(models.Model):
    """An ecology and environment bureau (生态环境局 or 分局) bound to one jurisdiction."""

    name_zh = models.CharField(_("名称"), max_length=120)
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="bureaus")

    class Meta:
        verbose_name = _("生态环境部门")
        ordering = ["jurisdiction_id"]

    def __str__(self) -> str:
        return self.name_zh


class BureauMembership(models.Model):
    class Role(models.TextChoices):
        VIEWER = "bureau_viewer", _("监管查看员")
        INSPECTOR = "bureau_inspector", _("监管检查员")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bureau_memberships")
    bureau = models.ForeignKey(Bureau, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("监管人员")
        constraints = [models.UniqueConstraint(fields=["user", "bureau", "role"], name="unique_bureau_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.bureau} · {self.role}"


class DeadlinePolicy(models.Model):
    """How many days after month end the monthly filing is due, per jurisdiction (national when blank).

    A district may set a shorter internal window than the city or the national rule; the most specific
    policy up the jurisdiction tree applies.
    """

    jurisdiction = models.OneToOneField(
        Jurisdiction, null=True, blank=True, on_delete=models.CASCADE, related_name="deadline_policy"
    )
    monthly_filing_days = models.PositiveSmallIntegerField(_("月度存证期限（月结束后天数）"))
    basis = models.CharField(_("依据"), max_length=200)

    class Meta:
        verbose_name = _("填报期限规则")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction"], nulls_distinct=False, name="one_deadline_policy_per_jurisdiction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction or '全国'}: {self.monthly_filing_days}"


class Notification(models.Model):
    """An inbox entry for one person: a reminder, an escalation or a task waiting for them (Chinese text).

    `enterprise` is the workspace the notice is about; it is empty for a register enterprise that has no
    workspace (a carbon-budget warning to the bureau, steward/budget/notices.py)."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("截止提醒")
        OVERDUE = "overdue", _("逾期升级")
        TASK = "task", _("待办")
        NOTICE = "notice", _("通知")
        WARNING = "warning", _("预警")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    link = models.CharField(_("链接"), max_length=200)
    dedupe_key = models.CharField(max_length=120)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="one_notification_per_event")
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """How one person wants to be told, beyond the inbox (which always gets every notice)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        SMS = "sms", _("短信")
        ZZD = "zzd", _("浙政钉")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="notification_preference")
    email = models.BooleanField(_("电子邮件"), default=True)
    sms = models.BooleanField(_("短信"), default=False)
    zzd = models.BooleanField(_("浙政钉"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("通知偏好")

    def __str__(self) -> str:
        return f"{self.user}: {', '.join(c for c in self.Channel.values if getattr(self, c))}"


class NotificationDelivery(models.Model):
    """One attempt to carry one inbox entry to one channel: kept whether it went out or failed, so nothing is
    lost silently and a failed delivery is retried (tenants.tasks.retry_failed_deliveries)."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=8, choices=NotificationPreference.Channel.choices)
    address = models.CharField(_("地址"), max_length=254)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("通知发送")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="one_delivery_per_channel")
        ]

    def __str__(self) -> str:
        return (
            f"{self.notification_id} → {self.channel} ({'sent' if self.sent_at else self.error or 'waiting'})"
        )


class QueuedTask(models.Model):
    """A background task the broker could not take (Redis down), kept until the relay re-sends it.

    Enqueueing happens after the commit of the state change it follows, so a broker outage never undoes or
    fails that change; `tenants.relay_queued_tasks` (Celery beat, every minute) sends these rows once
    the broker is back. Tasks are idempotent, so one sent twice is harmless.
    """

    name = models.CharField(_("任务"), max_length=120)
    kwargs = models.JSONField(_("参数"), default=dict)
    error = models.CharField(_("最近错误"), max_length=300, blank=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待发送任务")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.kwargs} ({'sent' if self.sent_at else 'waiting'})"


class Bank(models.Model):
    """A bank (银行) that prices carbon-performance credit (碳效贷) on what enterprises consent to show it."""

    name_zh = models.CharField(_("银行名称"), max_length=120)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )

    class Meta:
        verbose_name = _("银行")
        ordering = ["name_zh"]

    def __str__(self) -> str:
        return self.name_zh


class BankMembership(models.Model):
    """A bank's credit officer. A bank user holds no role inside any workspace: it reads only the consented
    items of consenting enterprises, through the bank portal (tenants.access.bank_grant)."""

    class Role(models.TextChoices):
        OFFICER = "bank_officer", _("银行授信人员")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bank_memberships")
    bank = models.ForeignKey(Bank, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.OFFICER)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("银行人员")
        constraints = [models.UniqueConstraint(fields=["user", "bank", "role"], name="unique_bank_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.bank} · {self.role}"


class BankConsent(models.Model):
    """An enterprise's consent that one bank reads some of its figures until an end date (append-only).

    The grant is a row that never changes; revoking it is a `BankConsentRevocation` row, and a new grant to the
    same bank revokes the one in force (so at most one is live). Live: not revoked, started, not ended.
    """

    ITEMS = ("grade", "emissions", "intensity", "seal_status")

    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="consents")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="bank_consents")
    grade = models.BooleanField(_("碳效码等级"), default=False)
    emissions = models.BooleanField(_("年度排放量"), default=False)
    intensity = models.BooleanField(_("排放强度趋势"), default=False)
    seal_status = models.BooleanField(_("存证状态"), default=False)
    starts_on = models.DateField(_("生效日期"))
    ends_on = models.DateField(_("截止日期"))
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    granted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("银行授权")
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="bank_consent_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(grade=True)
                | models.Q(emissions=True)
                | models.Q(intensity=True)
                | models.Q(seal_status=True),
                name="bank_consent_has_scope",
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="bank_consents_append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} → {self.bank}"

    @property
    def items(self) -> frozenset[str]:
        return frozenset(item for item in self.ITEMS if getattr(self, item))

    def item_labels(self) -> list[str]:
        return [self._meta.get_field(item).verbose_name for item in self.ITEMS if getattr(self, item)]


class BankConsentRevocation(models.Model):
    """The act that ends a consent before its end date (append-only; one per consent)."""

    consent = models.OneToOneField(BankConsent, on_delete=models.PROTECT, related_name="revocation")
    reason = models.CharField(_("撤销原因"), max_length=200)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("撤销时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("银行授权撤销")
        triggers = [
            pgtrigger.Protect(
                name="bank_consent_revocations_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.consent_id} revoked"
