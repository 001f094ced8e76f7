"""Regulated tables refuse UPDATE and DELETE at the database, in every (cloned) enterprise schema."""

import pytest
from django.db import IntegrityError, connection, transaction
from django_tenants.utils import schema_context

from steward.evidence.models import EvidenceFile


@pytest.mark.django_db
@pytest.mark.parametrize("schema", ["ent_cx_power", "ent_nth_paper"])
@pytest.mark.parametrize(
    "statement",
    ["UPDATE evidence_evidencefile SET original_name = 'forged.pdf'", "DELETE FROM evidence_evidencefile"],
)
def test_evidence_rows_cannot_be_changed_even_with_raw_sql(schema, statement):
    with schema_context(schema):
        before = EvidenceFile.objects.count()
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
        assert EvidenceFile.objects.exclude(original_name="forged.pdf").count() == before >= 1


@pytest.mark.django_db
def test_queryset_update_is_refused_too():
    with schema_context("ent_wx_cement"):
        with pytest.raises(IntegrityError), transaction.atomic():
            EvidenceFile.objects.update(description="rewritten")


@pytest.mark.django_db
def test_every_regulated_table_carries_the_trigger_in_every_enterprise_schema():
    expected = {
        "evidence_evidencefile",
        "evidence_evidenceintegritycheck",
        "carbon_activityrecord",
        "carbon_measuredparameter",
        "carbon_outputrecord",
        "carbon_calculationrun",
        "filing_filingevent",
        "filing_reviewcomment",
        "compliance_allocation",
        "compliance_valueaddedrecord",
        "reports_issueddocument",
        "annual_reportevent",
        "annual_reportsignature",
        "carbon_fuelstockrecord",
        "carbon_electricitybill",
        "quality_controlplanversion",
        "quality_parameterspec",
        "pollution_permit",
        "pollution_outlet",
        "pollution_concentrationlimit",
        "pollution_permittedamount",
        "pollution_sourceoutlet",
        "pollution_cemscertification",
        "pollution_monitoringimport",
        "pollution_monitoringreading",
        "pollution_manualmonitoring",
        "pollution_declaredfuel",
        "pollution_executionreportevent",
        "handoff_platformsubmission",
    }
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT n.nspname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace WHERE t.tgname LIKE '%%_append_only'"""
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'ent\\_%%' OR nspname = 'tenant_template'"
        )
        schemas = {row[0] for row in cursor.fetchall()}
    for schema in schemas:
        assert {table for owner, table in rows if owner == schema} == expected, schema
