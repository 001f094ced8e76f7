"""Actual emissions per outlet, pollutant and month in the 2021 handbook's order of priority:

1. automatic monitoring, when the system is certified (HJ 75 / HJ 355) and the quarter's capture rate ≥ 75%;
2. manual monitoring (with its lab report);
3. production coefficient / material balance on the fuel recorded once on the carbon side.

Every result names its method and the basis of its number. Quantities are Decimal tonnes, unrounded.

A period's accounting reads its data set-wise: a `Ledger` loads the permit's readings, certifications, manual
samples, source links and current activity records of the months once (eight queries whatever the number of
months), and `results_by_month` computes each month, outlet and pollutant from it in Python; `month_results` and
`account` are the same code over one month.
"""

from __future__ import annotations

import calendar
import datetime
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from steward.carbon.models import ActivityRecord
from steward.carbon.units import UnitError, convert
from steward.formatting import plain
from steward.pollution.capture import Capture, quarter_bounds, quarter_of, required_periods
from steward.pollution.coefficients import coefficient_for, sulphur_as_received_pct
from steward.pollution.methods import air_mass_t, coefficient_mass_t, water_mass_t
from steward.pollution.models import (
    CemsCertification,
    ManualMonitoring,
    MonitoringReading,
    OperatingStatus,
    Outlet,
    Permit,
    SourceOutlet,
)
from steward.pollution.pollutants import CONCENTRATION_UNIT, FLOW_UNIT, Medium


class Method:
    AUTOMATIC = "automatic"
    MANUAL = "manual"
    COEFFICIENT = "coefficient"
    # Chinese as the execution report (a Chinese document) prints them; pages translate them (gettext_noop marks
    # them for the catalogue).
    LABELS = {
        AUTOMATIC: gettext_noop("自动监测"),
        MANUAL: gettext_noop("手工监测"),
        COEFFICIENT: gettext_noop("产排污系数法"),
    }


@dataclass
class Result:
    outlet_code: str
    pollutant: str
    year: int
    month: int
    tonnes: Decimal
    method: str
    basis: str
    capture: Capture | None = None
    notes: list[str] = field(default_factory=list)
    by_source: dict[int, Decimal] = field(default_factory=dict)  # source id → t (coefficient estimate)

    @property
    def method_label(self) -> str:
        return Method.LABELS[self.method]

    def as_json(self) -> dict:
        return {
            "outlet": self.outlet_code,
            "pollutant": self.pollutant,
            "month": self.month,
            "tonnes": str(self.tonnes),
            "method": self.method,
            "basis": self.basis,
            "capture_rate": str(self.capture.rate) if self.capture else None,
            "notes": self.notes,
        }


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    end = datetime.date(year + 1, 1, 1) if month == 12 else datetime.date(year, month + 1, 1)
    return datetime.date(year, month, 1), end


def _readings(outlet_code: str, pollutant: str, start: datetime.date, end: datetime.date):
    return MonitoringReading.objects.filter(
        outlet_code=outlet_code, pollutant=pollutant, starts_at__gte=_aware(start), starts_at__lt=_aware(end)
    )


def monitored(outlet_code: str, pollutant: str, year: int, month: int) -> bool:
    return _readings(outlet_code, pollutant, *_month_bounds(year, month)).exists()


def certified(outlet_code: str, start: datetime.date, end: datetime.date) -> bool:
    """A certification covers the whole of [start, end)."""
    last = end - datetime.timedelta(days=1)
    return CemsCertification.objects.filter(
        outlet_code=outlet_code, valid_from__lte=start, valid_to__gte=last
    ).exists()


def _capture(
    rows: list[MonitoringReading], start: datetime.date, end: datetime.date, certified: bool
) -> Capture:
    hours = rows[0].hours if rows else 1
    stopped = sum(1 for row in rows if row.status == OperatingStatus.STOPPED)
    return Capture(
        valid_periods=sum(1 for row in rows if row.valid),
        required_periods=required_periods(start, end, hours, stopped),
        certified=certified,
    )


def quarter_capture(outlet_code: str, pollutant: str, year: int, month: int) -> Capture:
    """Valid periods over the periods the unit ran in the quarter up to the end of `month` (the whole quarter
    once its last month is accounted); missing rows count as not captured, stopped periods are not expected."""
    start = quarter_bounds(year, quarter_of(month))[0]
    end = _month_bounds(year, month)[1]
    rows = list(_readings(outlet_code, pollutant, start, end))
    return _capture(rows, start, end, certified(outlet_code, start, end))


