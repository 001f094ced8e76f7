"""The one place that answers "may this person do this here?".

Views, the API, templates and background tasks all call `can()` (or `workspace_access()` once per request).
Answers come from live rows on every call (memberships, engagements with their dates, bureau jurisdictions);
nothing is cached across requests, so an ended engagement stops working on the next request.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from tenants.models import (
    BankConsent,
    BankMembership,
    BureauMembership,
    Engagement,
    Enterprise,
    EnterpriseMembership,
    Jurisdiction,
    StewardMembership,
    User,
)


class Role(StrEnum):
    ENTERPRISE_ADMIN = EnterpriseMembership.Role.ADMIN.value
    ENTERPRISE_FILER = EnterpriseMembership.Role.FILER.value
    ENTERPRISE_SIGNATORY = EnterpriseMembership.Role.SIGNATORY.value
    STEWARD_REVIEWER = StewardMembership.Role.REVIEWER.value
    STEWARD_MANAGER = StewardMembership.Role.MANAGER.value
    BUREAU_VIEWER = BureauMembership.Role.VIEWER.value
    BUREAU_INSPECTOR = BureauMembership.Role.INSPECTOR.value
    # A bank's credit officer holds no workspace role: it reads consented items through the bank portal only.
    BANK_OFFICER = BankMembership.Role.OFFICER.value
    PLATFORM_ADMIN = "platform_admin"


ENTERPRISE_ROLES = frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_FILER, Role.ENTERPRISE_SIGNATORY})
STEWARD_ROLES = frozenset({Role.STEWARD_REVIEWER, Role.STEWARD_MANAGER})
BUREAU_ROLES = frozenset({Role.BUREAU_VIEWER, Role.BUREAU_INSPECTOR})
WORKSPACE_ROLES = ENTERPRISE_ROLES | STEWARD_ROLES | BUREAU_ROLES
BANK_ROLES = frozenset({Role.BANK_OFFICER})  # never in a workspace: see bank_grant()

# Which roles may take each action inside an enterprise's workspace. The bureau reads, it never edits.
WORKSPACE_ACTIONS: dict[str, frozenset[Role]] = {
    "view_workspace": WORKSPACE_ROLES,
    "view_profile": WORKSPACE_ROLES,
    "edit_profile": frozenset({Role.ENTERPRISE_ADMIN}),
    "view_members": frozenset({Role.ENTERPRISE_ADMIN}),
    "view_engagements": frozenset({Role.ENTERPRISE_ADMIN}) | STEWARD_ROLES,
    "revoke_engagement": frozenset({Role.ENTERPRISE_ADMIN}),
    "upload_evidence": frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_FILER}),
    # Bureau users see evidence once it is part of a submitted filing (monthly filing workflow), not drafts.
    "view_evidence": ENTERPRISE_ROLES | STEWARD_ROLES,
    "review_carbon": STEWARD_ROLES,
    "review_environmental": STEWARD_ROLES,
    "view_carbon": ENTERPRISE_ROLES | STEWARD_ROLES,
    # The bureau sees filings once submitted (in review or locked), never drafts or returned ones.
    "view_submitted_filings": ENTERPRISE_ROLES | STEWARD_ROLES | BUREAU_ROLES,
    "manage_sources": frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_FILER}),
    "enter_activity_data": frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_FILER}),
    "compute_emissions": frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_FILER}) | STEWARD_ROLES,
    "sign_report": frozenset({Role.ENTERPRISE_SIGNATORY}),
    "spot_check": frozenset({Role.BUREAU_INSPECTOR}),
    # Compliance position and carbon-efficiency grade: read by all three, figures entered by the enterprise.
    "view_compliance": ENTERPRISE_ROLES | STEWARD_ROLES | BUREAU_ROLES,
    "manage_compliance": frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_FILER}),
    "issue_compliance_documents": ENTERPRISE_ROLES | STEWARD_ROLES,
    # The bureau accepts or returns a submitted annual report; it never edits the enterprise's data.
    "decide_annual_report": frozenset({Role.BUREAU_INSPECTOR}),
    "view_access_log": frozenset({Role.ENTERPRISE_ADMIN}),
    # Consents to banks (碳效贷): the enterprise administrator grants and revokes them.
    "manage_bank_consents": frozenset({Role.ENTERPRISE_ADMIN}),
    "submit_filing": frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_FILER}),
    "manage_api_tokens": frozenset({Role.ENTERPRISE_ADMIN}),
    "manage_webhooks": frozenset({Role.ENTERPRISE_ADMIN}),
    # Environmental steward (排污许可): enterprise roles; stewards with environmental scope; the bureau reads.
    "view_pollution": ENTERPRISE_ROLES | STEWARD_ROLES | BUREAU_ROLES,
    "manage_permit": frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_FILER}) | STEWARD_ROLES,
    "import_monitoring": frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_FILER}) | STEWARD_ROLES,
    "file_execution_report": frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_FILER}),
    "view_fused_inventory": ENTERPRISE_ROLES | STEWARD_ROLES | BUREAU_ROLES,
    # 企业碳预算 (steward/budget): read by all three; the enterprise's administrator requests an adjustment.
    "view_budget": ENTERPRISE_ROLES | STEWARD_ROLES | BUREAU_ROLES,
    "request_budget_adjustment": frozenset({Role.ENTERPRISE_ADMIN}),
}
# Actions a steward may take only when a live engagement covers the matching scope.
SCOPED_ACTIONS = {
    "review_carbon": "carbon",
    "review_environmental": "environmental",
    "view_carbon": "carbon",
    "view_submitted_filings": "carbon",
    "compute_emissions": "carbon",
    "view_compliance": "carbon",
    "issue_compliance_documents": "carbon",
    "view_pollution": "environmental",
    "manage_permit": "environmental",
    "import_monitoring": "environmental",
    # Either scope suffices: the fused inventory is both regimes side by side.
    "view_fused_inventory": frozenset({"carbon", "environmental"}),
    "view_budget": "carbon",
}

PLATFORM_ACTIONS: dict[str, frozenset[Role]] = {
    "onboard_enterprise": frozenset({Role.PLATFORM_ADMIN}),
    "manage_engagements": frozenset({Role.PLATFORM_ADMIN}),
    "view_all_enterprises": frozenset({Role.PLATFORM_ADMIN}),
    "manage_users": frozenset({Role.PLATFORM_ADMIN}),
    # the city register's bulk feeds (grid, gas, statistics): imported by the platform operator, read by bureaus
    "import_register_feeds": frozenset({Role.PLATFORM_ADMIN}),
    # the database trigger history as recorded (field names, raw values, user ids); others read it in words
    "view_raw_history": frozenset({Role.PLATFORM_ADMIN}),
}


@dataclass(frozen=True)
class WorkspaceAccess:
    """What one person holds in one enterprise right now."""

    enterprise: Enterprise
    roles: frozenset[Role] = frozenset()
    steward_scopes: frozenset[str] = frozenset()
    engagement_ids: tuple[int, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.roles)

    @property
    def is_read_only(self) -> bool:
        """Only oversight roles: the bureau reads, it never edits."""
        return bool(self.roles) and self.roles <= BUREAU_ROLES

    def allows(self, action: str) -> bool:
        allowed = WORKSPACE_ACTIONS.get(action)
        if allowed is None:
            raise KeyError(f"unknown workspace action {action!r}")
        granting = self.roles & allowed
        if not granting:
            return False
        scope = SCOPED_ACTIONS.get(action)
        if scope is None or granting - STEWARD_ROLES:
            return True  # an enterprise role grants it whatever any engagement covers
        scopes = {scope} if isinstance(scope, str) else scope
        return bool(scopes & self.steward_scopes)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def live_engagements(*, today: datetime.date | None = None):
    day = _today(today)
    return Engagement.objects.filter(status=Engagement.Status.ACTIVE, starts_on__lte=day, ends_on__gte=day)


def _live_enterprise_memberships(user: User | int, day: datetime.date):
    return EnterpriseMembership.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day), user=user, revoked_at__isnull=True, starts_on__lte=day
    )


def _bureau_jurisdiction_codes(user: User) -> dict[str, set[str]]:
    """role → codes of every jurisdiction the user's bureaus cover (a city covers its districts)."""
    covered: dict[str, set[str]] = {}
    memberships = BureauMembership.objects.filter(user=user, revoked_at__isnull=True).select_related(
        "bureau__jurisdiction"
    )
    for membership in memberships:
        covered.setdefault(membership.role, set()).update(membership.bureau.jurisdiction.subtree_codes())
    return covered


