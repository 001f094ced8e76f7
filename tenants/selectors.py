"""Reading services for the public-schema pages (steward portfolio, bureau overview, engagement lists)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet

from tenants import access
from tenants.models import Engagement, Enterprise, Jurisdiction, StewardMembership, User


def steward_clients(user: User) -> list[Engagement]:
    """Live engagements of the firms the user works for: the clients they may open today."""
    firm_ids = StewardMembership.objects.filter(user=user, revoked_at__isnull=True).values_list("firm_id")
    return list(
        access.live_engagements()
        .filter(firm_id__in=firm_ids)
        .select_related("firm", "enterprise__jurisdiction", "enterprise__industry")
        .order_by("ends_on")
    )


@dataclass
class BureauOverview:
    jurisdictions: list[Jurisdiction]
    enterprises: list[Enterprise]
    by_jurisdiction: list[tuple[str, int]]
    in_carbon_market: int
    permit_key_units: int
    efficiency_evaluated: int


def bureau_overview(user: User) -> BureauOverview | None:
    jurisdictions = access.bureau_jurisdictions(user)
    if not jurisdictions:
        return None
    codes: set[str] = set()
    for jurisdiction in jurisdictions:
        codes |= jurisdiction.subtree_codes()
    enterprises = list(
        Enterprise.objects.filter(jurisdiction_id__in=codes).select_related("jurisdiction", "industry")
    )
    counts = Counter(enterprise.jurisdiction.name_zh for enterprise in enterprises)
    return BureauOverview(
        jurisdictions=jurisdictions,
        enterprises=enterprises,
        by_jurisdiction=sorted(counts.items()),
        in_carbon_market=sum(e.in_national_carbon_market for e in enterprises),
        permit_key_units=sum(e.pollutant_permit_key_unit for e in enterprises),
        efficiency_evaluated=sum(e.carbon_efficiency_evaluated for e in enterprises),
    )


def engagements_visible_to(user: User) -> QuerySet[Engagement]:
    rows = Engagement.objects.select_related("firm", "enterprise__jurisdiction")
    if access.can(user, "manage_engagements"):
        return rows
    firm_ids = StewardMembership.objects.filter(user=user, revoked_at__isnull=True).values_list("firm_id")
    return rows.filter(firm_id__in=firm_ids)
