"""Accounting in priority order with worked numbers; exceedances and cumulative amounts on the demo data."""

import calendar
import datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.utils import timezone

from steward.demo.period import last_month
from steward.demo.pollution import quarter_to_date
from steward.evidence.models import EvidenceFile
from steward.pollution import imports, services
from steward.pollution.accounting import Method, account, quarter_capture
from steward.pollution.compliance import cumulative, exceedances

HEADER = "监测时间,流量(m3/d),COD(mg/L),运行状态\n"
LAST = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)  # last month, as in the demo


def _january_2025(power, valid_days: int) -> None:
    """Jan 2025 at DW001: `valid_days` days of COD 40 mg/L at 5 000 m³/d, 22–24 Jan stopped, the rest missing."""
    rows = [f"2025-01-{day:02d},5000,40,运行" for day in range(1, valid_days + 1)]
    rows += [f"2025-01-{day:02d},,,停运" for day in (22, 23, 24)]
    outlet = power["permit"].outlets.get(code="DW001")
    imports.confirm(
        data=(HEADER + "\n".join(rows) + "\n").encode(),
        file_name="jan.csv",
        outlet=outlet,
        interval="day",
        by=power["filer"],
    )
    services.certify_cems(
        outlet_code="DW001",
        standard="HJ 355-2019",
        valid_from=datetime.date(2025, 1, 1),
        valid_to=datetime.date(2025, 12, 31),
        by=power["filer"],
    )


def test_automatic_data_at_75_percent_capture_are_used(power):
    _january_2025(power, 21)
    capture = quarter_capture("DW001", "COD", 2025, 1)
    assert (capture.valid_periods, capture.required_periods) == (21, 28)  # 31 days − 3 stopped; 21/28 = 75 %
    result = account(power["permit"].outlets.get(code="DW001"), "COD", 2025, 1)
    # 21 days × 40 mg/L × 5 000 m³/d × 10⁻⁶ = 4.2 t
    assert (result.method, result.tonnes) == (Method.AUTOMATIC, D("4.2"))


def test_below_75_percent_falls_back_to_manual_monitoring(power):
    _january_2025(power, 20)  # 20/28 = 71.4 %
    lab = EvidenceFile.objects.first()
    services.record_manual_result(
        outlet_code="DW001",
        pollutant="COD",
        sampled_on=datetime.date(2025, 1, 15),
        concentration=D("50"),
        flow=D("4000"),
        report_number="HZJC-2025-0115",
        evidence=lab,
        by=power["filer"],
    )
    result = account(power["permit"].outlets.get(code="DW001"), "COD", 2025, 1)
    # the unit ran 20 days (non-stopped rows): 50 mg/L × 4 000 m³/d × 20 d × 10⁻⁶ = 4.0 t
    assert (result.method, result.tonnes) == (Method.MANUAL, D("4.0"))
    assert result.notes == ["季度有效数据捕集率 71.4% < 75%，自动监测数据不用于核算"]
    assert "HZJC-2025-0115" in result.basis


def test_uncertified_system_is_not_used_and_without_other_data_there_is_no_result(power):
    outlet = power["permit"].outlets.get(code="DW001")
    rows = "\n".join(f"2025-02-{day:02d},5000,40,运行" for day in range(1, 29))
    imports.confirm(
        data=(HEADER + rows + "\n").encode(),
        file_name="feb.csv",
        outlet=outlet,
        interval="day",
        by=power["filer"],
    )
    assert quarter_capture("DW001", "COD", 2025, 2).certified is False
    assert account(outlet, "COD", 2025, 2) is None  # no manual result, no linked fuel for a water outlet


def test_coefficient_method_on_the_fuel_recorded_once_on_the_carbon_side(paper):
    outlet = paper["permit"].outlets.get(code="DA001")
    so2 = account(outlet, "SO2", LAST.year, 1)
    # 3 600 t × 16 kg/t × (1 − 0.90 × 0.95) / 1000 = 57.6 × 0.145 = 8.352 t
    assert (so2.method, so2.tonnes) == (Method.COEFFICIENT, D("8.352"))
    nox = account(outlet, "NOx", LAST.year, 1)
    # 3 600 t × 5.37 kg/t × (1 − 0.50 × 0.95) / 1000 = 19.332 × 0.525 = 10.1493 t
    assert nox.tonnes == D("10.1493")


def test_last_month_uses_certified_cems(power_quarter):
    """The demo imports every month of last month's quarter up to it, so the quarter's capture rate allows
    automatic data in each month of a quarter (it fell back to coefficients in the second and third)."""
    outlet = power_quarter["permit"].outlets.get(code="DA001")
    result = account(outlet, "SO2", LAST.year, LAST.month)
    assert result.method == Method.AUTOMATIC
    hours = [calendar.monthrange(LAST.year, m)[1] * 24 for m in quarter_to_date(LAST.month)]
    assert result.capture.valid_periods == sum(h - 8 for h in hours)  # each month: 6 stopped, 2 in fault
    assert result.capture.required_periods == sum(h - 6 for h in hours)


@pytest.mark.parametrize("today", ["2027-01-01", "2027-02-14", "2027-03-31", "2027-06-30"])
def test_each_month_of_a_quarter_is_accounted_from_cems(today):
    """First, middle and last month of a quarter, and January (last month is December of the year before)."""
    with time_machine.travel(datetime.datetime.fromisoformat(today + "T10:00+08:00"), tick=False):
        year, month = last_month()
    assert (
        list(quarter_to_date(month))
        == {
            12: [10, 11, 12],
            1: [1],
            2: [1, 2],
            5: [4, 5],
        }[month]
    )
    assert year == (2026 if month == 12 else 2027)


def test_one_exceedance_after_reference_oxygen_correction(power, paper):
    found = exceedances(paper["permit"], LAST.year, LAST.month)
    assert len(found) == 1
    (hit,) = found
    # 230 mg/m³ at 10.2 % O2 to 9 %: 230 × 12 / 10.8 = 255.6 > 200
    assert (hit.pollutant, hit.measured, hit.compared.quantize(D("0.1")), hit.limit) == (
        "SO2",
        D("230"),
        D("255.6"),
        D("200"),
    )


def test_cumulative_against_permitted_amounts(paper):
    year = LAST.year
    rows = {c.pollutant: c for c in cumulative(paper["permit"], year, 1)}
    assert rows["SO2"].tonnes == D("8.352") and rows["SO2"].permitted == D("95")
    assert rows["SO2"].status == "warning"  # 8.352 × 12 = 100.2 t projected > 95 t
    assert rows["NOx"].status == "ok"  # 10.1493 × 12 = 121.8 t < 150 t
    assert rows["COD"].tonnes == 0
