"""Twelve people correcting one figure at the same moment: one new version, a conflict for everyone else.

Real threads, each with its own PostgreSQL connection, over committed data (the per-test transaction would
hide the rows from the other connections); the rows made here are removed afterwards.
"""

import json
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django_tenants.utils import schema_context

from steward.carbon import services as carbon
from steward.carbon.models import ActivityRecord, EmissionSource
from tenants.models import Enterprise, User

YEAR, MONTH = 2019, 1  # no demo filing or record for cx-power in this month
WRITERS = 12


@pytest.fixture
def committed_figure(django_db_setup, django_db_blocker):
    """cx-power's coal, January 2019: version 1 (500 t), committed; removed again at the end."""
    with django_db_blocker.unblock():
        enterprise = Enterprise.objects.get(slug="cx-power")
        filer = User.objects.get(username="power.filer")
        with schema_context(enterprise.schema_name):
            source = EmissionSource.objects.filter(kind="fuel_combustion").order_by("pk").first()
            carbon.record_activity(
                source=source,
                year=YEAR,
                month=MONTH,
                quantity=Decimal("500"),
                unit=source.unit,
                data_source="production_metering",
                entered_by=filer,
            )
        try:
            yield {"enterprise": enterprise, "source": source, "filer": filer}
        finally:
            with schema_context(enterprise.schema_name), connection.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute("SET LOCAL session_replication_role = replica")  # append-only off, to clean up
                cursor.execute(
                    "DELETE FROM carbon_activityrecord WHERE source_id = %s AND year = %s AND month = %s",
                    [source.pk, YEAR, MONTH],
                )
                cursor.execute("COMMIT")
            connection.set_schema_to_public()


def _in_parallel(count: int, request) -> list:
    """Run `request(i)` in `count` threads released together; each thread has its own connection."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = request(index)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def _versions(figure) -> list[tuple[int, int | None]]:
    with schema_context(figure["enterprise"].schema_name):
        rows = ActivityRecord.objects.filter(source=figure["source"], year=YEAR, month=MONTH).order_by(
            "version"
        )
        return [(row.version, row.supersedes.version if row.supersedes else None) for row in rows]


def _api_post(figure, body: dict):
    def post(index: int):
        client = Client()  # one session per writer
        client.force_login(figure["filer"])
        response = client.post(
            "/e/cx-power/api/v1/activity/",
            json.dumps({**body, "quantity": str(510 + index)}),
            content_type="application/json",
        )
        return response.status_code, response.json()

    return post


def test_twelve_parallel_corrections_of_one_version_give_one_version_and_eleven_409s(committed_figure):
    figure = committed_figure
    body = {
        "source": figure["source"].code,
        "year": YEAR,
        "month": MONTH,
        "unit": figure["source"].unit,
        "data_source": "production_metering",
        "reason": "复核计量记录",
        "version": 1,
    }
    results = _in_parallel(WRITERS, _api_post(figure, body))
    statuses = sorted(status for status, _body in results)
    assert statuses == [201] + [409] * (WRITERS - 1), results
    codes = {body["non_field_errors"][0]["code"] for status, body in results if status == 409}
    assert codes == {"stale_version"}
    assert _versions(figure) == [(1, None), (2, 1)]


def test_parallel_corrections_without_a_version_never_500_nor_fork_the_chain(committed_figure):
    """Without a stated version each request corrects what it read: the losers of a race get a 409, later
    ones correct the newer version, and the versions stay one linear chain (never two version 2s)."""
    figure = committed_figure
    body = {
        "source": figure["source"].code,
        "year": YEAR,
        "month": MONTH,
        "unit": figure["source"].unit,
        "data_source": "production_metering",
        "reason": "复核计量记录",
    }
    results = _in_parallel(WRITERS, _api_post(figure, body))
    statuses = [status for status, _body in results]
    assert set(statuses) <= {201, 409} and statuses.count(201) >= 1, results
    versions = _versions(figure)
    assert versions == [(n, n - 1 if n > 1 else None) for n in range(1, statuses.count(201) + 2)]


def test_parallel_page_corrections_give_one_version_and_a_chinese_conflict_message(committed_figure):
    """Six open tabs showing version 1, saved at once: one saves, five are told in Chinese to reload."""
    figure, source = committed_figure, committed_figure["source"]

    def post(index: int):  # every tab shows version 1 (the form's hidden version field) and saves it
        client = Client()
        client.force_login(figure["filer"])
        page = client.post(
            f"/e/cx-power/carbon/{YEAR}/{MONTH}/",
            {
                "source": source.pk,
                f"s{source.pk}-quantity": str(600 + index),
                f"s{source.pk}-unit": source.unit,
                f"s{source.pk}-data_source": "production_metering",
                f"s{source.pk}-reason": "复核",
                f"s{source.pk}-version": "1",
            },
        )
        return page.status_code, page.content.decode()

    results = _in_parallel(6, post)
    assert sorted(status for status, _page in results) == [200] * 5 + [302], [r[0] for r in results]
    assert all("已有更新的第2版，请基于最新版本更正" in page for status, page in results if status == 200)
    assert _versions(figure) == [(1, None), (2, 1)]
