"""Accounting periods a record may have: from the first reporting year to the current month.

"Current" is read in the enterprise's time zone. Every enterprise of this platform is in Huzhou, so that is
Asia/Shanghai (TIME_ZONE); on 1 December at 00:30 in Huzhou it is already December there while UTC still
says November. The first reporting year is FIRST_REPORTING_YEAR (setting, default 2013: national reporting
of key enterprises' greenhouse-gas emissions began with 2013 data); no enterprise record carries its own.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.edge.errors import EdgeError

DEFAULT_FIRST_REPORTING_YEAR = 2013


def first_reporting_year() -> int:
    return int(getattr(settings, "FIRST_REPORTING_YEAR", DEFAULT_FIRST_REPORTING_YEAR))


def current_month(now: datetime.datetime | None = None) -> tuple[int, int]:
    """(year, month) now, in the enterprises' time zone."""
    local = (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return local.year, local.month


def working_year(now: datetime.datetime | None = None) -> int:
    """The year a page opens on by default: that of last month, the latest month that can be complete (on
    1 January people still file and read December, so the year just ended, not an empty new one)."""
    year, month = current_month(now)
    return year - 1 if month == 1 else year


def check_period(year, month, *, now: datetime.datetime | None = None, field_prefix: str = "") -> None:
    """Refuse a month that is not a real month, is after the current month or before the first reporting year."""
    year_field, month_field = f"{field_prefix}year", f"{field_prefix}month"
    if not isinstance(year, int) or isinstance(year, bool):
        raise EdgeError.one(year_field, "invalid_period", _("年份应为整数。"))
    if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
        raise EdgeError.one(month_field, "invalid_period", _("月份应为 1–12 的整数。"))
    first = first_reporting_year()
    if year < first:
        raise EdgeError.one(
            year_field,
            "period_before_first_year",
            _("核算期不能早于首个报告年度 %(first)s 年（所填 %(year)s 年）。")
            % {"first": first, "year": year},
        )
    this_year, this_month = current_month(now)
    if (year, month) > (this_year, this_month):
        raise EdgeError.one(
            year_field if year > this_year else month_field,
            "period_in_future",
            _("核算期 %(year)s年%(month)s月晚于当前月份 %(now_year)s年%(now_month)s月，不能录入。")
            % {"year": year, "month": month, "now_year": this_year, "now_month": this_month},
        )
