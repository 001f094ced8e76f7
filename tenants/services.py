"""Writing services for tenancy: preparing the platform, onboarding enterprises, ending engagements."""

from __future__ import annotations

import datetime
import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_exists

from tenants import template_replay
from tenants.access import live_bank_consents
from tenants.credit_code import normalise
from tenants.models import (
    Bank,
    BankConsent,
    BankConsentRevocation,
    Engagement,
    Enterprise,
    Industry,
    Jurisdiction,
    StewardFirm,
    User,
    Workspace,
    WorkspaceDomain,
)

logger = logging.getLogger("steward.tenants")

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
RESERVED_SLUGS = {"api", "static", "admin", "public", "template", "www"}


def ensure_public_workspace() -> Workspace:
    """The public schema's Workspace row, which subfolder routing needs for non-workspace URLs."""
    workspace, _created = Workspace.objects.get_or_create(schema_name=get_public_schema_name())
    return workspace


def prepare_tenant_template(*, verbosity: int = 0) -> None:
    """Create the template schema if needed and bring it to the latest migrations.

    New enterprises are created from it (its SQL is snapshotted here and replayed), and migrate_schemas never touches it (it has no tenant row), so this
    runs on every setup and deploy; a stale template would give new tenants missing columns.
    """
    template = settings.TENANT_BASE_SCHEMA
    if not schema_exists(template):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{template}"')
    call_command("migrate_schemas", schema_name=template, interactive=False, verbosity=verbosity)
    connection.set_schema_to_public()
    try:
        template_replay.snapshot_template(template)
    except template_replay.TemplateDumpUnavailable as error:  # onboarding will clone instead
        logger.warning("no template snapshot: %s", error)


def schema_name_for(slug: str) -> str:
    return "ent_" + slug.replace("-", "_")


def validate_slug(slug: str) -> None:
    if not SLUG_PATTERN.match(slug) or slug in RESERVED_SLUGS:
        raise ValidationError(
            _("工作区标识应为3至40位小写字母、数字或连字符，以字母开头。"), code="invalid_slug"
        )
    if Enterprise.objects.filter(slug=slug).exists():
        raise ValidationError(_("工作区标识 %(slug)s 已被使用。"), code="slug_taken", params={"slug": slug})


@transaction.atomic
def onboard_enterprise(
    *,
    slug: str,
    name_zh: str,
    credit_code: str,
    jurisdiction: Jurisdiction,
    industry: Industry,
    name_en: str = "",
    address: str = "",
    in_national_carbon_market: bool = False,
    pollutant_permit_key_unit: bool = False,
    carbon_efficiency_evaluated: bool = False,
    admin_user: User | None = None,
) -> Enterprise:
    """Create an enterprise with its own schema, a copy of the template, and optionally its first admin."""
    validate_slug(slug)
    enterprise = Enterprise(
        slug=slug,
        name_zh=name_zh.strip(),
        name_en=name_en.strip(),
        credit_code=normalise(credit_code),
        jurisdiction=jurisdiction,
        industry=industry,
        address=address,
        in_national_carbon_market=in_national_carbon_market,
        pollutant_permit_key_unit=pollutant_permit_key_unit,
        carbon_efficiency_evaluated=carbon_efficiency_evaluated,
    )
    enterprise.full_clean(exclude=["workspace"])
    workspace = Workspace(schema_name=schema_name_for(slug))
    workspace.save(verbosity=0)
    WorkspaceDomain.objects.create(domain=slug, tenant=workspace, is_primary=True)
    enterprise.workspace = workspace
    enterprise.save()
    if admin_user is not None:
        enterprise.memberships.create(user=admin_user, role="enterprise_admin")
    logger.info("enterprise onboarded", extra={"enterprise": slug, "schema": workspace.schema_name})
    return enterprise


def deactivate_user(user: User, *, reason: str, by: User | None = None) -> User:
    """A person leaves: no more sign-in, and every record that names them keeps doing so (users are never
    deleted; tenants/references.py). `by`: the platform administrator, or None from the command line."""
    if not reason.strip():
        raise ValidationError(_("请填写停用原因。"), code="reason_required")
    if by is not None and by.pk == user.pk:
        raise ValidationError(_("不能停用自己的账号。"), code="self")
    user.is_active = False
    user.save(update_fields=["is_active"])
    logger.info(
        "user deactivated",
        extra={"deactivated_user": user.pk, "by": by.pk if by else None, "reason": reason.strip()[:200]},
    )
    return user


