"""What happened to a record, published once by the service that did it, heard by whoever subscribed.

A tiny synchronous registry rather than Django signals: a signal is keyed by a sender object and its
receivers are found by import side effects, whereas here an event is a plain name ("filing.locked") that a
grep finds at both ends, subscribers are registered from their app's `AppConfig.ready()`, and a subscriber
can ask for work to run once at the end of the unit of work (the outermost service call) instead of once per
event: submitting a filing re-runs its checks and then changes its state, two events but one projection.

Subscribers run inside the publisher's transaction, so the read model changes with the record or not at all.
Work that must wait for the commit (a webhook delivery) uses `transaction.on_commit` itself.

Names are `<record>.<what happened>`:

- filing.opened / checked / acknowledged / waived / submitted / returned / locked / reopen_requested / reopened
- annual_report.compiled / corrected / sent_for_review / review_approved / review_returned / submitted /
  accepted / returned
- execution_report.opened / submitted / returned / approved
- permit.registered / permit.changed, pollution.monitoring_imported / manual_result_recorded,
  compliance.changed, platform_submission.recorded
- platform_submission.recorded (the national platform's receipt of a locked month, steward/handoff)
- register_feed.imported (a bulk feed batch of the city register committed; steward/register regrades its year),
  register_roster.imported (a roster import added enterprises or moved one; the graded years are graded again)
- budget.level_raised (a budget's early-warning level rose, steward/budget/warnings.py; notices follow),
  budget_adjustment.decided (a budget adjustment approved or refused, steward/budget/services.py)
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from django.db import connection


@dataclass(frozen=True)
class Event:
    name: str
    record: object = None
    schema: str = ""
    details: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.name.partition(".")[0]

    @property
    def what(self) -> str:
        return self.name.partition(".")[2]


Subscriber = Callable[[Event], None]
_subscribers: dict[str, list[Subscriber]] = {}
_unit = threading.local()


def subscribe(pattern: str, subscriber: Subscriber) -> None:
    """Hear every event named `pattern`, or every event of a record kind with `"filing.*"`. Idempotent, so a
    repeated `ready()` does not double a subscriber."""
    listeners = _subscribers.setdefault(pattern, [])
    if subscriber not in listeners:
        listeners.append(subscriber)


def subscribers(name: str) -> list[Subscriber]:
    kind = name.partition(".")[0]
    return [*_subscribers.get(name, ()), *_subscribers.get(f"{kind}.*", ())]


def publish(name: str, record: object = None, **details) -> Event:
    """Tell every subscriber, now, inside the caller's transaction."""
    event = Event(name=name, record=record, schema=connection.schema_name, details=details)
    for subscriber in subscribers(name):
        subscriber(event)
    return event


def _pending() -> dict[Hashable, Callable[[], None]] | None:
    return getattr(_unit, "pending", None)


@contextlib.contextmanager
def unit_of_work():
    """Collect `once_per_unit` work while the block runs and run it once, at the end of the outermost unit,
    still inside the transaction the caller opened. Nothing runs if the block raised."""
    outermost = _pending() is None
    if outermost:
        _unit.pending, _unit.collected = {}, {}
    try:
        yield
        if outermost:
            while _unit.pending:  # work may publish again; run until quiet
                key = next(iter(_unit.pending))
                _unit.pending.pop(key)()
    finally:
        if outermost:
            _unit.pending, _unit.collected = None, {}


def in_unit_of_work(function):
    """Decorator form of `unit_of_work` (put it inside `@transaction.atomic`)."""

    @functools.wraps(function)
    def wrapped(*args, **kwargs):
        with unit_of_work():
            return function(*args, **kwargs)

    return wrapped


def once_per_unit(key: Hashable, work: Callable[[], None]) -> None:
    """Run `work` at the end of the current unit of work, once per `key`; right away when none is open."""
    pending = _pending()
    if pending is None:
        work()
    else:
        pending.setdefault(key, work)


def collect_per_unit(key: Hashable, item: Hashable, work: Callable[[frozenset], None]) -> None:
    """Like `once_per_unit`, but `work` receives every item collected under `key` during the unit (the kinds
    of record that changed, say), so that it does no more than they require; right away when none is open."""
    pending = _pending()
    if pending is None:
        work(frozenset({item}))
        return
    collected = _unit.collected.setdefault(key, set())
    collected.add(item)
    pending.setdefault(key, lambda: work(frozenset(_unit.collected.pop(key, collected))))
