"""Where evidence bytes live. The path is built from the schema recorded on the row, never from ambient
connection state, so a file can neither be written to nor read from another tenant's folder by accident
(django-tenants #1022, RELIABILITY.md §2.4)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def path_for(storage_key: str) -> Path:
    root = Path(settings.EVIDENCE_ROOT).resolve()
    path = (root / storage_key).resolve()
    if root not in path.parents:
        raise ValueError(f"evidence key escapes the evidence root: {storage_key!r}")
    return path


def write_once(storage_key: str, data: bytes) -> None:
    """Write bytes at `storage_key` unless they are already there (content-addressed, so identical)."""
    path = path_for(storage_key)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    temporary.write_bytes(data)
    os.chmod(temporary, 0o440)
    temporary.replace(path)


def read(storage_key: str) -> bytes:
    return path_for(storage_key).read_bytes()
