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

from steward.evidence import storage
from steward.evidence.models import EvidenceFile, EvidenceIntegrityCheck

ALLOWED_CONTENT_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text/csv",
}


def _current_enterprise_schema() -> str:
    schema = connection.schema_name
    if schema == get_public_schema_name():
        raise RuntimeError("evidence can only be stored inside an enterprise workspace")
    return schema


def store_evidence(*, upload: UploadedFile, kind: str, description: str, uploaded_by) -> EvidenceFile:
    """Store an uploaded file in the current workspace. Uploading the same bytes again returns the first row."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("文件过大：%(size)s 字节，上限为 %(limit)s 字节。"),
            code="too_large",
            params={"size": upload.size, "limit": settings.EVIDENCE_MAX_BYTES},
        )
    content_type = upload.content_type or mimetypes.guess_type(upload.name)[0] or ""
    if content_type not in ALLOWED_CONTENT_TYPES:
        raise ValidationError(
            _("不支持的文件类型 %(type)s，请上传 PDF、JPG、PNG、XLSX 或 CSV。"),
            code="content_type",
            params={"type": content_type or "?"},
        )
    if kind not in EvidenceFile.Kind.values:
        raise ValidationError(_("未知的证据类别。"), code="kind")
    data = upload.read()
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
        uploaded_by=uploaded_by,
    )
    storage.write_once(evidence.storage_key, data)
    evidence.save()
    from steward.evidence.tasks import verify_evidence_integrity
    from steward.integrations.outbox import enqueue

    schema, pk = evidence.tenant_schema, evidence.pk
    transaction.on_commit(lambda: enqueue(verify_evidence_integrity, tenant_schema=schema, evidence_id=pk))
    return evidence


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
