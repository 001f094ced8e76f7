"""`TENANT_LIMIT_SET_CALLS`: django-tenants sets `search_path` once per schema change instead of on every
cursor (RELIABILITY.md §2 says not to turn it on unless proven safe). These are the ways the cached path could
go stale on a persistent connection, each with the schema PostgreSQL actually resolves afterwards."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_context

from steward.carbon.models import EmissionSource
from tenants.models import Enterprise

pytestmark = pytest.mark.django_db


def _current_schema() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return cursor.fetchone()[0]


def _schemas(*slugs: str) -> list[str]:
    return [Enterprise.objects.get(slug=slug).schema_name for slug in slugs]


def test_the_path_is_set_once_per_schema_change_not_per_statement():
    assert settings.TENANT_LIMIT_SET_CALLS is True
    power, cement = _schemas("cx-power", "wx-cement")
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        with schema_context(power):
            for _ in range(3):
                list(EmissionSource.objects.values_list("code", flat=True))
        with schema_context(cement):
            list(EmissionSource.objects.values_list("code", flat=True))
    sets = [sql for sql in statements if sql.startswith("SET search_path")]
    assert sets == [f'SET search_path = "{power}","public"', f'SET search_path = "{cement}","public"']


def test_switching_tenants_on_one_connection_reads_each_tenants_own_rows():
    power, cement = _schemas("cx-power", "wx-cement")
    with schema_context(power):
        power_sources = set(EmissionSource.objects.values_list("name", flat=True))
        assert _current_schema() == power
    with schema_context(cement):
        cement_sources = set(EmissionSource.objects.values_list("name", flat=True))
        assert _current_schema() == cement
    with schema_context(power):
        assert set(EmissionSource.objects.values_list("name", flat=True)) == power_sources
    assert power_sources and cement_sources and power_sources != cement_sources
    assert _current_schema() == "public"


def test_a_rolled_back_savepoint_that_issued_the_set_does_not_leave_a_stale_path():
    """PostgreSQL undoes a SET issued inside a savepoint when it is rolled back; the cache must forget it."""
    power, cement = _schemas("cx-power", "wx-cement")
    with schema_context(cement):
        assert _current_schema() == cement
        connection.set_schema(power)
        with pytest.raises(DatabaseError), transaction.atomic():
            assert _current_schema() == power  # the SET ran inside this savepoint
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1/0")
        # The database went back to the cement path; the next statement must set the power path again.
        assert _current_schema() == power
        assert (
            not EmissionSource.objects.filter(name__in=_names_of(cement))
            .exclude(name__in=_names_of(power))
            .exists()
        )


def _names_of(schema: str) -> set[str]:
    with schema_context(schema):
        return set(EmissionSource.objects.values_list("name", flat=True))


def test_requests_to_two_workspaces_on_the_same_connection_each_see_their_own(user_client):
    power, cement = (Enterprise.objects.get(slug=slug) for slug in ("cx-power", "wx-cement"))
    power_sources, cement_sources = _names_of(power.schema_name), _names_of(cement.schema_name)
    # Names that cannot be found inside the other's names (外购电力 is part of 外购电力（停机期间）).
    only_power = {name for name in power_sources if not any(name in other for other in cement_sources)}
    only_cement = {name for name in cement_sources if not any(name in other for other in power_sources)}
    assert only_power and only_cement
    for username, enterprise, own, foreign in [
        ("power.filer", power, only_power, only_cement),
        ("cement.filer", cement, only_cement, only_power),
        ("power.filer", power, only_power, only_cement),
    ]:
        page = user_client(username).get(f"/e/{enterprise.slug}/carbon/").content.decode()
        assert enterprise.name_zh in page
        assert any(name in page for name in own)
        assert not any(name in page for name in foreign)
    connection.set_schema_to_public()  # what the tenant middleware does when the next request is public
    assert _current_schema() == "public"
