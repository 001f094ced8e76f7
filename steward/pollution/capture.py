"""Effective-data capture rate of automatic monitoring and whether its data may be used for accounting.

HJ 75-2017 / HJ 355-2019 and the 2021 handbook: automatic data are usable for accounting only when the system is
maintained per the standard and the quarter's effective capture rate is at least 75%.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

MINIMUM_CAPTURE_RATE = Decimal("0.75")


@dataclass(frozen=True)
class Capture:
    valid_periods: int
    required_periods: int
    certified: bool

    @property
    def rate(self) -> Decimal:
        if self.required_periods == 0:
            return Decimal(0)
        return Decimal(self.valid_periods) / Decimal(self.required_periods)

    @property
    def usable(self) -> bool:
        return automatic_data_usable(self.rate, self.certified)


def automatic_data_usable(rate: Decimal, certified: bool) -> bool:
    """Usable only with a certified system and a capture rate ≥ 75% (74.9% is not enough)."""
    return certified and rate >= MINIMUM_CAPTURE_RATE


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First day of the quarter and first day after it."""
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, end


def required_periods(
    start: datetime.date, end: datetime.date, hours_per_period: int, stopped_periods: int
) -> int:
    """Periods in [start, end) during which the unit ran (stopped periods are not expected to have data)."""
    total = (end - start).days * 24 // hours_per_period
    return max(total - stopped_periods, 0)
