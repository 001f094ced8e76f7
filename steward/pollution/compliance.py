"""Compliance with the permit: concentration exceedances per outlet and hour or day (at reference oxygen where
the limit says so) and cumulative emissions against the permitted annual amounts, with early warning."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from steward.pollution.accounting import _aware, _month_bounds, results_by_month
from steward.pollution.methods import oxygen_corrected
from steward.pollution.models import ConcentrationLimit, MonitoringReading, Permit

WARNING_SHARE = Decimal("0.8")


@dataclass(frozen=True)
class Exceedance:
    outlet_code: str
    pollutant: str
    starts_at: datetime.datetime
    averaging: str
    measured: Decimal
    compared: Decimal  # at reference oxygen when the limit says so
    limit: Decimal
    unit: str

    @property
    def ratio(self) -> Decimal:
        return self.compared / self.limit


def compared_value(reading: MonitoringReading, limit: ConcentrationLimit, reference_oxygen: Decimal | None):
    """The concentration the limit is judged on: measured, or corrected to the reference oxygen content."""
    if limit.oxygen_corrected and reference_oxygen is not None and reading.oxygen_pct is not None:
        return oxygen_corrected(reading.concentration, reading.oxygen_pct, reference_oxygen)
    return reading.concentration


def _daily(readings: list[MonitoringReading], limit, reference_oxygen) -> list[tuple]:
    days = defaultdict(list)
    for reading in readings:
        day = timezone.localtime(reading.starts_at).date()
        days[day].append((reading.concentration, compared_value(reading, limit, reference_oxygen)))
    return [
        (
            _aware(day),
            sum((m for m, _c in values), Decimal(0)) / len(values),
            sum((c for _m, c in values), Decimal(0)) / len(values),
        )
        for day, values in sorted(days.items())
    ]


def exceedances(permit: Permit, year: int, month: int) -> list[Exceedance]:
    """Every hour (or day) in the month whose valid value is above the outlet's limit."""
    found = []
    start, end = _month_bounds(year, month)
    for outlet in permit.outlets.prefetch_related("limits"):
        for limit in outlet.limits.all():
            readings = [
                r
                for r in MonitoringReading.objects.filter(
                    outlet_code=outlet.code,
                    pollutant=limit.pollutant,
                    starts_at__gte=_aware(start),
                    starts_at__lt=_aware(end),
                )
                if r.valid
            ]
            if limit.averaging == ConcentrationLimit.Averaging.DAY and any(r.hours == 1 for r in readings):
                periods = _daily(readings, limit, outlet.reference_oxygen_pct)
            else:
                periods = [
                    (r.starts_at, r.concentration, compared_value(r, limit, outlet.reference_oxygen_pct))
                    for r in readings
                ]
            found.extend(
                Exceedance(
                    outlet.code,
                    limit.pollutant,
                    at,
                    limit.averaging,
                    measured,
                    compared,
                    limit.limit,
                    limit.unit,
                )
                for at, measured, compared in periods
                if compared > limit.limit
            )
    return sorted(found, key=lambda e: (e.outlet_code, e.pollutant, e.starts_at))


@dataclass(frozen=True)
class Cumulative:
    pollutant: str
    tonnes: Decimal
    permitted: Decimal
    months: int

    @property
    def share(self) -> Decimal:
        return self.tonnes / self.permitted if self.permitted else Decimal(0)

    @property
    def projected(self) -> Decimal:
        return self.tonnes / self.months * 12 if self.months else Decimal(0)

    @property
    def status(self) -> str:
        return cumulative_status(self.tonnes, self.permitted, self.months)


def cumulative_status(tonnes: Decimal, permitted: Decimal, months_elapsed: int) -> str:
    """exceeded above the permitted amount; warning at ≥ 80% with months still to go, or on course to exceed it."""
    if tonnes > permitted:
        return "exceeded"
    if months_elapsed < 12 and (
        tonnes >= permitted * WARNING_SHARE or tonnes / months_elapsed * 12 > permitted
    ):
        return "warning"
    return "ok"


def cumulative(permit: Permit, year: int, through_month: int) -> list[Cumulative]:
    """Year-to-date emissions per pollutant that has a permitted amount."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for results in results_by_month(permit, year, list(range(1, through_month + 1))).values():
        for result in results:
            totals[result.pollutant] += result.tonnes
    return [
        Cumulative(
            amount.pollutant, totals.get(amount.pollutant, Decimal(0)), amount.tonnes_per_year, through_month
        )
        for amount in permit.permitted_amounts.order_by("pollutant")
    ]
