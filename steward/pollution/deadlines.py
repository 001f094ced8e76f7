"""Execution report periods and deadlines (HJ 944; DOMAIN.md §3.1 and §4.1): due on the 15th.

Monthly: 15th of the next month. Quarterly: 15th of the first month of the next quarter. Semi-annual: 15 Jul for
the first half, 15 Jan for the second. Annual: 15 Jan of the next year.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext

from steward.pollution.models import ReportFrequency

PERIODS = {
    ReportFrequency.MONTHLY: 12,
    ReportFrequency.QUARTERLY: 4,
    ReportFrequency.SEMIANNUAL: 2,
    ReportFrequency.ANNUAL: 1,
}
MONTHS_PER_PERIOD = {
    ReportFrequency.MONTHLY: 1,
    ReportFrequency.QUARTERLY: 3,
    ReportFrequency.SEMIANNUAL: 6,
    ReportFrequency.ANNUAL: 12,
}
DUE_DAY = 15


def check_period(frequency: str, period: int) -> None:
    if frequency not in PERIODS:
        raise ValueError(f"未知的报告类型 {frequency}")
    if not 1 <= period <= PERIODS[frequency]:
        raise ValueError(f"{frequency} 的期次应在 1 与 {PERIODS[frequency]} 之间，收到 {period}")


def period_months(frequency: str, period: int) -> range:
    """The months a report covers."""
    check_period(frequency, period)
    size = MONTHS_PER_PERIOD[frequency]
    return range((period - 1) * size + 1, period * size + 1)


def execution_report_deadline(frequency: str, year: int, period: int) -> datetime.date:
    """The 15th of the month after the period's last month."""
    last = period_months(frequency, period)[-1]
    if last == 12:
        return datetime.date(year + 1, 1, DUE_DAY)
    return datetime.date(year, last + 1, DUE_DAY)


def shown_period_label(frequency: str, year: int, period: int) -> str:
    """The period as a page names it, in the reader's language (period_label is the documents' Chinese)."""
    check_period(frequency, period)
    if frequency == ReportFrequency.MONTHLY:
        return gettext("%(year)s年%(month)s月") % {"year": year, "month": period}
    if frequency == ReportFrequency.QUARTERLY:
        return gettext("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": period}
    if frequency == ReportFrequency.SEMIANNUAL:
        half = gettext("%(year)s年上半年") if period == 1 else gettext("%(year)s年下半年")
        return half % {"year": year}
    return gettext("%(year)s年度") % {"year": year}


def period_label(frequency: str, year: int, period: int) -> str:
    check_period(frequency, period)
    return {
        ReportFrequency.MONTHLY: f"{year}年{period}月",
        ReportFrequency.QUARTERLY: f"{year}年第{period}季度",
        ReportFrequency.SEMIANNUAL: f"{year}年{'上' if period == 1 else '下'}半年",
        ReportFrequency.ANNUAL: f"{year}年度",
    }[frequency]
