"""The copy-of-record store: exact bytes kept with their hash, versions, tamper detection, authorised download."""

import hashlib

import pytest
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_context

from steward.documents import copy_of_record
from steward.documents.models import IssuedDocument
from tenants.models import User


@pytest.fixture
def note_kind():
    copy_of_record.register_kind("test_note", "测试文件", lambda grant, doc: grant.allows("view_carbon"))
    yield "test_note"
    copy_of_record.KINDS.pop("test_note", None)


def _issue(content: bytes, schema: str = "ent_cx_power", subject: str = "2025") -> IssuedDocument:
    with schema_context(schema):
        return copy_of_record.issue_document(
            kind="test_note",
            subject=subject,
            content=content,
            by=User.objects.get(username="power.admin"),
            filename="说明.pdf",
        )


@pytest.mark.django_db
def test_issued_bytes_are_stored_with_their_hash_and_read_back_identical(note_kind, evidence_root):
    content = b"%PDF-1.4 copy of record"
    document = _issue(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest() and document.size_bytes == len(content)
    assert (evidence_root / "ent_cx_power" / "reports" / document.sha256[:2] / document.sha256).exists()
    with schema_context("ent_cx_power"):
        assert copy_of_record.read_document(document) == content


@pytest.mark.django_db
def test_same_bytes_are_one_version_and_changed_bytes_the_next(note_kind):
    first = _issue(b"%PDF v1")
    assert _issue(b"%PDF v1").pk == first.pk
    second = _issue(b"%PDF v2")
    assert (first.version, second.version) == (1, 2)
    assert _issue(b"%PDF other subject", subject="2024").version == 1


@pytest.mark.django_db
def test_issued_rows_cannot_be_rewritten(note_kind):
    document = _issue(b"%PDF immutable")
    with schema_context("ent_cx_power"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            IssuedDocument.objects.filter(pk=document.pk).update(sha256="0" * 64)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            IssuedDocument.objects.filter(pk=document.pk).delete()


@pytest.mark.django_db
def test_a_file_changed_on_disk_is_refused(note_kind, evidence_root):
    document = _issue(b"%PDF original")
    path = evidence_root / document.storage_key
    path.chmod(0o640)
    path.write_bytes(b"%PDF forged!!")
    with schema_context("ent_cx_power"), pytest.raises(copy_of_record.DocumentTampered):
        copy_of_record.read_document(document)


@pytest.mark.django_db
def test_download_returns_exactly_the_stored_bytes_to_authorised_users_only(note_kind, user_client):
    content = "%PDF-1.4 年度报告".encode()
    document = _issue(content)
    connection.set_schema_to_public()
    first = user_client("power.filer").get(f"/e/cx-power/documents/{document.pk}/")
    again = user_client("greencarbon.reviewer").get(f"/e/cx-power/documents/{document.pk}/")
    assert first.status_code == again.status_code == 200
    assert first.content == again.content == content
    assert first["X-Content-SHA256"] == document.sha256 and "no-store" in first["Cache-Control"]
    # The kind's rule refuses the bureau; another enterprise's user is refused at the door; and the id of a
    # document of another workspace finds nothing in this one.
    assert user_client("changxing.inspector").get(f"/e/cx-power/documents/{document.pk}/").status_code == 403
    assert user_client("cement.admin").get(f"/e/cx-power/documents/{document.pk}/").status_code == 403
    with schema_context("ent_wx_cement"):  # the demo's locked months issued cement's own records
        same_id_there = IssuedDocument.objects.filter(pk=document.pk).exists()
    elsewhere = user_client("cement.admin").get(f"/e/wx-cement/documents/{document.pk}/", follow=True)
    assert elsewhere.content != content and (same_id_there or elsewhere.status_code == 404)
