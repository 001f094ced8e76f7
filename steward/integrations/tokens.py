"""Creating, revoking and authenticating API tokens. Only the enterprise administrator manages tokens.

Token format: `cst_<prefix>_<secret>`. The prefix finds the row; the secret is compared by its SHA-256 in
constant time. What a token may do is answered by `tenants.access.token_access`.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from steward.integrations.models import ApiToken, TokenPermission
from tenants import access
from tenants.models import Enterprise, Industry, Jurisdiction, User

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


# The token lookup runs on every API request. Its SQL is the ORM's (the joins, and the creator's live admin role
# from `tenants.access.token_creator_is_admin`), compiled once per process with stand-in values that each request
# replaces: compiling the query cost more than running it (1.7 ms against 1.2 ms a request, bench/api_load.py).
_PREFIX_STAND_IN = "\x00prefix"
_DAY_STAND_IN = datetime.date(1900, 1, 2)
_ROWS = (  # (model, path from the token, the attribute it is set on) in the order of the select
    (ApiToken, ""),
    (User, "user"),
    (Enterprise, "enterprise"),
    (Jurisdiction, "enterprise__jurisdiction"),
    (Industry, "enterprise__industry"),
)


@functools.cache
def _token_query() -> tuple[str, tuple, list[tuple[type[models.Model], list]]]:
    columns, layout = [], []
    for model, path in _ROWS:
        fields = list(model._meta.concrete_fields)
        columns += [f"{path}__{field.attname}" if path else field.attname for field in fields]
        layout.append((model, fields))
    query = (
        ApiToken.objects.annotate(creator_is_admin=access.token_creator_is_admin(today=_DAY_STAND_IN))
        .filter(prefix=_PREFIX_STAND_IN, revoked_at__isnull=True)
        .order_by()
        .values_list(*columns, "creator_is_admin")[:1]
    )
    sql, params = query.query.sql_with_params()
    assert params.count(_PREFIX_STAND_IN) == 1 and _DAY_STAND_IN in params, params
    return sql, params, layout


def _find_token(prefix: str, today: datetime.date) -> ApiToken | None:
    sql, params, layout = _token_query()
    stand_ins = {_PREFIX_STAND_IN: prefix, _DAY_STAND_IN: today}
    with connection.cursor() as cursor:
        cursor.execute(sql, [stand_ins.get(value, value) for value in params])
        row = cursor.fetchone()
    if row is None:
        return None
    instances, at = [], 0
    for model, fields in layout:
        values = [
            field.from_db_value(value, None, connection) if hasattr(field, "from_db_value") else value
            for field, value in zip(fields, row[at : at + len(fields)], strict=True)
        ]
        instances.append(model.from_db(connection.alias, [field.attname for field in fields], values))
        at += len(fields)
    token, user, enterprise, jurisdiction, industry = instances
    enterprise.jurisdiction, enterprise.industry = jurisdiction, industry
    token.user, token.enterprise = user, enterprise
    token.creator_is_admin = row[at]
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
    token = _find_token(prefix, timezone.localdate())
    if token is None or not constant_time_compare(token.secret_sha256, _digest(secret)):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most one write a minute
        token.last_used_at = now
    return token
