"""A change re-projects only what it can affect: a filing step does not re-read the pollution monitoring (it
cost ~250 of the 458 statements of a submit), and the pollution figures it leaves alone stay as stored."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from steward import events
from steward.demo.pollution import build_power_plant
from steward.oversight import projection
from steward.oversight.models import Metric
from tenants.models import Enterprise, User

pytestmark = pytest.mark.django_db


def _power():
    return Enterprise.objects.select_related("workspace").get(slug="cx-power")


def _pollution_metrics():
    return set(
        Metric.objects.filter(enterprise__slug="cx-power", domain="pollution").values_list(
            "key", "year", "month", "value"
        )
    )


def _load_pollution():
    last = timezone.localdate().replace(day=1) - timezone.timedelta(days=1)
    with schema_context(_power().schema_name):
        build_power_plant(
            last.year, last.month, User.objects.get(username="power.filer"), cems_months=[last.month]
        )
    connection.set_schema_to_public()


def test_a_filing_change_keeps_the_pollution_metrics_without_reading_the_monitoring_data():
    _load_pollution()  # publishes permit and monitoring events: the pollution metrics are projected
    stored = _pollution_metrics()
    assert stored, "the demo month has monitoring data"
    with CaptureQueriesContext(connection) as queries:
        projection.refresh_schema(_power().schema_name, kinds=frozenset({"filing"}))
    assert not [q for q in queries.captured_queries if "pollution_monitoringreading" in q["sql"]]
    assert _pollution_metrics() == stored
    assert projection.check([_power()]) == []  # nothing the partial refresh kept is stale

    with CaptureQueriesContext(connection) as queries:
        projection.refresh_schema(_power().schema_name, kinds=frozenset({"pollution"}))
    assert [q for q in queries.captured_queries if "pollution_monitoringreading" in q["sql"]]
    assert _pollution_metrics() == stored


def test_the_kinds_of_one_unit_of_work_are_refreshed_together_once():
    calls = []
    with events.unit_of_work():
        for kind in ("filing", "compliance", "filing"):
            events.collect_per_unit(("test", "ent"), kind, calls.append)
        assert calls == []  # waits for the end of the unit
    assert calls == [frozenset({"filing", "compliance"})]
    events.collect_per_unit(("test", "ent"), "permit", calls.append)  # no unit open: right away
    assert calls[-1] == frozenset({"permit"})
