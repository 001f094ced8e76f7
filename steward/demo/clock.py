"""The demo's calendar: each step of the demo world happens on the day a real enterprise would have taken it.

Loaded in one go, the demo would otherwise file every month of the year on the day it runs, so the bureau
would see every month submitted late. Instead the demo acts through the ordinary services while Django's clock
(`django.utils.timezone.now`, which `auto_now_add` fields, `timezone.localdate()` and the services read) shows
the planned moment (`acting_on`): the timestamps, timeline events, seals (chained in the order of their lock
times), the filing record PDF and the read model are written by the same code as on a real day, nothing is
edited afterwards, and append-only rows stay untouched. The plan is relative to the day the demo runs
(`timezone.localdate()`), never a fixed date, and never in the future.

The story (`month_plan`): data entered a few days after the month ends, submitted well before the deadline
and approved a few days later; a few months submitted after the deadline (`LATE`, the DQ-T01 warning then
acknowledged); one month returned by the reviewer and resubmitted (`RETURNED`).

What the clock cannot move: PostgreSQL's own `now()`, which the trigger-written change history
(django-pghistory, `pgh_created_at`) records, stays the moment the demo ran.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import time
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone

from tenants.deadlines import month_end, monthly_filing_deadline

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")

# (enterprise slug, year offset from the demo year, month): first submitted after the deadline.
# Power, February: the coal ledger missed a delivery (DQ-K05), the yard was recounted before filing.
LATE = {("cx-power", 0, 2), ("wx-cement", 0, 7), ("wx-cement", -1, 11)}
# Returned once by the reviewer (clinker output against the kiln's control-room report), then resubmitted.
RETURNED = {("wx-cement", 0, 5)}
RETURN_COMMENTS = {"K1-CLK": "熟料产量与中控系统月报不一致，请核对后重新提交（演示数据）"}


@contextlib.contextmanager
def acting_on(moment: datetime.datetime) -> Iterator[datetime.datetime]:
    """Inside the block, Django's clock reads `moment` (never later than now), ticking with the real clock."""
    real_now = timezone.now
    moment = min(moment, real_now())
    started = time.monotonic()

    def now() -> datetime.datetime:
        return moment + datetime.timedelta(seconds=time.monotonic() - started)

    timezone.now = now
    try:
        yield moment
    finally:
        timezone.now = real_now


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment of Beijing time."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), BEIJING)


@dataclass(frozen=True)
class MonthPlan:
    """When the demo enters, submits, returns, resubmits and approves one month of one enterprise."""

    entered: datetime.datetime
    submitted: datetime.datetime
    approved: datetime.datetime
    returned: datetime.datetime | None = None
    resubmitted: datetime.datetime | None = None

    @property
    def locked_on(self) -> datetime.date:
        return self.approved.astimezone(BEIJING).date()


def entered_on(year: int, month: int) -> datetime.datetime:
    """The month's figures are keyed in on the 3rd working-ish day after it ends (ledgers and bills in)."""
    return at(month_end(year, month) + datetime.timedelta(days=4), 9, 30)


def month_plan(enterprise, year: int, month: int, *, demo_year: int) -> MonthPlan:
    """The plan of `enterprise`'s month (the current schema must be its own, for the deadline policy)."""
    deadline, _policy = monthly_filing_deadline(enterprise, year, month)
    end = month_end(year, month)
    window = (deadline - end).days
    key = (enterprise.slug, year - demo_year, month)
    real_now = timezone.now()
    late_submission = at(deadline + datetime.timedelta(days=4), 16, 10)
    if key in LATE and late_submission + datetime.timedelta(days=3) < real_now:
        return MonthPlan(
            entered=entered_on(year, month),
            submitted=late_submission,
            approved=at(deadline + datetime.timedelta(days=6), 11, 20),
        )
    # On time: about a third into the filing window (day 10–16 of 40), approved three days later.
    offset = max(2, min(window - 6, window // 3 + (month * 5 + len(enterprise.slug)) % 7 - 3))
    submitted = at(end + datetime.timedelta(days=offset), 10, 15 + month)
    if key in RETURNED:
        return MonthPlan(
            entered=entered_on(year, month),
            submitted=submitted,
            returned=at(end + datetime.timedelta(days=offset + 2), 14, 40),
            resubmitted=at(end + datetime.timedelta(days=offset + 5), 9, 50),
            approved=at(end + datetime.timedelta(days=offset + 7), 15, 5),
        )
    return MonthPlan(
        entered=entered_on(year, month),
        submitted=submitted,
        approved=at(end + datetime.timedelta(days=offset + 3), 15, 30),
    )


def year_plan(
    enterprise, year: int, months, *, demo_year: int, after: datetime.datetime | None = None
) -> dict[int, MonthPlan]:
    """The plans of `months` in order, each approved after the one before and after the enterprise's latest
    lock (and `after`): seals chain in the order of their lock times, so a month approved late holds up the
    approval of the next one (the current schema must be the enterprise's)."""
    from steward.filing.models import FilingStatus, MonthlyFiling

    head = (
        MonthlyFiling.objects.filter(status=FilingStatus.LOCKED, locked_at__isnull=False)
        .order_by("-locked_at")
        .values_list("locked_at", flat=True)
        .first()
    )
    plans, floor = {}, max(filter(None, (after, head)), default=None)
    for month in months:
        plan = month_plan(enterprise, year, month, demo_year=demo_year)
        if floor is not None and plan.approved <= floor:
            plan = dataclasses.replace(plan, approved=floor + datetime.timedelta(hours=2))
        plans[month], floor = plan, plan.approved
    return plans
