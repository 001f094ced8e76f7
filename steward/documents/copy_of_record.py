"""The copy-of-record store: issue a document once, keep its exact bytes and hash, read them back verified.

`issue_document` writes the bytes below EVIDENCE_ROOT/<schema>/reports/<sha[:2]>/<sha> (write once,
read-only) and appends an `IssuedDocument` row; issuing the same bytes again for the same kind and subject
returns the existing row, different bytes become version n+1. `read_document` re-hashes what it reads and
refuses a file that no longer matches (RELIABILITY.md §3.4: the signature is bound to this hash).

Document kinds are registered with a label and a visibility rule, so the download view asks one question
("may this grant read this document?") whatever module issued it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max

from steward.documents.models import IssuedDocument
from steward.evidence import storage
from tenants.access import WorkspaceAccess

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DocumentTampered(RuntimeError):
    """The stored bytes no longer match the hash recorded when the document was issued."""


@dataclass(frozen=True)
class DocumentKind:
    kind: str
    label: str
    may_view: Callable[[WorkspaceAccess, IssuedDocument], bool]


KINDS: dict[str, DocumentKind] = {}


def register_kind(kind: str, label: str, may_view: Callable[[WorkspaceAccess, IssuedDocument], bool]) -> None:
    """Declare a document kind: its Chinese label and who may download documents of that kind."""
    KINDS[kind] = DocumentKind(kind, label, may_view)


def _schema() -> str:
    schema = connection.schema_name
    if schema in ("public", "", None):
        raise RuntimeError("documents are issued inside an enterprise's schema, not public")
    return schema


@transaction.atomic
def issue_document(
    *,
    kind: str,
    subject: str,
    content: bytes,
    by,
    filename: str,
    content_type: str = PDF,
    generator: str = "",
) -> IssuedDocument:
    """Store `content` as the copy of record of (kind, subject); the same bytes are issued only once."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    if not content:
        raise ValueError("an issued document cannot be empty")
    schema = _schema()
    digest = hashlib.sha256(content).hexdigest()
    with connection.cursor() as cursor:  # one issuer at a time per (kind, subject): versions never collide
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{schema}:{kind}:{subject}"])
    documents = IssuedDocument.objects.filter(kind=kind, subject=subject)
    latest = documents.order_by("-version").first()
    if latest is not None and latest.sha256 == digest:
        return latest
    document = IssuedDocument(
        kind=kind,
        subject=subject,
        version=(documents.aggregate(v=Max("version"))["v"] or 0) + 1,
        filename=filename[:200],
        content_type=content_type,
        sha256=digest,
        size_bytes=len(content),
        generator=generator[:80],
        tenant_schema=schema,
        issued_by=by,
    )
    storage.write_once(document.storage_key, content)
    document.save()
    return document


def read_document(document: IssuedDocument) -> bytes:
    """The stored bytes, after checking they still hash to what was recorded at issue."""
    if document.tenant_schema != connection.schema_name:  # defence in depth behind the access check
        raise PermissionError("document belongs to another workspace")
    data = storage.read(document.storage_key)
    if len(data) != document.size_bytes or hashlib.sha256(data).hexdigest() != document.sha256:
        raise DocumentTampered(
            f"issued document {document.pk} ({document.storage_key}) does not match its hash"
        )
    return data


def latest_document(kind: str, subject: str) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(kind=kind, subject=subject).order_by("-version").first()


def may_view(grant: WorkspaceAccess, document: IssuedDocument) -> bool:
    registered = KINDS.get(document.kind)
    return registered is not None and bool(grant) and registered.may_view(grant, document)
