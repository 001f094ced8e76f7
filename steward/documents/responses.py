"""One way to hand enterprise data to a browser: `attachment(...)` for every download (documents of record,
exports, templates, evidence).

The filename is sent twice in Content-Disposition: an ASCII fallback and the UTF-8 name in RFC 5987/6266
form (`filename*=UTF-8''…`), so Chinese names arrive intact in every current browser. Every response says
`Cache-Control: private, no-store` (no proxy or browser cache keeps a copy of an enterprise's data) and
`X-Content-Type-Options: nosniff` (the browser trusts the declared type, never the bytes). Callers add their
own headers (the evidence download's `Content-Security-Policy: sandbox`, a document's hash) through `headers`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from urllib.parse import quote

from django.http import HttpResponse

from steward.documents.copy_of_record import PDF, XLSX

__all__ = ["PDF", "XLSX", "attachment", "content_disposition"]

NO_STORE = "private, no-store"


def ascii_fallback(filename: str) -> str:
    """The name for clients that ignore filename*: ASCII only, no quotes, backslashes or control characters."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    decomposed = unicodedata.normalize("NFKD", stem)  # é → e + accent; the accent is dropped below
    plain = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    plain = re.sub(r"[^A-Za-z0-9._]+", "-", plain.replace("-", " ")).strip("-._") or "download"
    extension = re.sub(r"[^A-Za-z0-9]", "", extension)
    return f"{plain}.{extension}" if extension else plain


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment; filename="plain.pdf"; filename*=UTF-8''%E4%B8%AD.pdf` (RFC 6266 §4.3, RFC 5987)."""
    cleaned = "".join(ch for ch in filename if unicodedata.category(ch)[0] != "C") or "download"
    disposition = "inline" if inline else "attachment"
    return (
        f"{disposition}; filename=\"{ascii_fallback(cleaned)}\"; filename*=UTF-8''{quote(cleaned, safe='')}"
    )


def attachment(
    content: bytes,
    *,
    filename: str,
    content_type: str,
    inline: bool = False,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    """A download response for `content`; `headers` add to (or override) the defaults."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["Cache-Control"] = NO_STORE
    response["X-Content-Type-Options"] = "nosniff"
    for name, value in (headers or {}).items():
        response[name] = value
    return response
