"""The per-month accounting as it was before the set-wise ledger (commit 1665d05), kept verbatim as the reference the
set-wise path is checked against: every query per outlet × pollutant × month."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

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
    LABELS = {AUTOMATIC: "自动监测", MANUAL: "手工监测", COEFFICIENT: "产排污系数法"}


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


def quarter_capture(outlet_code: str, pollutant: str, year: int, month: int) -> Capture:
    """Valid periods over the periods the unit ran in the quarter up to the end of `month` (the whole quarter
    once its last month is accounted); missing rows count as not captured, stopped periods are not expected."""
    start = quarter_bounds(year, quarter_of(month))[0]
    end = _month_bounds(year, month)[1]
    rows = list(_readings(outlet_code, pollutant, start, end))
    hours = rows[0].hours if rows else 1
    stopped = sum(1 for row in rows if row.status == OperatingStatus.STOPPED)
    return Capture(
        valid_periods=sum(1 for row in rows if row.valid),
        required_periods=required_periods(start, end, hours, stopped),
        certified=certified(outlet_code, start, end),
    )


def _automatic(outlet: Outlet, pollutant: str, year: int, month: int) -> Result | None:
    rows = [row for row in _readings(outlet.code, pollutant, *_month_bounds(year, month)) if row.valid]
    if not rows:
        return None
    capture = quarter_capture(outlet.code, pollutant, year, month)
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


def operating_hours(outlet_code: str, year: int, month: int) -> Decimal:
    """Hours the unit ran in the month: from the monitoring status rows when there are any, else the whole month."""
    rows = MonitoringReading.objects.filter(
        outlet_code=outlet_code,
        starts_at__gte=_aware(_month_bounds(year, month)[0]),
        starts_at__lt=_aware(_month_bounds(year, month)[1]),
    ).exclude(status=OperatingStatus.STOPPED)
    periods = {(row.starts_at, row.hours) for row in rows.only("starts_at", "hours")}
    if periods:
        return Decimal(sum(hours for _start, hours in periods))
    return Decimal(calendar.monthrange(year, month)[1] * 24)


def _manual(outlet: Outlet, pollutant: str, year: int, month: int) -> Result | None:
    start, end = _month_bounds(year, month)
    samples = list(
        ManualMonitoring.objects.filter(
            outlet_code=outlet.code, pollutant=pollutant, sampled_on__gte=start, sampled_on__lt=end
        )
    )
    if not samples:
        return None
    concentration = sum((s.concentration for s in samples), Decimal(0)) / len(samples)
    flow = sum((s.flow for s in samples), Decimal(0)) / len(samples)
    hours = operating_hours(outlet.code, year, month)
    reports = "、".join(sorted({s.report_number for s in samples}))
    if outlet.medium == Medium.AIR:
        tonnes = air_mass_t(concentration, "mg/m3", flow, "m3/h", hours)
        basis = f"C̄={concentration} mg/m³ × Q̄={flow} m³/h × {hours} h × 10⁻⁹（报告 {reports}）"
    else:
        tonnes = water_mass_t(concentration, "mg/L", flow, "m3/d", hours / 24)
        basis = f"C̄={concentration} mg/L × Q̄={flow} m³/d × {hours / 24} d × 10⁻⁶（报告 {reports}）"
    return Result(outlet.code, pollutant, year, month, tonnes, Method.MANUAL, basis)


def current_activity(source_id: int, year: int, month: int) -> ActivityRecord | None:
    return (
        ActivityRecord.objects.filter(source_id=source_id, year=year, month=month)
        .prefetch_related("parameters")
        .order_by("-version")
        .first()
    )


def coefficient_estimate(outlet_code: str, pollutant: str, year: int, month: int) -> Result | None:
    """Σ over the fuels burned into the outlet: activity × coefficient × (1 − η × k)."""
    links = SourceOutlet.objects.filter(outlet_code=outlet_code, pollutant=pollutant).select_related("source")
    by_source, parts, notes = {}, [], []
    for link in links:
        record = current_activity(link.source_id, year, month)
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
        outlet_code, pollutant, year, month, total, Method.COEFFICIENT, "；".join(parts) + " ÷ 1000"
    )
    result.by_source, result.notes = by_source, notes
    return result


def account(outlet: Outlet, pollutant: str, year: int, month: int) -> Result | None:
    """The month's emission of one pollutant at one outlet by the best usable method, or None without data."""
    notes = []
    automatic = _automatic(outlet, pollutant, year, month)
    estimate = coefficient_estimate(outlet.code, pollutant, year, month)
    if automatic is not None:
        if automatic.capture.usable:
            automatic.by_source = estimate.by_source if estimate else {}
            return automatic
        capture = automatic.capture
        if not capture.certified:
            notes.append("自动监测系统未标记符合 HJ 75/HJ 355，数据不用于核算")
        else:
            notes.append(f"季度有效数据捕集率 {capture.rate * 100:.1f}% < 75%，自动监测数据不用于核算")
    chosen = _manual(outlet, pollutant, year, month)
    if chosen is not None and estimate is not None:
        chosen.by_source = estimate.by_source
    chosen = chosen or estimate
    if chosen is not None:
        chosen.notes = notes + chosen.notes
        chosen.capture = automatic.capture if automatic else None
    return chosen


def outlet_pollutants(outlet: Outlet) -> list[str]:
    limited = set(outlet.limits.values_list("pollutant", flat=True))
    linked = set(SourceOutlet.objects.filter(outlet_code=outlet.code).values_list("pollutant", flat=True))
    return sorted(limited | linked)


def month_results(permit: Permit, year: int, month: int) -> list[Result]:
    results = []
    for outlet in permit.outlets.prefetch_related("limits"):
        for pollutant in outlet_pollutants(outlet):
            if (result := account(outlet, pollutant, year, month)) is not None:
                results.append(result)
    return results
