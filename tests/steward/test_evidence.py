"""Evidence is stored per tenant, content-addressed, served only through the authorised view."""

import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import schema_context

from steward.evidence.models import EvidenceFile
from steward.evidence.services import read_evidence


@pytest.mark.django_db
def test_upload_is_stored_under_the_tenant_folder_and_downloads_intact(user_client, evidence_root):
    client = user_client("power.filer")
    body = "%PDF-1.4 2024年3月 入炉煤 C_ar 52.30%".encode()
    response = client.post(
        "/e/cx-power/api/v1/evidence/",
        {"file": SimpleUploadedFile("3月化验单.pdf", body, "application/pdf"), "kind": "lab_report"},
    )
    assert response.status_code == 201, response.content
    record = response.json()
    assert (evidence_root / "ent_cx_power" / "evidence" / record["sha256"][:2] / record["sha256"]).exists()
    download = client.get(f"/e/cx-power/evidence/{record['id']}/download/")
    assert download.status_code == 200 and download.content == body
    assert "no-store" in download["Cache-Control"]


@pytest.mark.django_db
def test_same_file_twice_is_one_record(user_client):
    client = user_client("power.filer")
    upload = lambda: SimpleUploadedFile("a.pdf", b"%PDF same bytes", "application/pdf")  # noqa: E731
    first = client.post("/e/cx-power/api/v1/evidence/", {"file": upload(), "kind": "invoice"}).json()
    second = client.post("/e/cx-power/api/v1/evidence/", {"file": upload(), "kind": "invoice"}).json()
    assert first["id"] == second["id"]


@pytest.mark.django_db
def test_refusals_name_the_field_and_a_code(user_client, settings):
    client = user_client("power.filer")
    exe = client.post(
        "/e/cx-power/api/v1/evidence/",
        {"file": SimpleUploadedFile("x.exe", b"MZ", "application/x-msdownload"), "kind": "invoice"},
    )
    assert exe.status_code == 400
    assert exe.json()["file"][0]["code"] == "content_type"
    settings.EVIDENCE_MAX_BYTES = 10
    big = client.post(
        "/e/cx-power/api/v1/evidence/",
        {"file": SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 20, "application/pdf"), "kind": "invoice"},
    )
    assert big.status_code == 400 and big.json()["file"][0]["code"] == "too_large"


@pytest.mark.django_db
def test_evidence_of_another_workspace_cannot_be_read_even_by_id(user_client):
    with schema_context("ent_wx_cement"):
        cement_file = EvidenceFile.objects.exclude(kind="invoice").get()  # not a demo grid bill
    # Evidence ids restart in every schema, so the same id in the power plant's workspace is its own file.
    response = user_client("power.filer").get(f"/e/cx-power/evidence/{cement_file.pk}/download/")
    assert b"wx-cement" not in response.content
    with schema_context("ent_cx_power"), pytest.raises(PermissionError):
        read_evidence(cement_file)  # a row from another schema is refused before any file is opened


@pytest.mark.django_db
def test_cache_keys_are_per_tenant():
    key = f"dashboard-{uuid.uuid4().hex}"  # unique, since a Redis cache outlives the test run
    with schema_context("ent_cx_power"):
        cache.set(key, "power")
    with schema_context("ent_wx_cement"):
        assert cache.get(key) is None
        cache.set(key, "cement")
    with schema_context("ent_cx_power"):
        assert cache.get(key) == "power"
    assert connection.schema_name == "public"
