"""The year's accounting read set-wise (accounting.Ledger, results_by_month) gives exactly the figures of the
per-month path it replaced (reference_accounting.py, the old code verbatim), in a number of queries that does not
grow with the months."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.evidence.models import EvidenceFile
from steward.pollution import imports, inventory, services
from steward.pollution.accounting import Method, month_results, results_by_month

from . import reference_accounting as reference

pytestmark = pytest.mark.django_db

LAST = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
HEADER = "监测时间,流量(m3/d),COD(mg/L),运行状态\n"


def _figures(results) -> list[tuple]:
    return [
        (
            r.outlet_code,
            r.pollutant,
            r.year,
            r.month,
            r.tonnes,
            r.method,
            r.method_label,
            r.basis,
            r.notes,
            r.by_source,
            (r.capture.valid_periods, r.capture.required_periods, r.capture.certified) if r.capture else None,
            r.as_json(),
        )
        for r in results
    ]


def _assert_same_year(permit, year: int, months: list[int]) -> list[tuple]:
    old = [row for month in months for row in _figures(reference.month_results(permit, year, month))]
    by_month = results_by_month(permit, year, months)
    assert list(by_month) == months
    new = [row for month in months for row in _figures(by_month[month])]
    assert new == old
    # a single month through the same code, as the month page and compliance read it
    for month in months:
        assert _figures(month_results(permit, year, month)) == _figures(by_month[month])
    return new


def test_demo_power_plant_year_equals_the_per_month_path(power_quarter):
    """The demo as built: CEMS for the quarter to date (automatic), coefficient estimates on the other months."""
    figures = _assert_same_year(power_quarter["permit"], LAST.year, list(range(1, LAST.month + 1)))
    methods = {row[5] for row in figures}
    assert Method.AUTOMATIC in methods and Method.COEFFICIENT in methods
    assert any(row[4] > 0 for row in figures)


def test_manual_fallback_uncertified_and_capture_rate_months_equal_the_per_month_path(power):
    """2025 at DW001: January at 71.4 % capture with a lab report (manual), February uncertified (no result),
    March at 75 % certified (automatic); the certification covers only January to March."""
    outlet = power["permit"].outlets.get(code="DW001")
    rows = [f"2025-01-{day:02d},5000,40,运行" for day in range(1, 21)]
    rows += [f"2025-01-{day:02d},,,停运" for day in (22, 23, 24)]
    rows += [f"2025-02-{day:02d},5000,40,运行" for day in range(1, 29)]
    rows += [f"2025-03-{day:02d},5100,41,运行" for day in range(1, 32)]
    imports.confirm(
        data=(HEADER + "\n".join(rows) + "\n").encode(),
        file_name="q1.csv",
        outlet=outlet,
        interval="day",
        by=power["filer"],
    )
    services.certify_cems(
        outlet_code="DW001",
        standard="HJ 355-2019",
        valid_from=datetime.date(2025, 1, 1),
        valid_to=datetime.date(2025, 1, 31),
        by=power["filer"],
    )
    for day, concentration in ((15, D("50")), (28, D("45.5"))):
        services.record_manual_result(
            outlet_code="DW001",
            pollutant="COD",
            sampled_on=datetime.date(2025, 1, day),
            concentration=concentration,
            flow=D("4000"),
            report_number=f"HZJC-2025-01{day}",
            evidence=EvidenceFile.objects.first(),
            by=power["filer"],
        )
    figures = _assert_same_year(power["permit"], 2025, [1, 2, 3, 4])
    cod = {row[3]: row for row in figures if row[:2] == ("DW001", "COD")}
    assert cod[1][5] == Method.MANUAL and cod[1][8] == [
        "季度有效数据捕集率 71.4% < 75%，自动监测数据不用于核算"
    ]
    assert 2 not in cod  # uncertified, no manual result, no fuel linked to a water outlet


def test_coefficient_year_of_the_paper_mill_equals_the_per_month_path(paper):
    figures = _assert_same_year(paper["permit"], LAST.year, list(range(1, 13)))
    assert {row[5] for row in figures} == {Method.COEFFICIENT}


def _pollution_queries(queries) -> int:
    return sum(
        1 for query in queries if "pollution_" in query["sql"] or "carbon_activityrecord" in query["sql"]
    )


def test_accounting_queries_do_not_grow_with_the_months(power_quarter):
    permit, counts = power_quarter["permit"], []
    results_by_month(permit, LAST.year, [LAST.month])  # warm: the first query of a test sets the search path
    for months in ([LAST.month], list(range(1, LAST.month + 1)), list(range(1, 13))):
        with CaptureQueriesContext(connection) as queries:
            results_by_month(permit, LAST.year, months)
        counts.append(len(queries))
        with CaptureQueriesContext(connection) as queries:
            inventory.build(permit, LAST.year, months, runs={})  # the carbon half given: the pollutant half
        counts.append(len(queries))
    assert counts[0] == counts[2] == counts[4] <= 8, counts
    assert counts[1] == counts[3] == counts[5] <= counts[0] + 3, counts


def test_inventory_page_reads_the_pollutant_half_in_the_queries_of_one_month(power_quarter, user_client):
    """The page shows every month to date; its pollutant accounting costs what one month costs (the carbon half
    still reads each month's current run)."""
    results_by_month(power_quarter["permit"], LAST.year, [LAST.month])  # warm
    with CaptureQueriesContext(connection) as one_month:
        results_by_month(power_quarter["permit"], LAST.year, [LAST.month])
    client = user_client("power.admin")
    with CaptureQueriesContext(connection) as page:
        response = client.get(f"/e/cx-power/inventory/{LAST.year}/")
    assert response.status_code == 200
    # 7 reads for the accounting of any number of months; the page adds its permit lookup (367 queries in all
    # before, with the per-month path; 50 now at 11 months)
    assert _pollution_queries(page.captured_queries) <= _pollution_queries(one_month.captured_queries) + 2
    assert len(page) <= 55, [q["sql"][:80] for q in page.captured_queries]
