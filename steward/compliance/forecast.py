"""In-year forecast of a year's emissions from the months locked so far, with a range and an early warning.

Method (shown on the page):
- seasonal: when last year has all twelve months, each remaining month is last year's month scaled by this
  year's ratio to last year over the locked months; the range uses the lowest and the highest single-month
  ratio instead;
- run-rate: otherwise each remaining month is the mean of the locked months; the range uses the lowest and
  the highest locked month instead.
The position at each end of the range is allocated + carried in − projected emissions. A deficit at the
central estimate is "likely"; a deficit only at the high end is "possible".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
SEASONAL = "seasonal"
RUN_RATE = "run_rate"
ACTUAL = "actual"


@dataclass(frozen=True)
class Forecast:
    method: str
    months_locked: int
    locked_total: Decimal
    low: Decimal
    point: Decimal
    high: Decimal
    remaining: dict[int, Decimal]  # month → central projection of each month not yet locked

    def position(self, holdings: Decimal) -> dict[str, Decimal]:
        """Projected surplus (negative: deficit) at each end; more emissions, lower surplus."""
        return {"low": holdings - self.high, "point": holdings - self.point, "high": holdings - self.low}

    def warning(self, holdings: Decimal) -> str:
        """'likely', 'possible' or '' (no deficit even at the high end)."""
        if self.point > holdings:
            return "likely"
        if self.high > holdings:
            return "possible"
        return ""


def forecast_year(locked: dict[int, Decimal], last_year: dict[int, Decimal]) -> Forecast | None:
    """Project the year from `locked` (month → tCO2); `last_year` is last year's locked months, if any."""
    if not locked:
        return None
    done = sum(locked.values(), ZERO)
    remaining_months = [m for m in range(1, 13) if m not in locked]
    if not remaining_months:
        return Forecast(ACTUAL, 12, done, done, done, done, {})
    if len(last_year) == 12 and all(last_year[m] > 0 for m in locked):
        ratios = [locked[m] / last_year[m] for m in locked]
        central = done / sum((last_year[m] for m in locked), ZERO)
        base = {m: last_year[m] for m in remaining_months}
        low_rate, rate, high_rate = min(ratios), central, max(ratios)
        method = SEASONAL
    else:
        base = dict.fromkeys(remaining_months, Decimal(1))
        low_rate, rate, high_rate = min(locked.values()), done / len(locked), max(locked.values())
        method = RUN_RATE
    remaining = {m: base[m] * rate for m in remaining_months}
    rest = sum(base.values(), ZERO)
    return Forecast(
        method=method,
        months_locked=len(locked),
        locked_total=done,
        low=done + rest * low_rate,
        point=done + rest * rate,
        high=done + rest * high_rate,
        remaining=remaining,
    )