def workspace_access(
    user: User | None, enterprise: Enterprise, *, today: datetime.date | None = None
) -> WorkspaceAccess:
    """Everything `user` may be inside `enterprise` today. Anonymous or inactive users hold nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return WorkspaceAccess(enterprise=enterprise)
    return _grants(user, [enterprise], _today(today))[0]


def _grants(user: User, enterprises: list[Enterprise], day: datetime.date) -> list[WorkspaceAccess]:
    """What `user` holds in each of `enterprises` on `day`, read in four queries however many there are (the
    workspace switcher of a steward with many clients or a city bureau builds one per enterprise)."""
    ids = [enterprise.pk for enterprise in enterprises]
    roles: dict[int, set[Role]] = {pk: set() for pk in ids}
    for enterprise_id, role in (
        _live_enterprise_memberships(user, day)
        .filter(enterprise_id__in=ids)
        .values_list("enterprise_id", "role")
    ):
        roles[enterprise_id].add(Role(role))
    scopes: dict[int, set[str]] = {pk: set() for pk in ids}
    engagement_ids: dict[int, list[int]] = {pk: [] for pk in ids}
    firm_roles = dict(
        StewardMembership.objects.filter(user=user, revoked_at__isnull=True).values_list("firm_id", "role")
    )
    if firm_roles:
        engagements = live_engagements(today=day).filter(enterprise_id__in=ids, firm_id__in=firm_roles)
        for engagement in engagements:
            roles[engagement.enterprise_id].add(Role(firm_roles[engagement.firm_id]))
            engagement_ids[engagement.enterprise_id].append(engagement.pk)
            if engagement.covers_carbon:
                scopes[engagement.enterprise_id].add("carbon")
            if engagement.covers_environmental:
                scopes[engagement.enterprise_id].add("environmental")
    for role, codes in _bureau_jurisdiction_codes(user).items():
        for enterprise in enterprises:
            if enterprise.jurisdiction_id in codes:
                roles[enterprise.pk].add(Role(role))
    return [
        WorkspaceAccess(
            enterprise=enterprise,
            roles=frozenset(roles[enterprise.pk]),
            steward_scopes=frozenset(scopes[enterprise.pk]),
            engagement_ids=tuple(engagement_ids[enterprise.pk]),
        )
        for enterprise in enterprises
    ]


def platform_roles(user: User | None) -> frozenset[Role]:
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset({Role.PLATFORM_ADMIN}) if user.is_platform_admin else frozenset()


def can(user: User | None, action: str, enterprise: Enterprise | None = None, **kwargs) -> bool:
    """May `user` take `action` (in `enterprise`, for workspace actions and acts) right now?"""
    if action in PLATFORM_ACTIONS:
        return bool(platform_roles(user) & PLATFORM_ACTIONS[action])
    if action in PERSON_ACTS:
        return bool(user and user.is_authenticated and user.is_active) and PERSON_ACTS[action](user)
    if enterprise is None:
        raise ValueError(f"workspace action {action!r} needs an enterprise")
    grant = workspace_access(user, enterprise, **kwargs)
    return may_act(grant, action) if action in ACTS else grant.allows(action)


def accessible_enterprises(
    user: User | None, *, today: datetime.date | None = None, include_bureau: bool = True
) -> list[WorkspaceAccess]:
    """Every workspace the user can open now, with the roles held there (for the home page and switcher).

    `include_bureau=False` leaves out enterprises seen only through a bureau's jurisdiction (a city bureau
    oversees hundreds; its own pages list them).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    day = _today(today)
    ids: set[int] = set(_live_enterprise_memberships(user, day).values_list("enterprise_id", flat=True))
    firm_ids = StewardMembership.objects.filter(user=user, revoked_at__isnull=True).values_list("firm_id")
    ids.update(
        live_engagements(today=day).filter(firm_id__in=firm_ids).values_list("enterprise_id", flat=True)
    )
    covered: set[str] = set().union(*_bureau_jurisdiction_codes(user).values()) if include_bureau else set()
    if covered:
        ids.update(Enterprise.objects.filter(jurisdiction_id__in=covered).values_list("pk", flat=True))
    enterprises = Enterprise.objects.filter(pk__in=ids).select_related(
        "jurisdiction", "industry", "workspace"
    )
    return _grants(user, list(enterprises), day)


