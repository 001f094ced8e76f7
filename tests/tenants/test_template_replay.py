"""New enterprise schemas are replayed from the template's stored SQL, not cloned through the catalog."""

from unittest import mock

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from steward.demo import credit_code
from steward.evidence.models import EvidenceFile
from tenants import template_replay
from tenants.models import Industry, Jurisdiction, TemplateSnapshot
from tenants.schema_sync import schema_drift
from tenants.services import onboard_enterprise


def _onboard(slug: str, serial: str):
    return onboard_enterprise(
        slug=slug,
        name_zh="安吉竹材制品有限公司",
        credit_code=credit_code("330523", serial),
        jurisdiction=Jurisdiction.objects.get(code="330523"),
        industry=Industry.objects.get(code="2221"),
    )


@pytest.mark.django_db
def test_a_replayed_schema_is_identical_to_the_template_and_usable():
    enterprise = _onboard("aj-bamboo", "MA2AJ0001")
    assert schema_drift(enterprise.schema_name) == []
    with schema_context(enterprise.schema_name):
        assert EvidenceFile.objects.count() == 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM django_migrations")
            recorded = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM django_content_type")
            assert cursor.fetchone()[0] > 0  # the template's rows come along, so generic relations work
    with schema_context("tenant_template"), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert cursor.fetchone()[0] == recorded


@pytest.mark.django_db
def test_append_only_triggers_of_a_replayed_schema_act_in_that_schema():
    enterprise = _onboard("aj-bamboo", "MA2AJ0002")
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT p.pronamespace::regnamespace::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
               JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = %s::regnamespace
               AND t.tgname = 'evidence_evidencefile_append_only'""",
            [enterprise.schema_name],
        )
        assert cursor.fetchone()[0] == enterprise.schema_name  # not the template's function


@pytest.mark.django_db
def test_a_new_template_migration_gives_a_new_fingerprint():
    before = template_replay.template_fingerprint()
    assert TemplateSnapshot.objects.filter(fingerprint=before).exists()  # taken by setup_platform
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO tenant_template.django_migrations (app, name, applied) "
            "VALUES ('evidence', '9999_later', now())"
        )
    assert template_replay.template_fingerprint() != before  # so the old snapshot is never replayed


@pytest.mark.django_db
def test_a_missing_snapshot_is_taken_at_onboarding():
    TemplateSnapshot.objects.all().delete()
    enterprise = _onboard("aj-bamboo", "MA2AJ0003")
    assert schema_drift(enterprise.schema_name) == []
    assert TemplateSnapshot.objects.get().fingerprint == template_replay.template_fingerprint()


@pytest.mark.django_db
def test_without_pg_dump_onboarding_falls_back_to_cloning_with_aligned_names():
    def refuse(*args, **kwargs):
        raise template_replay.TemplateDumpUnavailable("pg_dump not found")

    with mock.patch.object(template_replay, "replay_template", refuse):
        enterprise = _onboard("aj-bamboo", "MA2AJ0004")
    assert schema_drift(enterprise.schema_name) == []


@pytest.mark.django_db
def test_the_replay_leaves_the_connection_on_the_public_schema():
    _onboard("aj-bamboo", "MA2AJ0005")
    assert connection.schema_name == "public"
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        assert "ent_aj_bamboo" not in cursor.fetchone()[0]
