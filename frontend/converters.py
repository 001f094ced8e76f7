"""Path converters for the periods in page URLs: a bad year or month is a 404 before any view runs.

`<month:month>` is 1–12 (a leading zero is accepted: /carbon/2025/03/); `<year:year>` is 2000–2100, the
range an accounting year of this platform can have (an out-of-range year used to reach date arithmetic and
end in a 500). Registered once, in `FrontendConfig.ready`, before any URLconf is loaded.
"""

from __future__ import annotations

from django.urls import register_converter


class MonthConverter:
    regex = r"0?[1-9]|1[0-2]"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        month = int(value)
        if not 1 <= month <= 12:
            raise ValueError(f"month {value!r} is not 1–12")
        return str(month)


class YearConverter:
    FIRST, LAST = 2000, 2100
    regex = r"20\d\d|2100"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        year = int(value)
        if not self.FIRST <= year <= self.LAST:
            raise ValueError(f"year {value!r} is not {self.FIRST}–{self.LAST}")
        return str(year)


def register() -> None:
    register_converter(MonthConverter, "month")
    register_converter(YearConverter, "year")
