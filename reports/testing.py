"""Reading generated PDFs back, for tests and verification: the text a reader would see, page by page.

Uses pypdf (a test dependency); imported lazily so production code never needs it.
"""

from __future__ import annotations

import io


def pdf_pages(data: bytes) -> list[str]:
    """The extracted text of each page (Chinese included: the embedded font carries a ToUnicode map)."""
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, pages joined by newlines, with the spaces pypdf inserts between CJK runs removed
    so that a test can look for a phrase as written."""
    return "\n".join(page.replace(" ", "") for page in pdf_pages(data))