def revoke_engagement(*, engagement: Engagement, by: User, reason: str) -> Engagement:
    """End an engagement now. The steward loses access on its next request."""
    if not reason.strip():
        raise ValidationError(_("请填写撤销原因。"), code="reason_required")
    if engagement.status != Engagement.Status.ACTIVE:
        raise ValidationError(_("该服务关系已不在服务中。"), code="not_active")
    engagement.status = Engagement.Status.REVOKED
    engagement.revoked_at = timezone.now()
    engagement.revoked_by = by
    engagement.revocation_reason = reason.strip()[:200]
    engagement.save(update_fields=["status", "revoked_at", "revoked_by", "revocation_reason"])
    logger.info("engagement revoked", extra={"engagement": engagement.pk, "by": by.pk})
    return engagement


def create_engagement(
    *,
    firm: StewardFirm,
    enterprise: Enterprise,
    covers_carbon: bool,
    covers_environmental: bool,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Engagement:
    """Record a service contract. One firm holds at most one active engagement per enterprise."""
    if not (covers_carbon or covers_environmental):
        raise ValidationError(_("请至少选择一项服务范围（碳管家或环保管家）。"), code="no_scope")
    if ends_on < starts_on:
        raise ValidationError(_("结束日期不能早于开始日期。"), code="dates")
    if Engagement.objects.filter(firm=firm, enterprise=enterprise, status=Engagement.Status.ACTIVE).exists():
        raise ValidationError(
            _("%(firm)s 与 %(enterprise)s 已有服务中的服务关系，请先结束或撤销。"),
            code="duplicate",
            params={"firm": firm, "enterprise": enterprise},
        )
    engagement = Engagement.objects.create(
        firm=firm,
        enterprise=enterprise,
        covers_carbon=covers_carbon,
        covers_environmental=covers_environmental,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    logger.info("engagement created", extra={"engagement": engagement.pk, "enterprise": enterprise.slug})
    return engagement


def close_expired_engagements(*, today: datetime.date | None = None) -> int:
    """Mark active engagements whose end date has passed as ended (access already stopped on that date)."""
    day = today or timezone.localdate()
    return Engagement.objects.filter(status=Engagement.Status.ACTIVE, ends_on__lt=day).update(
        status=Engagement.Status.ENDED
    )


SUPERSEDED_REASON = "由新的授权取代"


@transaction.atomic
def grant_bank_consent(
    *,
    enterprise: Enterprise,
    bank: Bank,
    items: set[str] | frozenset[str],
    ends_on: datetime.date,
    by: User,
    purpose: str = "",
    starts_on: datetime.date | None = None,
) -> BankConsent:
    """Record an enterprise's consent that `bank` reads `items` until `ends_on` (inclusive).

    The consent in force for the same bank, if any, is revoked by this act (one live consent per bank); both
    acts are rows that never change (tenants.BankConsent, BankConsentRevocation)."""
    starts_on = starts_on or timezone.localdate()
    unknown = set(items) - set(BankConsent.ITEMS)
    if unknown:
        raise ValidationError(
            _("未知的授权内容：%(items)s") % {"items": "、".join(sorted(unknown))}, code="items"
        )
    if not items:
        raise ValidationError(_("请至少选择一项授权内容。"), code="no_items")
    if ends_on < starts_on:
        raise ValidationError(_("截止日期不能早于生效日期。"), code="dates")
    if ends_on < timezone.localdate():
        raise ValidationError(_("截止日期不能早于今天。"), code="dates")
    for current in (
        live_bank_consents().filter(enterprise=enterprise, bank=bank).select_for_update(of=("self",))
    ):
        BankConsentRevocation.objects.create(consent=current, reason=SUPERSEDED_REASON, revoked_by=by)
    consent = BankConsent.objects.create(
        bank=bank,
        enterprise=enterprise,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=purpose.strip()[:200],
        granted_by=by,
        **{item: item in items for item in BankConsent.ITEMS},
    )
    logger.info("bank consent granted", extra={"consent": consent.pk, "bank": bank.pk, "by": by.pk})
    return consent


@transaction.atomic
def revoke_bank_consent(*, consent: BankConsent, by: User, reason: str) -> BankConsentRevocation:
    """End a consent now: the bank's next request is refused."""
    if not reason.strip():
        raise ValidationError(_("请填写撤销原因。"), code="reason_required")
    consent = BankConsent.objects.select_for_update().get(pk=consent.pk)
    if BankConsentRevocation.objects.filter(consent=consent).exists():
        raise ValidationError(_("该授权已撤销。"), code="already_revoked")
    if consent.ends_on < timezone.localdate():
        raise ValidationError(_("该授权已到期。"), code="ended")
    revocation = BankConsentRevocation.objects.create(
        consent=consent, reason=reason.strip()[:200], revoked_by=by
    )
    logger.info("bank consent revoked", extra={"consent": consent.pk, "by": by.pk})
    return revocation
