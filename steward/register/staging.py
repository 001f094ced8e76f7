"""A feed file that passed its dry run waits here, keyed by its SHA-256, until the operator confirms it (the
confirmation imports exactly the bytes that were checked, and checks them again). Public schema, so one folder:
EVIDENCE_ROOT/public/register-staging/. Nothing of the file is kept in the session."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings

FOLDER = "public/register-staging"


def is_sha256(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def _path(sha256: str) -> Path:
    if not is_sha256(sha256):
        raise ValueError("not a SHA-256")
    return Path(settings.EVIDENCE_ROOT) / FOLDER / f"{sha256}.upload"


def stage(data: bytes) -> str:
    sha256 = hashlib.sha256(data).hexdigest()
    path = _path(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        temporary = path.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(path)
    return sha256


def load(sha256: str) -> bytes | None:
    if not is_sha256(sha256):
        return None
    try:
        data = _path(sha256).read_bytes()
    except FileNotFoundError:
        return None
    return data if hashlib.sha256(data).hexdigest() == sha256 else None


def discard(sha256: str) -> None:
    if is_sha256(sha256):
        _path(sha256).unlink(missing_ok=True)
