"""The annual calculation over sealed monthly figures (plain functions, no database)."""

from decimal import Decimal as D

from steward.annual.calculation import MonthFigures, annual_totals


def _line(key: str, tco2: str) -> dict:
    return {"key": key, "label": key, "category": "process", "tco2": tco2}


def test_the_year_adds_up_the_totals_the_months_sealed_not_their_rounded_lines():
    # Each month: lines 0.004 + 0.004 + 0.004 unrounded, written as 0.00 each, sealed total 0.01.
    months = [
        MonthFigures(month, [_line("a", "0.00"), _line("b", "0.00"), _line("c", "0.00")], D("0.01"))
        for month in range(1, 13)
    ]
    totals = annual_totals(months)
    assert totals.total_tco2 == D("0.12")
    assert sum(line["tco2"] for line in totals.lines) == D(0)  # the lines are the breakdown, as rounded
    assert totals.monthly_tco2 == {month: D("0.01") for month in range(1, 13)}


def test_the_intensity_divides_the_year_total_by_the_year_output():
    months = [
        MonthFigures(1, [_line("clinker", "1000.00")], D("1000.00"), {"clinker_output": (D(2000), "t")}),
        MonthFigures(2, [_line("clinker", "500.00")], D("500.00"), {"clinker_output": (D(1000), "t")}),
    ]
    totals = annual_totals(months)
    assert totals.total_tco2 == D("1500.00") and totals.lines[0]["tco2"] == D("1500.00")
    (clinker,) = totals.intensities
    assert clinker["value"] == D("0.5000") and clinker["denominator"] == D(3000)
