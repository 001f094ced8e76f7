"""Storing and checking evidence. Called by views, the API and tasks alike."""

from __future__ import annotations

import hashlib
import mimetypes

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from steward.evidence import sniff, storage
from steward.evidence.models import EvidenceFile, EvidenceIntegrityCheck
from steward.evidence.selectors import default_scope

ALLOWED_CONTENT_TYPES = {
    sniff.PDF,
    sniff.JPEG,
    sniff.PNG,
    sniff.XLSX,
    sniff.DOCX,
    sniff.OFD,
    sniff.CSV,
    sniff.TEXT,
}
TEXT_TYPES = {sniff.CSV, sniff.TEXT}
GENERIC_TYPES = {"", "application/octet-stream", "binary/octet-stream"}
EXTENSION_TYPES = {".ofd": sniff.OFD, ".csv": sniff.CSV, ".txt": sniff.TEXT, ".docx": sniff.DOCX}


def _current_enterprise_schema() -> str:
    schema = connection.schema_name
    if schema == get_public_schema_name():
        raise RuntimeError("evidence can only be stored inside an enterprise workspace")
    return schema


def store_evidence(
    *, upload: UploadedFile, kind: str, description: str, uploaded_by, scope: str | None = None
) -> EvidenceFile:
    """Store an uploaded file in the current workspace. Uploading the same bytes again returns the first row.

    `scope` (carbon, environmental or both) is the engagement scope the file belongs to, given by the record
    it is attached to or chosen at upload; without it the kind decides (监测报告 → environmental)."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("文件过大：%(size)s 字节，上限为 %(limit)s 字节。"),
            code="too_large",
            params={"size": upload.size, "limit": settings.EVIDENCE_MAX_BYTES},
        )
    if kind not in EvidenceFile.Kind.values:
        raise ValidationError(_("未知的证据类别。"), code="kind")
    scope = scope or default_scope(kind)
    if scope not in EvidenceFile.Scope.values:
        raise ValidationError(_("未知的证据所属范围。"), code="scope")
    data = upload.read()
    content_type = checked_content_type(upload.name, upload.content_type, data)
    digest = hashlib.sha256(data).hexdigest()
    existing = EvidenceFile.objects.filter(sha256=digest).first()
    if existing:
        return existing
    evidence = EvidenceFile(
        sha256=digest,
        tenant_schema=_current_enterprise_schema(),
        original_name=upload.name[:255],
        content_type=content_type,
        size_bytes=len(data),
        kind=kind,
        description=description[:200],
        scope=scope,
        uploaded_by=uploaded_by,
    )
    storage.write_once(evidence.storage_key, data)
    evidence.save()
    from steward.evidence.tasks import verify_evidence_integrity
    from tenants.outbox import enqueue

    schema, pk = evidence.tenant_schema, evidence.pk
    transaction.on_commit(lambda: enqueue(verify_evidence_integrity, tenant_schema=schema, evidence_id=pk))
    return evidence


def checked_content_type(name: str, declared: str | None, data: bytes) -> str:
    """The content type to store: what the bytes are (sniffed), which must be on the allow-list and agree with
    the declared type (or, when the client declared none, with the file name's extension)."""
    declared = (declared or "").split(";")[0].strip().lower()
    if declared in GENERIC_TYPES:
        extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        declared = EXTENSION_TYPES.get(extension) or mimetypes.guess_type(name)[0] or ""
    if declared not in ALLOWED_CONTENT_TYPES:
        raise ValidationError(
            _("不支持的文件类型 %(type)s，请上传 PDF、JPG、PNG、XLSX、DOCX、OFD、CSV 或 TXT。"),
            code="content_type",
            params={"type": declared or "?"},
        )
    actual = sniff.sniff(data)
    if actual == declared or (actual == sniff.TEXT and declared in TEXT_TYPES):
        return declared
    raise ValidationError(
        _("文件内容与声明的类型不符：声明为 %(declared)s，实际为 %(actual)s，已拒绝。"),
        code="content_mismatch",
        params={"declared": sniff.label(declared), "actual": sniff.label(actual)},
    )


# An enterprise's stored file is never rendered in the product's origin: whatever its bytes, the browser
# treats it as a sandboxed document (no scripts, no same-origin access). The download helper
# (steward.documents.responses.attachment) adds no-store, nosniff and the safe file name.
EVIDENCE_DOWNLOAD_HEADERS = {"Content-Security-Policy": "sandbox"}


def check_evidence_schema(evidence: EvidenceFile) -> None:
    """Refuse a row whose schema is not the current workspace's (defence in depth behind the access check)."""
    if evidence.tenant_schema != connection.schema_name:
        raise PermissionError("evidence belongs to another workspace")


def read_evidence(evidence: EvidenceFile) -> bytes:
    """The stored bytes of an evidence file of the current workspace."""
    check_evidence_schema(evidence)
    return storage.read(evidence.storage_key)


def check_integrity(evidence: EvidenceFile) -> bool:
    """Re-hash the stored bytes and record whether they still match the hash taken at upload."""
    try:
        ok = hashlib.sha256(read_evidence(evidence)).hexdigest() == evidence.sha256
    except FileNotFoundError:
        ok = False
    EvidenceIntegrityCheck.objects.create(evidence=evidence, ok=ok)
    return ok
