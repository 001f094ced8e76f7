"""The workspace's staging folder: an upload that passed its dry run waits here, keyed by its SHA-256, until
the user confirms it (the confirmation imports exactly the bytes that were checked, and checks them again).

One folder per enterprise schema, under EVIDENCE_ROOT, for every importer (activity template, CEMS import).
Nothing of an enterprise's file is ever kept in the session (which lives in the public schema).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

logger = logging.getLogger("steward.intake")

STAGED_FILES_KEPT = datetime.timedelta(days=2)
FOLDER = "intake-staging"


def staging_path(sha256: str) -> Path:
    schema = connection.schema_name
    if schema == get_public_schema_name():
        raise RuntimeError("imports run inside an enterprise workspace")
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256")
    return Path(settings.EVIDENCE_ROOT) / schema / FOLDER / f"{sha256}.upload"


def is_sha256(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def stage(data: bytes) -> str:
    """Keep `data` for its confirmation; returns its SHA-256."""
    sha256 = hashlib.sha256(data).hexdigest()
    path = staging_path(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        temporary = path.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(path)
    return sha256


def load(sha256: str) -> bytes | None:
    """The staged bytes, or None when they were never staged, already imported or discarded as stale."""
    if not is_sha256(sha256):
        return None
    path = staging_path(sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def discard(sha256: str) -> None:
    if is_sha256(sha256):
        staging_path(sha256).unlink(missing_ok=True)


def discard_stale(*, now: datetime.datetime | None = None) -> int:
    """Delete this workspace's uploads that passed the dry run but were never confirmed within
    STAGED_FILES_KEPT (a confirmation after that asks for the file again). Returns how many were deleted."""
    folder = staging_path("0" * 64).parent
    if not folder.exists():
        return 0
    cutoff = (now or timezone.now()).timestamp() - STAGED_FILES_KEPT.total_seconds()
    stale = [path for path in folder.iterdir() if path.is_file() and path.stat().st_mtime < cutoff]
    for path in stale:
        path.unlink(missing_ok=True)
    if stale:
        logger.info("stale staged uploads discarded", extra={"files": len(stale)})
    return len(stale)
