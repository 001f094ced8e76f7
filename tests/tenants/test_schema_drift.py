"""Cloned schemas are structurally identical to the template, constraint names included."""

import pytest
from django.core.management import call_command
from django.db import connection

from tenants.models import Enterprise
from tenants.schema_sync import schema_drift


@pytest.mark.django_db
def test_every_onboarded_schema_matches_the_template():
    for enterprise in Enterprise.objects.all():
        assert schema_drift(enterprise.schema_name) == []


@pytest.mark.django_db
def test_drift_is_reported_and_named(capsys):
    with connection.cursor() as cursor:
        cursor.execute('ALTER TABLE "ent_aj_wood"."carbon_facility" DROP COLUMN capacity_mw')
    drift = schema_drift("ent_aj_wood")
    assert any("column missing ('carbon_facility', 'capacity_mw'" in problem for problem in drift)
    with pytest.raises(SystemExit):
        call_command("check_schemas")
    assert "ent_aj_wood" in capsys.readouterr().out


@pytest.mark.django_db
def test_migration_constraint_names_survive_cloning():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'ent_nth_paper' "
            "AND c.relname = 'carbon_activityrecord' AND con.contype = 'u'"
        )
        assert {row[0] for row in cursor.fetchall()} == {
            "activity_version",
            "carbon_activityrecord_supersedes_id_key",
        }