def operating_hours(outlet_code: str, year: int, month: int) -> Decimal:
    """Hours the unit ran in the month: from the monitoring status rows when there are any, else the whole month."""
    rows = MonitoringReading.objects.filter(
        outlet_code=outlet_code,
        starts_at__gte=_aware(_month_bounds(year, month)[0]),
        starts_at__lt=_aware(_month_bounds(year, month)[1]),
    ).exclude(status=OperatingStatus.STOPPED)
    return _operating_hours(
        {(row.starts_at, row.hours) for row in rows.only("starts_at", "hours")}, year, month
    )


def _operating_hours(periods: set[tuple[datetime.datetime, int]], year: int, month: int) -> Decimal:
    if periods:
        return Decimal(sum(hours for _start, hours in periods))
    return Decimal(calendar.monthrange(year, month)[1] * 24)


def current_activity(source_id: int, year: int, month: int) -> ActivityRecord | None:
    return (
        ActivityRecord.objects.filter(source_id=source_id, year=year, month=month)
        .prefetch_related("parameters")
        .order_by("-version")
        .first()
    )


class _Reading:
    """The fields of a MonitoringReading the accounting reads (a year of hourly rows is thousands of them)."""

    __slots__ = ("outlet_code", "pollutant", "starts_at", "hours", "concentration", "flow", "status")

    def __init__(self, outlet_code, pollutant, starts_at, hours, concentration, flow, status):
        self.outlet_code, self.pollutant, self.starts_at, self.hours = (
            outlet_code,
            pollutant,
            starts_at,
            hours,
        )
        self.concentration, self.flow, self.status = concentration, flow, status

    valid = MonitoringReading.valid


class Ledger:
    """Everything the accounting of `months` of one year reads, loaded once for the permit's outlets: CEMS
    readings (from the first month's quarter start, for its capture rate), certifications, manual samples, the
    source links and each linked source's current activity record. The accounting functions below read only
    from it, so a year costs the same few queries as a month."""

    def __init__(self, permit: Permit, year: int, months: list[int]):
        self.year = year
        self.outlets = list(permit.outlets.prefetch_related("limits"))
        codes = [outlet.code for outlet in self.outlets]
        first, last = min(months), max(months)
        start = quarter_bounds(year, quarter_of(first))[0]
        end = _month_bounds(year, last)[1]
        self._readings: dict[tuple[str, str], list[_Reading]] = defaultdict(list)
        self._outlet_readings: dict[str, list[_Reading]] = defaultdict(list)
        rows = MonitoringReading.objects.filter(
            outlet_code__in=codes, starts_at__gte=_aware(start), starts_at__lt=_aware(end)
        ).order_by("outlet_code", "pollutant", "starts_at")
        for values in rows.values_list(*_Reading.__slots__):
            row = _Reading(*values)
            self._readings[(row.outlet_code, row.pollutant)].append(row)
            self._outlet_readings[row.outlet_code].append(row)
        self._starts = {key: [row.starts_at for row in found] for key, found in self._readings.items()}
        self._certifications = defaultdict(list)
        for certification in CemsCertification.objects.filter(outlet_code__in=codes):
            self._certifications[certification.outlet_code].append(
                (certification.valid_from, certification.valid_to)
            )
        self._manual = defaultdict(list)
        samples = ManualMonitoring.objects.filter(
            outlet_code__in=codes, sampled_on__gte=_month_bounds(year, first)[0], sampled_on__lt=end
        )
        for sample in samples:
            self._manual[(sample.outlet_code, sample.pollutant)].append(sample)
        self._links = defaultdict(list)
        self._outlet_links = defaultdict(set)
        for link in SourceOutlet.objects.filter(outlet_code__in=codes).select_related("source"):
            self._links[(link.outlet_code, link.pollutant)].append(link)
            self._outlet_links[link.outlet_code].add(link.pollutant)
        self._activity: dict[tuple[int, int], ActivityRecord] = {}
        records = ActivityRecord.objects.filter(
            source_id__in={link.source_id for found in self._links.values() for link in found},
            year=year,
            month__in=months,
        )
        for record in records.prefetch_related("parameters").order_by("source_id", "month", "-version"):
            self._activity.setdefault((record.source_id, record.month), record)

    def readings(self, outlet_code: str, pollutant: str, start: datetime.date, end: datetime.date):
        """The rows of [start, end) in starts_at order, like `_readings`."""
        starts = self._starts.get((outlet_code, pollutant), [])
        low, high = bisect_left(starts, _aware(start)), bisect_left(starts, _aware(end))
        return self._readings[(outlet_code, pollutant)][low:high] if starts else []

    def outlet_readings(self, outlet_code: str, start: datetime.date, end: datetime.date):
        low, high = _aware(start), _aware(end)
        return [row for row in self._outlet_readings.get(outlet_code, []) if low <= row.starts_at < high]

    def certified(self, outlet_code: str, start: datetime.date, end: datetime.date) -> bool:
        last = end - datetime.timedelta(days=1)
        return any(
            valid_from <= start and valid_to >= last
            for valid_from, valid_to in self._certifications.get(outlet_code, [])
        )

    def quarter_capture(self, outlet_code: str, pollutant: str, month: int) -> Capture:
        start = quarter_bounds(self.year, quarter_of(month))[0]
        end = _month_bounds(self.year, month)[1]
        rows = self.readings(outlet_code, pollutant, start, end)
        return _capture(rows, start, end, self.certified(outlet_code, start, end))

    def manual(self, outlet_code: str, pollutant: str, month: int) -> list[ManualMonitoring]:
        start, end = _month_bounds(self.year, month)
        return [s for s in self._manual.get((outlet_code, pollutant), []) if start <= s.sampled_on < end]

    def links(self, outlet_code: str, pollutant: str) -> list[SourceOutlet]:
        return self._links.get((outlet_code, pollutant), [])

    def activity(self, source_id: int, month: int) -> ActivityRecord | None:
        return self._activity.get((source_id, month))

    def pollutants(self, outlet: Outlet) -> list[str]:
        limited = {limit.pollutant for limit in outlet.limits.all()}
        return sorted(limited | self._outlet_links.get(outlet.code, set()))


