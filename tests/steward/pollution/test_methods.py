"""Formulas with the arithmetic written out: air, water, coefficient, reference oxygen, capture rate, deadlines."""

import datetime
from decimal import Decimal as D

import pytest

from steward.carbon.units import UnitError
from steward.pollution.capture import Capture, automatic_data_usable, required_periods
from steward.pollution.coefficients import coefficient_for
from steward.pollution.compliance import cumulative_status
from steward.pollution.deadlines import execution_report_deadline, period_months
from steward.pollution.methods import air_mass_t, coefficient_mass_t, oxygen_corrected, water_mass_t
from steward.pollution.reconciliation import compare


def test_air_mass_concentration_times_flow_times_hours():
    # 30 mg/m³ × 2 000 000 m³/h × 720 h × 10⁻⁹ = 43.2 t
    assert air_mass_t(D("30"), "mg/m3", D("2000000"), "m3/h", D("720")) == D("43.2")


def test_water_mass_concentration_times_flow_times_days():
    # 40 mg/L × 5 000 m³/d × 30 d × 10⁻⁶ = 6 t
    assert water_mass_t(D("40"), "mg/L", D("5000"), "m3/d", D("30")) == D("6")


def test_units_are_checked_not_guessed():
    with pytest.raises(UnitError) as error:
        air_mass_t(D("30"), "mg/L", D("2000000"), "m3/h", D("1"))
    assert error.value.code == "wrong_unit" and "mg/m3" in error.value.message
    with pytest.raises(UnitError):
        water_mass_t(D("40"), "mg/L", D("5000"), "m3/h", D("1"))


def test_coefficient_method_with_removal_and_operating_rate():
    # 10 000 t × 16 kg/t × (1 − 0.95 × 0.9) / 1000 = 160 × 0.145 = 23.2 t
    assert coefficient_mass_t(D("10000"), D("16"), D("0.95"), D("0.9")) == D("23.2")
    with pytest.raises(UnitError):
        coefficient_mass_t(D("1"), D("1"), D("1.2"), D("1"))


def test_sulphur_balance_replaces_the_default_so2_coefficient():
    # 2 × 0.8 × 10 kg/t per % sulphur × 0.8 % = 12.8 kg/t
    assert coefficient_for("bituminous_coal", "SO2", D("0.8")).kg_per_unit == D("12.8")
    assert coefficient_for("bituminous_coal", "SO2").kg_per_unit == D("16.0")
    assert coefficient_for("natural_gas", "COD") is None


def test_reference_oxygen_correction():
    # 62 mg/m³ at 6.5 % O2 to 6 %: 62 × (21 − 6) / (21 − 6.5) = 62 × 15 / 14.5 = 64.137…
    assert oxygen_corrected(D("62"), D("6.5"), D("6")).quantize(D("0.001")) == D("64.138")
    # 48 at 8 % to 6 %: 48 × 15 / 13 = 55.38 (an exceedance of 50 that the raw value hides)
    assert oxygen_corrected(D("48"), D("8"), D("6")) > D("50")
    with pytest.raises(UnitError):
        oxygen_corrected(D("48"), D("21"), D("6"))


def test_capture_rate_gate_is_75_percent_and_needs_certification():
    assert Capture(749, 1000, True).rate == D("0.749")
    assert not Capture(749, 1000, True).usable  # 74.9 %
    assert Capture(750, 1000, True).usable  # 75 %
    assert not Capture(1000, 1000, False).usable  # not marked compliant with HJ 75 / HJ 355
    assert not automatic_data_usable(D("0.7499"), True)
    # Q4 to the end of October: 31 days × 24 h = 744 hours, 6 stopped → 738 expected
    assert required_periods(datetime.date(2026, 10, 1), datetime.date(2026, 11, 1), 1, 6) == 738
    assert required_periods(datetime.date(2026, 10, 1), datetime.date(2026, 11, 1), 24, 0) == 31


def test_execution_report_deadlines_on_the_15th():
    assert execution_report_deadline("monthly", 2026, 10) == datetime.date(2026, 11, 15)
    assert execution_report_deadline("monthly", 2026, 12) == datetime.date(2027, 1, 15)
    assert execution_report_deadline("quarterly", 2026, 1) == datetime.date(2026, 4, 15)
    assert execution_report_deadline("quarterly", 2026, 4) == datetime.date(2027, 1, 15)
    assert execution_report_deadline("semiannual", 2026, 1) == datetime.date(2026, 7, 15)
    assert execution_report_deadline("semiannual", 2026, 2) == datetime.date(2027, 1, 15)
    assert execution_report_deadline("annual", 2026, 1) == datetime.date(2027, 1, 15)
    assert list(period_months("quarterly", 3)) == [7, 8, 9]
    with pytest.raises(ValueError):
        execution_report_deadline("quarterly", 2026, 5)


def test_cumulative_status_warns_at_80_percent_with_months_left():
    # 560 of 700 t after 10 months is exactly 80 %: warning (December still to come)
    assert cumulative_status(D("560"), D("700"), 10) == "warning"
    # 500 t after 10 months: 71 %, projected 600 t for the year: fine
    assert cumulative_status(D("500"), D("700"), 10) == "ok"
    # 400 t after 6 months: 57 %, but projected 800 t > 700 t: warning
    assert cumulative_status(D("400"), D("700"), 6) == "warning"
    assert cumulative_status(D("700.01"), D("700"), 12) == "exceeded"
    assert cumulative_status(D("690"), D("700"), 12) == "ok"


def test_reconciliation_compares_in_the_declared_unit():
    # carbon side 3 600 t, report says 3 550 t: 50 t more recorded than declared
    assert compare(D("3550"), "t", D("3600"), "t") == D("50")
    # 3.6 10^4 t is 36 000 t
    assert compare(D("36000"), "t", D("3.6"), "10^4 t") == D("0")
    with pytest.raises(UnitError):
        compare(D("1"), "t", D("1"), "MWh")


def test_stored_sulphur_is_converted_to_percent_as_received_before_the_sulphur_balance():
    from steward.pollution.coefficients import sulphur_as_received_pct

    # entered as a fraction 0.0080 (0.8 %), air-dried; M_ar 12 %, M_ad 2 %:
    # S_ar = 0.8 % × 0.88 / 0.98 = 0.71837 %; SO2 = 16 × 0.71837 = 11.494 kg/t (not 16 × 0.008 = 0.128, 100× low)
    stored = {
        "sulphur_ad": (D("0.0080"), "fraction"),
        "moisture_ar": (D("12"), "%"),
        "moisture_ad": (D("2"), "%"),
    }
    pct, basis = sulphur_as_received_pct(stored)
    assert pct.quantize(D("0.00001")) == D("0.71837") and "S_ad" in basis
    assert coefficient_for("bituminous_coal", "SO2", pct, basis).kg_per_unit.quantize(D("0.001")) == D(
        "11.494"
    )
    # without the moisture pair the air-dried value is used (higher, conservative): 16 × 0.8 = 12.8 kg/t
    pct, _ = sulphur_as_received_pct({"sulphur_ad": (D("0.8"), "%")})
    assert coefficient_for("bituminous_coal", "SO2", pct).kg_per_unit == D("12.8")
    assert sulphur_as_received_pct({}) is None
