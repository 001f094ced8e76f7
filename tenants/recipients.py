"""Who is told about an enterprise's obligations, and telling them once.

The people are read from the live rows (memberships not revoked, engagements in force, active users), so a
steward whose engagement ended or a person who left is never notified again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from tenants.access import live_engagements
from tenants.models import Enterprise, Jurisdiction, Notification, User

FILERS = ("enterprise_admin", "enterprise_filer")


def enterprise_people(enterprise: Enterprise, roles: Iterable[str] = FILERS) -> QuerySet[User]:
    return User.objects.filter(
        enterprise_memberships__enterprise=enterprise,
        enterprise_memberships__role__in=list(roles),
        enterprise_memberships__revoked_at__isnull=True,
        is_active=True,
    ).distinct()


def carbon_stewards(enterprise: Enterprise, today: datetime.date | None = None) -> QuerySet[User]:
    """The users of every firm whose live engagement with the enterprise covers carbon."""
    firms = live_engagements(today=today).filter(enterprise=enterprise, covers_carbon=True).values("firm_id")
    return User.objects.filter(
        steward_memberships__firm_id__in=firms, steward_memberships__revoked_at__isnull=True, is_active=True
    ).distinct()


def bureau_people(enterprise: Enterprise) -> QuerySet[User]:
    """The bureau of the enterprise's jurisdiction and the one above it (the city)."""
    return jurisdiction_bureau_people(enterprise.jurisdiction)


def jurisdiction_bureau_people(jurisdiction: Jurisdiction) -> QuerySet[User]:
    """The bureau of `jurisdiction` and the one above it (the city): for a register enterprise, which may have no
    workspace. The bureau of another district is never among them."""
    codes = {jurisdiction.code, jurisdiction.parent_id} - {None}
    return User.objects.filter(
        Q(bureau_memberships__bureau__jurisdiction_id__in=codes),
        bureau_memberships__revoked_at__isnull=True,
        is_active=True,
    ).distinct()


def notify_once(
    users: Iterable[User], enterprise: Enterprise | None, *, kind: str, title: str, link: str, key: str
) -> int:
    """One inbox entry per person and `key`, however often this runs; each new one also goes to the channels
    its person chose, after the commit (tenants/notifications.py). Returns how many were created."""
    from tenants.notifications import deliver_after_commit

    created = []
    for user in users:
        entry, was_created = Notification.objects.get_or_create(
            user=user,
            dedupe_key=key[:120],
            defaults={"enterprise": enterprise, "kind": kind, "title": title[:200], "link": link[:200]},
        )
        if was_created:
            created.append(entry.pk)
    deliver_after_commit(created)
    return len(created)
