"""Pollutant permit figures in the oversight read model, against the current permit.

- `exceedances` per month with monitoring data: the number of hours (or days) above a concentration limit
  (`compliance.exceedances`), 0 when the month was monitored without one;
- `permitted_amount_use` per year (month 0): the highest year-to-date share of a permitted amount in percent,
  through the last monitored month, labelled with the worst status (`ok`, `warning`, `exceeded`).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from steward.oversight.projection import Projection, projector
from steward.pollution import compliance
from steward.pollution.models import MonitoringReading
from steward.pollution.services import current_permit
from tenants.models import Enterprise

SEVERITY = {"ok": 0, "warning": 1, "exceeded": 2}
PERCENT = Decimal("0.01")


def monitored_months() -> list[tuple[int, int]]:
    zone = timezone.get_current_timezone()
    return sorted(
        {(d.year, d.month) for d in MonitoringReading.objects.datetimes("starts_at", "month", tzinfo=zone)}
    )


@projector("pollution", depends_on=("permit", "pollution", "execution_report"))
def project_pollution(enterprise: Enterprise, projection: Projection) -> None:
    permit = current_permit()
    if permit is None:
        return
    last_month: dict[int, int] = {}
    for year, month in monitored_months():
        count = len(compliance.exceedances(permit, year, month))
        projection.set_metric(
            domain="pollution", key="exceedances", period=(year, month), value=Decimal(count)
        )
        last_month[year] = max(month, last_month.get(year, 0))
    for year, month in last_month.items():
        rows = compliance.cumulative(permit, year, month)
        if not rows:
            continue
        share = max(row.share for row in rows) * 100
        worst = max((row.status for row in rows), key=SEVERITY.__getitem__)
        projection.set_metric(
            domain="pollution",
            key="permitted_amount_use",
            period=(year, 0),
            value=share.quantize(PERCENT),
            label=worst,
        )
