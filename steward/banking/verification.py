"""The exact bytes behind a hash a bank is shown, so it can verify a figure offline (docs/banking.md).

A month's seal is SHA-256 over the canonical JSON of {"payload": sealed payload, "previous": previous seal}
(`steward.filing.seal.seal_of`); an annual report's content hash is SHA-256 over the canonical JSON of its
payload (`steward.annual.selectors.payload_hash`). Canonical JSON: keys sorted, no whitespace
(separators "," and ":"), non-ASCII characters as themselves, UTF-8. The files served here are those bytes,
so `sha256sum` of the file is the hash; they are built with the same functions' serialisation and checked
against the stored hash before they are served.
"""

from __future__ import annotations

import hashlib
import json

from steward.annual.models import AnnualReport
from steward.filing.models import FilingStatus, MonthlyFiling


class Mismatch(Exception):
    """The stored content no longer hashes to its stored hash (changed behind the application's back)."""


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def month_seal_bytes(filing: MonthlyFiling) -> bytes:
    """The bytes whose SHA-256 is `filing.seal`."""
    data = canonical({"previous": filing.previous_seal, "payload": filing.sealed_payload})
    if hashlib.sha256(data).hexdigest() != filing.seal:
        raise Mismatch(f"{filing.year}-{filing.month:02d} v{filing.version}")
    return data


def annual_report_bytes(report: AnnualReport) -> bytes:
    """The bytes whose SHA-256 is `report.payload_sha256`."""
    data = canonical(report.payload)
    if hashlib.sha256(data).hexdigest() != report.payload_sha256:
        raise Mismatch(f"{report.year} v{report.version}")
    return data


def sealed_month(year: int, month: int) -> MonthlyFiling | None:
    """The month's latest locked version (the one whose figures a bank is shown), in the current schema."""
    return (
        MonthlyFiling.objects.filter(year=year, month=month, status=FilingStatus.LOCKED)
        .exclude(seal="")
        .order_by("-version")
        .first()
    )