def _automatic(ledger: Ledger, outlet: Outlet, pollutant: str, month: int) -> Result | None:
    year = ledger.year
    rows = [row for row in ledger.readings(outlet.code, pollutant, *_month_bounds(year, month)) if row.valid]
    if not rows:
        return None
    capture = ledger.quarter_capture(outlet.code, pollutant, month)
    if not capture.usable:
        return Result(outlet.code, pollutant, year, month, Decimal(0), Method.AUTOMATIC, "", capture)
    concentration_unit, flow_unit = CONCENTRATION_UNIT[outlet.medium], FLOW_UNIT[outlet.medium]
    if outlet.medium == Medium.AIR:
        tonnes = sum(
            (
                air_mass_t(r.concentration, concentration_unit, r.flow, flow_unit, Decimal(r.hours))
                for r in rows
            ),
            Decimal(0),
        )
        basis = f"Σ C(mg/m³) × Q(m³/h) × h × 10⁻⁹，{len(rows)} 个有效小时"
    else:
        tonnes = sum(
            (
                water_mass_t(r.concentration, concentration_unit, r.flow, flow_unit, Decimal(r.hours) / 24)
                for r in rows
            ),
            Decimal(0),
        )
        basis = f"Σ C(mg/L) × Q(m³/d) × d × 10⁻⁶，{len(rows)} 个有效日"
    return Result(outlet.code, pollutant, year, month, tonnes, Method.AUTOMATIC, basis, capture)


def _manual(ledger: Ledger, outlet: Outlet, pollutant: str, month: int) -> Result | None:
    year = ledger.year
    samples = ledger.manual(outlet.code, pollutant, month)
    if not samples:
        return None
    concentration = sum((s.concentration for s in samples), Decimal(0)) / len(samples)
    flow = sum((s.flow for s in samples), Decimal(0)) / len(samples)
    running = ledger.outlet_readings(outlet.code, *_month_bounds(year, month))
    periods = {(row.starts_at, row.hours) for row in running if row.status != OperatingStatus.STOPPED}
    hours = _operating_hours(periods, year, month)
    reports = "、".join(sorted({s.report_number for s in samples}))
    if outlet.medium == Medium.AIR:
        tonnes = air_mass_t(concentration, "mg/m3", flow, "m3/h", hours)
        basis = f"C̄={concentration} mg/m³ × Q̄={flow} m³/h × {hours} h × 10⁻⁹（报告 {reports}）"
    else:
        tonnes = water_mass_t(concentration, "mg/L", flow, "m3/d", hours / 24)
        basis = f"C̄={concentration} mg/L × Q̄={flow} m³/d × {hours / 24} d × 10⁻⁶（报告 {reports}）"
    return Result(outlet.code, pollutant, year, month, tonnes, Method.MANUAL, basis)