def bureau_jurisdictions(user: User | None) -> list[Jurisdiction]:
    """The jurisdictions a bureau user oversees (their bureaus' own, not the subtree)."""
    if user is None or not user.is_authenticated:
        return []
    return [
        membership.bureau.jurisdiction
        for membership in BureauMembership.objects.filter(user=user, revoked_at__isnull=True).select_related(
            "bureau__jurisdiction"
        )
    ]


def require_workspace_action(action: str):
    """View decorator: 403 unless the request's live workspace access allows `action`."""
    from functools import wraps

    from django.core.exceptions import PermissionDenied

    if action not in WORKSPACE_ACTIONS:
        raise KeyError(f"unknown workspace action {action!r}")

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            grant = getattr(request, "workspace_access", None)
            if grant is None or not grant.allows(action):
                raise PermissionDenied(action)
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def require_platform_action(action: str):
    """View decorator for public-schema operator pages."""
    from functools import wraps

    from django.core.exceptions import PermissionDenied

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not can(request.user, action):
                raise PermissionDenied(action)
            return view(request, *args, **kwargs)

        return guarded

    return decorate


# What each API token permission lets a machine client do (never review, approve or manage).
TOKEN_PERMISSION_ACTIONS: dict[str, frozenset[str]] = {
    "read_activity": frozenset({"view_workspace", "view_carbon"}),
    "write_activity": frozenset({"view_workspace", "enter_activity_data"}),
    "upload_evidence": frozenset({"view_workspace", "upload_evidence", "view_evidence"}),
    "read_filings": frozenset({"view_workspace", "view_submitted_filings"}),
    "submit_filing": frozenset({"view_workspace", "submit_filing"}),
}


