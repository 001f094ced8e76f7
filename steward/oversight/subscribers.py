"""The read model listens to every change of a projected record (steward/events.py) and re-projects the
enterprise once per unit of work, inside the same transaction as the change."""

from __future__ import annotations

from steward import events

PROJECTED = (
    "filing",
    "annual_report",
    "execution_report",
    "permit",
    "pollution",
    "compliance",
    "platform_submission",
)


def project_enterprise(event: events.Event) -> None:
    from steward.oversight.projection import refresh_schema

    events.once_per_unit(("oversight", event.schema), lambda: refresh_schema(event.schema))


def register() -> None:
    for kind in PROJECTED:
        events.subscribe(f"{kind}.*", project_enterprise)
