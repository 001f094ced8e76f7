"""Background tasks carry their tenant explicitly and refuse to run in the public schema."""

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from steward.evidence.models import EvidenceFile
from steward.evidence.tasks import verify_evidence_integrity
from tenants.tasks import TenantRequired, tenant_task


@tenant_task(name="tests.schema_seen")
def schema_seen() -> str:
    return connection.schema_name


@tenant_task(name="tests.failing")
def failing() -> None:
    raise RuntimeError("boom")


@pytest.mark.django_db
@pytest.mark.parametrize("schema", [None, "", "public", "tenant_template", "ent_nobody"])
def test_task_without_a_real_enterprise_schema_is_refused(schema):
    with pytest.raises(TenantRequired):
        schema_seen.delay(tenant_schema=schema)


@pytest.mark.django_db
def test_task_runs_in_its_tenant_and_leaves_the_connection_as_it_found_it():
    assert schema_seen.delay(tenant_schema="ent_wx_cement").get() == "ent_wx_cement"
    assert connection.schema_name == "public"
    with pytest.raises(RuntimeError):
        failing.delay(tenant_schema="ent_cx_power")
    assert connection.schema_name == "public"  # a failure does not leak the schema into the next task


@pytest.mark.django_db
def test_integrity_task_checks_the_evidence_of_the_named_tenant(evidence_root):
    with schema_context("ent_cx_power"):
        evidence = EvidenceFile.objects.exclude(kind="invoice").get()
    assert (
        verify_evidence_integrity.delay(tenant_schema="ent_cx_power", evidence_id=evidence.pk).get() is True
    )
    # Tampering with the stored bytes is detected and recorded.
    path = evidence_root / evidence.storage_key
    path.chmod(0o640)
    original = path.read_bytes()
    try:
        path.write_bytes(b"tampered")
        assert (
            verify_evidence_integrity.delay(tenant_schema="ent_cx_power", evidence_id=evidence.pk).get()
            is False
        )
        with schema_context("ent_cx_power"):
            checks = list(
                EvidenceFile.objects.exclude(kind="invoice")
                .get()
                .integrity_checks.order_by("pk")
                .values_list("ok", flat=True)
            )
            assert checks[-2:] == [True, False]  # the log keeps both outcomes
            assert EvidenceFile.objects.exclude(kind="invoice").get().integrity_ok is False
    finally:
        path.write_bytes(original)