@dataclass(frozen=True)
class TokenAccess(WorkspaceAccess):
    """A token acts as a filer limited to its permissions, and only while its creator is still the
    enterprise's administrator (a revoked admin's tokens stop working on the next request)."""

    actions: frozenset[str] = frozenset()

    def allows(self, action: str) -> bool:
        return action in self.actions and super().allows(action)


def token_creator_is_admin(*, today: datetime.date | None = None) -> Exists:
    """For a query of ApiToken: is the token's creator a live, active administrator of the token's enterprise
    today (the condition `token_access` applies), evaluated in the same query."""
    return Exists(
        _live_enterprise_memberships(OuterRef("created_by_id"), _today(today)).filter(
            enterprise=OuterRef("enterprise_id"), role=Role.ENTERPRISE_ADMIN, user__is_active=True
        )
    )


def token_access(token, enterprise: Enterprise) -> WorkspaceAccess:
    """What an API token may do in `enterprise` now: nothing outside its own enterprise or once revoked."""
    if token.revoked_at is not None or token.enterprise_id != enterprise.pk:
        return WorkspaceAccess(enterprise=enterprise)
    is_admin = getattr(token, "creator_is_admin", None)  # annotated by the query that found the token
    if is_admin is None:
        is_admin = (
            token.created_by_id is not None
            and _live_enterprise_memberships(token.created_by_id, _today(None))
            .filter(enterprise=enterprise, role=Role.ENTERPRISE_ADMIN, user__is_active=True)
            .exists()
        )
    if not is_admin:  # a token lives only while the administrator who made it still is one (one query)
        return WorkspaceAccess(enterprise=enterprise)
    actions = frozenset().union(*(TOKEN_PERMISSION_ACTIONS.get(p, frozenset()) for p in token.permissions))
    return TokenAccess(enterprise=enterprise, roles=frozenset({Role.ENTERPRISE_FILER}), actions=actions)


