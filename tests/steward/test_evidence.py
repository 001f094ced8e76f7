"""Evidence is stored per tenant, content-addressed, served only through the authorised view."""

import io
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import schema_context
from openpyxl import Workbook

from steward.evidence.models import EvidenceFile
from steward.evidence.services import read_evidence, store_evidence
from tenants.models import User


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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, body, declared, code",
    [
        (
            "发票.pdf",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "application/pdf",
            "content_mismatch",
        ),
        ("照片.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 118, "image/png", "content_mismatch"),
        ("台账.xlsx", b"PK\x03\x04" + b"\x00" * 40, XLSX, "content_mismatch"),
        ("说明.csv", b"\x00\x01\x02binary", "text/csv", "content_mismatch"),
        ("page.html", b"<html></html>", "text/html", "content_type"),
    ],
    ids=["html-as-pdf", "exe-as-png", "zip-as-xlsx", "binary-as-csv", "html"],
)
def test_the_bytes_decide_not_the_declared_type(user_client, name, body, declared, code):
    response = user_client("power.filer").post(
        "/e/cx-power/api/v1/evidence/",
        {"file": SimpleUploadedFile(name, body, declared), "kind": "invoice"},
    )
    assert response.status_code == 400, response.content
    refusal = response.json()["file"][0]
    assert refusal["code"] == code and ("不符" in refusal["message"] or "不支持" in refusal["message"])
    with schema_context("ent_cx_power"):
        assert not EvidenceFile.objects.filter(original_name=name).exists()


@pytest.mark.django_db
def test_real_files_of_every_allowed_kind_are_stored_as_what_they_are(user_client):
    buffer = io.BytesIO()
    Workbook().save(buffer)
    client = user_client("power.filer")
    for name, body, declared, stored in [
        ("台账.xlsx", buffer.getvalue(), "application/octet-stream", XLSX),
        ("图.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png", "image/png"),
        ("扫描.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40, "image/jpeg", "image/jpeg"),
        ("监测.csv", "时间,SO2\n2026-03-01,12\n".encode("gbk"), "text/csv", "text/csv"),
    ]:
        response = client.post(
            "/e/cx-power/api/v1/evidence/",
            {"file": SimpleUploadedFile(name, body, declared), "kind": "other"},
        )
        assert response.status_code == 201, (name, response.content)
        assert response.json()["content_type"] == stored


@pytest.mark.django_db
def test_downloads_are_sandboxed_not_sniffed_not_cached_and_named_safely(user_client):
    body = b"%PDF-1.4 sandbox"
    with schema_context("ent_cx_power"):
        evidence = store_evidence(
            upload=SimpleUploadedFile('a"b\\c\r\n报告.pdf', body, "application/pdf"),
            kind="lab_report",
            description="",
            uploaded_by=User.objects.get(username="power.filer"),
        )
    download = user_client("power.filer").get(f"/e/cx-power/evidence/{evidence.pk}/download/")
    assert download.status_code == 200 and download.content == body
    assert download["Content-Security-Policy"] == "sandbox"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert "\r" not in disposition and "\n" not in disposition and "\\" not in disposition
    assert disposition.count('"') == 2  # only the quotes around the ASCII fallback
    assert "%E6%8A%A5%E5%91%8A.pdf" in disposition  # 报告.pdf, UTF-8 per RFC 5987
