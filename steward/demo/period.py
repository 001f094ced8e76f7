"""Which months the demo world fills: the year of last month, from January up to last month.

On 1 January the demo is the whole of the year just ended (December is last month), not an empty year.
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def last_month(today: datetime.date | None = None) -> tuple[int, int]:
    """(year, month) of the calendar month before `today` (Beijing time by default)."""
    previous = (today or timezone.localdate()).replace(day=1) - datetime.timedelta(days=1)
    return previous.year, previous.month
