"""Every bank read lands in the enterprise's access log (the page shows "银行 X 于 … 查看了 …")."""

from __future__ import annotations

from django.db import transaction

from steward.banking.models import BankRead
from steward.oversight.models import AccessLogEntry
from tenants.access import BankGrant, Role


@transaction.atomic
def record_read(
    *, grant: BankGrant, user, items, method: str, path: str, status_code: int = 200, subject: str = ""
) -> BankRead:
    """Log one read of `items` of `grant`'s enterprise by `user` of the consented bank."""
    entry = AccessLogEntry.objects.create(
        enterprise=grant.enterprise,
        user=user,
        roles=Role.BANK_OFFICER.value,
        method=method[:8],
        path=path[:300],
        status_code=status_code,
    )
    return BankRead.objects.create(
        entry=entry,
        bank=grant.bank,
        consent=grant.consent,
        items=",".join(item for item in items)[:120],
        subject=subject[:60],
    )
