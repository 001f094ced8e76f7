"""The workspace activity list costs the same number of queries for 5 records as for 50 (no N+1): each row's
source, author, import link and parameters come with the page, not one query per row."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from steward.carbon import services as carbon
from tenants.models import Enterprise, User

pytestmark = pytest.mark.django_db
PERIODS = [(year, month) for year in range(2020, 2025) for month in range(1, 13)]


def _enter(source, periods, filer) -> None:
    for year, month in periods:
        record = carbon.record_activity(
            source=source,
            year=year,
            month=month,
            quantity=Decimal("100"),
            unit="t",
            data_source="production_metering",
            parameters=[carbon.ParameterInput("ncv", Decimal("21"), "GJ/t")],
            entered_by=filer,
        )
        if month % 4 == 0:  # some corrections too: every version is listed
            carbon.correct_activity(
                record=record,
                quantity=Decimal("101"),
                unit="t",
                data_source="production_metering",
                reason="复核",
                entered_by=filer,
            )


def _queries_for_page(client, code: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/e/cx-power/api/v1/activity/?source={code}&limit=100")
    assert response.status_code == 200
    return len(response.json()["results"]), len(captured)


def test_activity_list_queries_do_not_grow_with_the_rows(client):
    enterprise = Enterprise.objects.get(slug="cx-power")
    filer = User.objects.get(username="power.filer")
    with schema_context(enterprise.schema_name):
        facility = carbon.add_facility(code="QC1", name="计数锅炉", kind="boiler")
        source = carbon.add_source(
            facility=facility,
            code="QC1-COAL",
            name="计数用煤",
            kind="fuel_combustion",
            fuel_code="bituminous_coal",
            unit="t",
        )
        _enter(source, PERIODS[:4], filer)
    client.force_login(filer)
    few_rows, few_queries = _queries_for_page(client, "QC1-COAL")
    with schema_context(enterprise.schema_name):
        _enter(source, PERIODS[4:40], filer)
    many_rows, many_queries = _queries_for_page(client, "QC1-COAL")
    assert (few_rows, many_rows) == (5, 50)
    assert many_queries == few_queries, (few_queries, many_queries)