def _coefficient_estimate(ledger: Ledger, outlet_code: str, pollutant: str, month: int) -> Result | None:
    """Σ over the fuels burned into the outlet: activity × coefficient × (1 − η × k)."""
    by_source, parts, notes = {}, [], []
    for link in ledger.links(outlet_code, pollutant):
        record = ledger.activity(link.source_id, month)
        if record is None:
            continue
        sulphur = sulphur_as_received_pct({p.name: (p.value, p.unit) for p in record.parameters.all()})
        coefficient = coefficient_for(link.source.fuel_code, pollutant, *(sulphur or ()))
        if coefficient is None:
            notes.append(f"{link.source.name}：无 {pollutant} 产污系数")
            continue
        try:
            activity = convert(record.quantity, record.unit, coefficient.activity_unit)
        except UnitError as error:
            notes.append(f"{link.source.name}：{error.message}")
            continue
        tonnes = coefficient_mass_t(
            activity, coefficient.kg_per_unit, link.removal_efficiency, link.operating_rate
        )
        by_source[link.source_id] = by_source.get(link.source_id, Decimal(0)) + tonnes
        parts.append(
            f"{link.source.name} {plain(activity)} {coefficient.activity_unit} × {plain(coefficient.kg_per_unit)} kg"
            f" × (1 − {plain(link.removal_efficiency)} × {plain(link.operating_rate)})"
        )
    if not by_source:
        return None
    total = sum(by_source.values(), Decimal(0))
    result = Result(
        outlet_code, pollutant, ledger.year, month, total, Method.COEFFICIENT, "；".join(parts) + " ÷ 1000"
    )
    result.by_source, result.notes = by_source, notes
    return result


def _account(ledger: Ledger, outlet: Outlet, pollutant: str, month: int) -> Result | None:
    notes = []
    automatic = _automatic(ledger, outlet, pollutant, month)
    estimate = _coefficient_estimate(ledger, outlet.code, pollutant, month)
    if automatic is not None:
        if automatic.capture.usable:
            automatic.by_source = estimate.by_source if estimate else {}
            return automatic
        capture = automatic.capture
        if not capture.certified:
            notes.append(gettext("自动监测系统未标记符合 HJ 75/HJ 355，数据不用于核算"))
        else:
            notes.append(
                gettext("季度有效数据捕集率 %(rate)s%% < 75%%，自动监测数据不用于核算")
                % {"rate": f"{capture.rate * 100:.1f}"}
            )
    chosen = _manual(ledger, outlet, pollutant, month)
    if chosen is not None and estimate is not None:
        chosen.by_source = estimate.by_source
    chosen = chosen or estimate
    if chosen is not None:
        chosen.notes = notes + chosen.notes
        chosen.capture = automatic.capture if automatic else None
    return chosen


def account(outlet: Outlet, pollutant: str, year: int, month: int) -> Result | None:
    """The month's emission of one pollutant at one outlet by the best usable method, or None without data."""
    return _account(Ledger(outlet.permit, year, [month]), outlet, pollutant, month)


def outlet_pollutants(outlet: Outlet) -> list[str]:
    limited = set(outlet.limits.values_list("pollutant", flat=True))
    linked = set(SourceOutlet.objects.filter(outlet_code=outlet.code).values_list("pollutant", flat=True))
    return sorted(limited | linked)


def results_by_month(permit: Permit, year: int, months: list[int]) -> dict[int, list[Result]]:
    """Each month's results (outlet × pollutant by the best usable method), read set-wise in a few queries."""
    if not months:
        return {}
    ledger = Ledger(permit, year, months)
    by_month = {}
    for month in months:
        results = []
        for outlet in ledger.outlets:
            for pollutant in ledger.pollutants(outlet):
                if (result := _account(ledger, outlet, pollutant, month)) is not None:
                    results.append(result)
        by_month[month] = results
    return by_month


def month_results(permit: Permit, year: int, month: int) -> list[Result]:
    return results_by_month(permit, year, [month])[month]