def engaged_steward_else_admin(scope: str) -> Callable[[WorkspaceAccess], bool]:
    """The rule for every review: the steward whose live engagement covers `scope` reviews; while no live
    engagement covers it, the enterprise administrator does."""
    review_action = f"review_{scope}"

    def may(grant: WorkspaceAccess) -> bool:
        if grant.allows(review_action):
            return True
        if Role.ENTERPRISE_ADMIN not in grant.roles:
            return False
        covering = live_engagements().filter(enterprise=grant.enterprise, **{f"covers_{scope}": True})
        return not covering.exists()

    may.__doc__ = f"the engaged {scope} steward, otherwise the enterprise administrator"
    return may


def holds(action: str) -> Callable[[WorkspaceAccess], bool]:
    """An act open to the roles of one WORKSPACE_ACTIONS entry."""
    if action not in WORKSPACE_ACTIONS:
        raise KeyError(f"unknown workspace action {action!r}")

    def may(grant: WorkspaceAccess) -> bool:
        return grant.allows(action)

    may.__doc__ = f"the roles of {action!r}"
    return may


# The acts people ask about ("who may approve a filing?"): one line each. Workflows (workflows/*.py) attach
# them to their transitions; views, API and tasks reach them through the workflows or `may_act`.
ACTS: dict[str, Callable[[WorkspaceAccess], bool]] = {
    # monthly filing
    "prepare_filing": holds("enter_activity_data"),  # open, re-check, submit, acknowledge, request reopen
    "approve_filing": engaged_steward_else_admin("carbon"),
    "return_filing": engaged_steward_else_admin("carbon"),
    "waive_finding": engaged_steward_else_admin("carbon"),
    "approve_reopen": engaged_steward_else_admin("carbon"),
    # annual report
    "compile_annual_report": holds("enter_activity_data"),
    "review_annual_report": engaged_steward_else_admin("carbon"),
    "sign_annual_report": holds("sign_report"),
    "decide_annual_report": holds("decide_annual_report"),
    # permit execution report
    "file_execution_report": holds("file_execution_report"),
    "review_execution_report": engaged_steward_else_admin("environmental"),
    # national platform hand-off: the enterprise's filer or admin records what the platform answered
    "record_platform_submission": holds("submit_filing"),
}


def may_act(grant: WorkspaceAccess, act: str) -> bool:
    """May the holder of `grant` take `act` (a key of ACTS) in its enterprise right now?"""
    try:
        rule = ACTS[act]
    except KeyError:
        raise KeyError(f"unknown act {act!r}") from None
    return bool(grant) and rule(grant)


def may_review_filing(grant: WorkspaceAccess) -> bool:
    """Carbon review (filings, annual reports): the engaged carbon steward, otherwise the enterprise admin."""
    return may_act(grant, "approve_filing")


def may_review_environmental(grant: WorkspaceAccess) -> bool:
    """Execution reports: the engaged environmental steward, otherwise the enterprise admin."""
    return may_act(grant, "review_execution_report")


def _live_membership(model) -> Callable[[User], bool]:
    def may(user: User) -> bool:
        return model.objects.filter(user=user, revoked_at__isnull=True).exists()

    return may


