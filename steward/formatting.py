"""Numbers and times as people read them: one place for every page, PDF and export.

Stored quantities stay exact Decimals; these functions only shape their text. No exponent notation ever
(`Decimal("8.5E+2")` is shown as 850), thousands grouped, a fixed number of decimals per unit (tonnes are read
against allocation notices that print two), 万吨 for city-scale totals, and Beijing time for every moment.
"""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import get_language, gettext

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
EMPTY = "—"

# Decimals shown per unit. Units not listed show what they hold, up to four decimals, trailing zeros dropped.
PLACES_BY_UNIT: dict[str, int] = {
    "t": 2,
    "tCO2": 2,
    "tCO2e": 2,
    "万tCO2": 2,
    "kg": 1,
    "MWh": 2,
    "kWh": 0,
    "GJ": 2,
    "TJ": 3,
    "GJ/t": 3,
    "tC/GJ": 5,
    "tCO2/MWh": 4,
    "tCO2/t": 4,
    "tCO2/万元": 4,
    "万元": 2,
    "m3": 0,
    "万Nm3": 2,
    "Nm3": 0,
    "mg/m3": 1,
    "mg/L": 1,
    "%": 1,
}
WAN = Decimal(10_000)


def as_decimal(value) -> Decimal | None:
    """A Decimal from a Decimal, int or numeric string; None for empty or non-numeric values."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = repr(value)  # never shown as reported figures; only to display a stray float faithfully
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def rounded(number: Decimal, places: int) -> Decimal:
    """Rounded half up (四舍五入, as reports and notices round), not Python's half-even."""
    try:
        return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds: shown as it is
        return number


def plain(value) -> str:
    """The exact value without exponent or grouping, for form inputs and machine-readable cells: 850, 0.0052."""
    number = as_decimal(value)
    if number is None:
        return ""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def quantity(value, unit: str | None = None, places: int | None = None) -> str:
    """Grouped thousands with the unit's decimals: `quantity(Decimal("1.2288E+5"), "t")` → "122,880.00"."""
    number = as_decimal(value)
    if number is None:
        return EMPTY
    if places is None:
        places = PLACES_BY_UNIT.get(unit or "")
    if places is None:
        text = f"{rounded(number, 4):,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{rounded(number, int(places)):,.{int(places)}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def tonnes(value, places: int = 2) -> str:
    return quantity(value, "t", places)


def wan_tonnes(value, places: int = 2) -> str:
    """Totals of a city or an industry in 万吨 (ten thousand tonnes) once they reach 10,000 t, else tonnes. English
    has no 万: a total of 万吨 reads there as whole tonnes, grouped (3,334,309 t, not 333.43 ×10⁴ t)."""
    number = as_decimal(value)
    if number is None:
        return EMPTY
    if abs(number) >= WAN and (get_language() or "").startswith("en"):
        return f"{rounded(number, 0):,.0f} t"
    if abs(number) >= WAN:
        return f"{rounded(number / WAN, places):,.{places}f} {gettext('万吨')}"
    return f"{rounded(number, places):,.{places}f} {gettext('吨')}"


def percent(value, places: int = 1) -> str:
    """A fraction as a percentage: 0.925 → "92.5%"."""
    number = as_decimal(value)
    return EMPTY if number is None else f"{rounded(number * 100, places):,.{places}f}%"


def beijing(moment: datetime.datetime | datetime.date | None, with_time: bool = True) -> str:
    """A moment in Beijing time, "2026-12-02 10:05" (a date stays a date)."""
    if moment is None:
        return EMPTY
    if not isinstance(moment, datetime.datetime):
        return moment.isoformat()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    local = moment.astimezone(BEIJING)
    return local.strftime("%Y-%m-%d %H:%M") if with_time else local.date().isoformat()
