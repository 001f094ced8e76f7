"""Reading the trigger-written history of a filing: who changed what, when (steward/history.py writes it)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from steward.filing.models import FilingFindingHistory, MonthlyFiling, MonthlyFilingHistory
from tenants.models import User

SKIPPED = {"id", "filing", "sealed_payload"}  # the payload is long; its seal (a hash) is shown instead


@dataclass
class Change:
    at: datetime.datetime
    table: str  # "filing" or "finding"
    label: str  # insert, update, delete
    subject: str  # what changed: "第2版" or the finding's rule and item
    user: User | None
    url: str
    fields: dict[str, tuple] = field(default_factory=dict)  # name → (before, after)


def _values(event, names: list[str]) -> dict:
    return {name: getattr(event, f"{name}_id" if name.endswith("_by") else name) for name in names}


def _changes(events, table: str, names: list[str], subject, users: dict) -> list[Change]:
    changes, last = [], {}
    for event in events:
        values = _values(event, names)
        before = last.get(event.pgh_obj_id)
        if event.pgh_label == "update" and before is not None:
            diff = {name: (before[name], values[name]) for name in names if before[name] != values[name]}
        else:
            diff = {name: (None, value) for name, value in values.items() if value not in (None, "")}
        last[event.pgh_obj_id] = values
        if table == "finding" and event.pgh_label != "update":
            continue  # findings are rebuilt by every check; only their handling is of interest
        context = event.pgh_context or {}
        changes.append(
            Change(
                at=event.pgh_created_at,
                table=table,
                label=event.pgh_label,
                subject=subject(event),
                user=users.get(context.get("user")),
                url=context.get("url", ""),
                fields=diff,
            )
        )
    return changes


def filing_history(filing: MonthlyFiling) -> list[Change]:
    """Every recorded change of the filing row and of its findings' handling, oldest first."""
    filing_names = [
        f.name for f in MonthlyFiling._meta.concrete_fields if f.name not in SKIPPED | {"created_at"}
    ]
    finding_names = ["acknowledgement", "acknowledged_by", "waiver_reason", "waived_by"]
    filing_events = list(MonthlyFilingHistory.objects.filter(pgh_obj_id=filing.pk).order_by("pgh_id"))
    finding_events = list(FilingFindingHistory.objects.filter(filing_id=filing.pk).order_by("pgh_id"))
    user_ids = {(e.pgh_context or {}).get("user") for e in filing_events + finding_events}
    users = {user.pk: user for user in User.objects.filter(pk__in=[i for i in user_ids if i])}
    changes = _changes(filing_events, "filing", filing_names, lambda e: f"第{e.version}版", users) + _changes(
        finding_events, "finding", finding_names, lambda e: f"{e.rule_id} {e.item}", users
    )
    return sorted(changes, key=lambda change: change.at)
