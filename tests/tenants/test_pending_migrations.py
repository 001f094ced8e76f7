"""A deploy migrates only the enterprise schemas that miss a migration (tenants/pending_migrations.py)."""

import io

import pytest
from django.db import connection

from tenants.management.commands.setup_platform import Command as SetupPlatform
from tenants.models import Enterprise
from tenants.pending_migrations import pending_schemas

ALTERED = ("intake", "0002_user_reference_without_constraint")


def _schemas() -> list[str]:
    return list(Enterprise.objects.order_by("slug").values_list("workspace__schema_name", flat=True))


def _forget(schema: str, app: str, name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s', [app, name])


@pytest.mark.django_db
def test_up_to_date_schemas_are_not_migrated_again():
    schemas = _schemas()
    assert pending_schemas(schemas) == []
    out = io.StringIO()
    SetupPlatform(stdout=out).migrate_enterprise_schemas("standard", 0)
    assert out.getvalue().strip() == f"{len(schemas)} enterprise schemas: no migration pending"


@pytest.mark.django_db
def test_a_schema_left_behind_is_found_and_migrated_alone():
    schemas = _schemas()
    behind = Enterprise.objects.get(slug="aj-wood").schema_name
    _forget(behind, *ALTERED)  # as if a failed deploy had stopped before this migration in this schema
    assert pending_schemas(schemas) == [behind]
    out = io.StringIO()
    SetupPlatform(stdout=out).migrate_enterprise_schemas("standard", 0)
    assert f"{len(schemas)} enterprise schemas: 1 with migrations pending" in out.getvalue()
    assert pending_schemas(schemas) == []  # migrated (and recorded) again


@pytest.mark.django_db
def test_a_schema_without_a_migration_table_is_pending():
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA ent_empty_for_test")
    assert pending_schemas(["ent_empty_for_test", *_schemas()]) == ["ent_empty_for_test"]