# Acts of a person outside any one workspace: the steward portfolio and the bureau dashboard list only the
# enterprises the person's engagements or jurisdictions cover (steward/oversight/scope.py).
PERSON_ACTS: dict[str, Callable[[User], bool]] = {
    "view_portfolio": _live_membership(StewardMembership),
    "view_bureau_dashboard": _live_membership(BureauMembership),
    "view_bank_portal": _live_membership(BankMembership),
}


# Acts on a register enterprise, which may have no workspace (steward/budget): by the bureau role held over its
# district (a city bureau covers its districts), never through a workspace grant.
JURISDICTION_ACTS: dict[str, frozenset[Role]] = {
    "view_budgets": BUREAU_ROLES,
    "set_budget": frozenset({Role.BUREAU_INSPECTOR}),
    "decide_budget_adjustment": frozenset({Role.BUREAU_INSPECTOR}),
}


def bureau_roles_over(user: User | None, jurisdiction_code: str) -> frozenset[Role]:
    """The bureau roles `user` holds over one jurisdiction now (live memberships)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(
        Role(role) for role, codes in _bureau_jurisdiction_codes(user).items() if jurisdiction_code in codes
    )


def may_act_in_jurisdiction(user: User | None, act: str, jurisdiction_code: str) -> bool:
    """May `user` take `act` (a key of JURISDICTION_ACTS) on an enterprise of `jurisdiction_code`?"""
    try:
        allowed = JURISDICTION_ACTS[act]
    except KeyError:
        raise KeyError(f"unknown jurisdiction act {act!r}") from None
    return bool(bureau_roles_over(user, jurisdiction_code) & allowed)


# ------------------------------------------------------------------------------------------- banks (碳效贷)


@dataclass(frozen=True)
class BankGrant:
    """What one bank officer may read of one enterprise right now: the items of the bank's live consent."""

    enterprise: Enterprise
    consent: BankConsent | None = None

    def __bool__(self) -> bool:
        return self.consent is not None

    @property
    def bank(self):
        return self.consent.bank if self.consent else None

    @property
    def items(self) -> frozenset[str]:
        return self.consent.items if self.consent else frozenset()

    def allows(self, item: str) -> bool:
        if item not in BankConsent.ITEMS:
            raise KeyError(f"unknown consent item {item!r}")
        return item in self.items


def live_bank_consents(*, today: datetime.date | None = None):
    """Consents in force today: started, not ended, not revoked (a newer grant revokes the older one)."""
    day = _today(today)
    return BankConsent.objects.filter(starts_on__lte=day, ends_on__gte=day, revocation__isnull=True)


def _bank_ids(user: User | None) -> list[int]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return list(
        BankMembership.objects.filter(user=user, revoked_at__isnull=True).values_list("bank_id", flat=True)
    )


def bank_grant(user: User | None, enterprise: Enterprise, *, today: datetime.date | None = None) -> BankGrant:
    """The live consent `enterprise` gave one of the user's banks, read on every call (no caching)."""
    banks = _bank_ids(user)
    consent = (
        live_bank_consents(today=today)
        .filter(enterprise=enterprise, bank_id__in=banks)
        .select_related("bank")
        .order_by("-granted_at", "-pk")
        .first()
        if banks
        else None
    )
    return BankGrant(enterprise=enterprise, consent=consent)


def bank_grants(user: User | None, *, today: datetime.date | None = None) -> list[BankGrant]:
    """Every enterprise that consents, today, to one of the user's banks (the bank portal's list)."""
    banks = _bank_ids(user)
    if not banks:
        return []
    consents = (
        live_bank_consents(today=today)
        .filter(bank_id__in=banks)
        .select_related("bank", "enterprise__jurisdiction", "enterprise__industry", "enterprise__workspace")
        .order_by("enterprise__name_zh", "-granted_at", "-pk")
    )
    grants: dict[int, BankGrant] = {}
    for consent in consents:
        grants.setdefault(consent.enterprise_id, BankGrant(enterprise=consent.enterprise, consent=consent))
    return list(grants.values())
