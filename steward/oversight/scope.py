"""Who sees which rows of the read model. Every decision comes from `tenants.access` (live rows)."""

from __future__ import annotations

from dataclasses import dataclass

from tenants import access
from tenants.models import Enterprise, StewardMembership, User


def bureau_codes(user: User) -> set[str]:
    """Jurisdiction codes a bureau user oversees (a city covers its districts); empty for everyone else."""
    codes: set[str] = set()
    for jurisdiction in access.bureau_jurisdictions(user):
        codes |= jurisdiction.subtree_codes()
    return codes


@dataclass(frozen=True)
class Client:
    enterprise: Enterprise
    scopes: frozenset[str]  # "carbon", "environmental"


def steward_clients(user: User) -> list[Client]:
    """Enterprises a live engagement of the user's firms covers today, with the union of their scopes."""
    firm_ids = StewardMembership.objects.filter(user=user, revoked_at__isnull=True).values_list("firm_id")
    scopes: dict[int, set[str]] = {}
    enterprises: dict[int, Enterprise] = {}
    engagements = (
        access.live_engagements()
        .filter(firm_id__in=firm_ids)
        .select_related("enterprise__jurisdiction", "enterprise__industry", "enterprise__workspace")
    )
    for engagement in engagements:
        enterprises[engagement.enterprise_id] = engagement.enterprise
        held = scopes.setdefault(engagement.enterprise_id, set())
        if engagement.covers_carbon:
            held.add("carbon")
        if engagement.covers_environmental:
            held.add("environmental")
    return sorted(
        (Client(enterprises[pk], frozenset(held)) for pk, held in scopes.items()),
        key=lambda client: client.enterprise.name_zh,
    )
