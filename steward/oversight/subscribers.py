"""The read model listens to every change of a projected record (steward/events.py) and re-projects the
enterprise once per unit of work, inside the same transaction as the change, with only the projectors
the changed kinds of record can affect."""

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
    """Once per unit of work, with the kinds of record that changed in it: a projector that does not depend
    on any of them keeps its stored figures (a filing submit does not re-read the pollution monitoring)."""
    from steward.oversight.projection import refresh_schema

    events.collect_per_unit(
        ("oversight", event.schema), event.kind, lambda kinds: refresh_schema(event.schema, kinds=kinds)
    )


def register() -> None:
    for kind in PROJECTED:
        events.subscribe(f"{kind}.*", project_enterprise)
