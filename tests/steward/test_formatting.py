"""Numbers and times as people read them (steward/formatting.py): no exponent, grouped, per-unit decimals."""

import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steward import formatting


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (D("8.5E+2"), "t", "850.00"),
        (D("1.2288E+5"), "t", "122,880.00"),
        (D("3523948.52"), "tCO2", "3,523,948.52"),
        (D("778403.9520"), "tCO2", "778,403.95"),
        (D("0.005"), "t", "0.01"),  # half up, as notices round (Python's half-even would give 0.00)
        (D("23.525"), "GJ/t", "23.525"),
        (D("0.5230"), None, "0.523"),
        (D("1E-7"), None, "0"),
        (D("-0.001"), "t", "0.00"),
        (None, "t", "—"),
        ("", "t", "—"),
        ("abc", "t", "—"),
        (D("NaN"), "t", "—"),
    ],
)
def test_quantities_read_as_people_write_them(value, unit, shown):
    assert formatting.quantity(value, unit) == shown


def test_plain_values_for_inputs_have_no_exponent_and_no_grouping():
    assert formatting.plain(D("8.5E+2")) == "850"
    assert formatting.plain(D("1.2288E+5")) == "122880"
    assert formatting.plain(D("0.00520")) == "0.0052"
    assert formatting.plain(None) == ""


def test_city_totals_in_wan_tonnes():
    assert formatting.wan_tonnes(D("3523948.52")) == "352.39 万吨"
    assert formatting.wan_tonnes(D("9999.994")) == "9,999.99 吨"


def test_city_totals_in_english_are_grouped_tonnes_without_wan():
    from django.utils import translation

    with translation.override("en"):
        assert formatting.wan_tonnes(D("3334309.41")) == "3,334,309 t"  # was "333.43 ×10⁴ t"
        assert formatting.wan_tonnes(D("9999.994")) == "9,999.99 t"


def test_percent_and_beijing_time():
    assert formatting.percent(D("0.925")) == "92.5%"
    moment = datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC)
    assert formatting.beijing(moment) == "2027-01-01 00:30"  # the new year has begun in Huzhou


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**15), max_value=10**15))
def test_no_exponent_ever_and_the_plain_text_is_the_value(number):
    assert "E" not in formatting.quantity(number, "t").upper()
    assert "E" not in formatting.plain(number).upper()
    assert D(formatting.plain(number)) == number
