"""Creating, revoking and authenticating API tokens. Only the enterprise administrator manages tokens.

Token format: `cst_<prefix>_<secret>`. The prefix finds the row; the secret is compared by its SHA-256 in
constant time. What a token may do is answered by `tenants.access.token_access`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from steward.integrations.models import ApiToken, TokenPermission
from tenants import access
from tenants.models import User

SCHEME = "Token"
TOKEN_START = "cst_"


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(*, enterprise, name: str, permissions: list[str], by) -> NewToken:
    if not access.can(by, "manage_api_tokens", enterprise):
        raise PermissionDenied("manage_api_tokens")
    name = name.strip()
    if not name:
        raise ValidationError({"name": ValidationError("请填写令牌名称。", code="required")})
    unknown = sorted(set(permissions) - set(TokenPermission.values))
    if unknown or not permissions:
        raise ValidationError(
            {"permissions": ValidationError("请选择有效的权限。", code="invalid_permission")}
        )
    if TokenPermission.SUBMIT_FILING in permissions and TokenPermission.WRITE_ACTIVITY not in permissions:
        raise ValidationError(
            {
                "permissions": ValidationError(
                    "提交存证的令牌须同时具有写入活动数据权限。", code="submit_needs_write"
                )
            }
        )
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    user = User(username=f"api-token-{prefix}", display_name=f"API令牌：{name[:60]}", is_active=True)
    user.set_unusable_password()
    user.save()
    token = ApiToken.objects.create(
        enterprise=enterprise,
        name=name[:80],
        prefix=prefix,
        secret_sha256=_digest(secret),
        permissions=sorted(set(permissions)),
        user=user,
        created_by=by,
    )
    return NewToken(token=token, secret=f"{TOKEN_START}{prefix}_{secret}")


@transaction.atomic
def revoke_token(*, token: ApiToken, by) -> ApiToken:
    if not access.can(by, "manage_api_tokens", token.enterprise):
        raise PermissionDenied("manage_api_tokens")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), by
        token.save(update_fields=["revoked_at", "revoked_by"])
        User.objects.filter(pk=token.user_id).update(is_active=False)
    return token


def token_from_header(header: str) -> ApiToken | None:
    """The live token named by an `Authorization: Token cst_…` header, or None.

    One query brings what the request needs next: the token's user, its enterprise (with the district and
    industry the workspace pages show) and whether its creator is still a live administrator there
    (`creator_is_admin`, read by `tenants.access.token_access`), so an API request costs one lookup, not four.
    """
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme != SCHEME or not value.startswith(TOKEN_START):
        return None
    prefix, _, secret = value[len(TOKEN_START) :].partition("_")
    found = (
        ApiToken.objects.select_related("user", "enterprise__jurisdiction", "enterprise__industry")
        .annotate(creator_is_admin=access.token_creator_is_admin())
        .filter(prefix=prefix, revoked_at__isnull=True)
        .order_by()[:1]  # the prefix is unique: no sort
    )
    token = next(iter(found), None)
    if token is None or not constant_time_compare(token.secret_sha256, _digest(secret)):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most one write a minute
        token.last_used_at = now
    return token
