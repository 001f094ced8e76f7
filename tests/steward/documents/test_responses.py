"""One attachment response for every download of enterprise data: the Chinese filename survives (RFC 5987),
nothing is cached, the declared type is the only type, and callers can add their own headers."""

import re
from urllib.parse import unquote

import pytest

from steward.documents.responses import PDF, attachment, content_disposition


def test_a_chinese_filename_is_sent_encoded_with_an_ascii_fallback():
    header = content_disposition("wx-cement-2026年3月存证记录-第1版.pdf")
    assert header.startswith("attachment; filename=\"wx-cement-2026-3-1.pdf\"; filename*=UTF-8''")
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9%._~-]+", encoded)
    assert unquote(encoded) == "wx-cement-2026年3月存证记录-第1版.pdf"


@pytest.mark.parametrize("name", ['a"b\\c.pdf', "报告\r\nSet-Cookie: x=1.pdf", "融合清单.xlsx"])
def test_quotes_line_breaks_and_non_ascii_cannot_escape_the_header(name):
    header = content_disposition(name)
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert re.fullmatch(r"[A-Za-z0-9._-]+", fallback)
    assert "\r" not in header and "\n" not in header
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == name.replace("\r", "").replace("\n", "")


def test_every_attachment_is_not_cached_and_not_sniffed_and_takes_extra_headers():
    response = attachment(
        b"%PDF-1.7",
        filename="年度报告.pdf",
        content_type=PDF,
        inline=True,
        headers={"Content-Security-Policy": "sandbox", "X-Content-SHA256": "ab"},
    )
    assert response.content == b"%PDF-1.7" and response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("inline; ")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox" and response["X-Content-SHA256"] == "ab"


@pytest.mark.django_db
def test_the_evidence_download_goes_through_it(user_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tenants.utils import schema_context

    from steward.evidence.services import store_evidence
    from tenants.models import User

    with schema_context("ent_cx_power"):
        evidence = store_evidence(
            upload=SimpleUploadedFile("检测报告.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
            kind="lab_report",
            description="",
            uploaded_by=User.objects.get(username="power.filer"),
        )
    response = user_client("power.filer").get(f"/e/cx-power/evidence/{evidence.pk}/download/")
    assert response.status_code == 200
    assert (
        response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"
    )
    assert unquote(response["Content-Disposition"].split("filename*=UTF-8''", 1)[1]) == "检测报告.pdf"
