"""The monthly filing record (月度信息化存证记录) as a document of record.

It is issued by the act that makes it, the approval that locks and seals the month, inside that transaction
(`issue_filing_record`, called by `services.approve`). Reading never issues: a download serves the document
that exists, and a locked month that has none (locked before records were issued at the lock) gets a preview
marked "预览，非存档文件", rendered in memory and never stored.
"""

from __future__ import annotations

from django.db import connection

from reports import filing_record, pdf
from steward.documents import copy_of_record
from steward.documents.models import IssuedDocument
from steward.filing.models import MonthlyFiling
from tenants.models import Enterprise

FILING_RECORD = "filing_record"

# A filing record exists only for a locked (sealed) month, which the bureau may read.
copy_of_record.register_kind(
    FILING_RECORD, "月度信息化存证记录", lambda grant, document: grant.allows("view_submitted_filings")
)


def record_subject(filing: MonthlyFiling) -> str:
    return f"{filing.year}-{filing.month:02d}-v{filing.version}"


def _enterprise() -> Enterprise:
    return Enterprise.objects.get(workspace__schema_name=connection.schema_name)


def issue_filing_record(*, filing: MonthlyFiling, by) -> IssuedDocument:
    """Render and store the record of a month that has just been locked (same month → same document)."""
    enterprise = _enterprise()
    return copy_of_record.issue_document(
        kind=FILING_RECORD,
        subject=record_subject(filing),
        content=filing_record.render(filing, enterprise_name=enterprise.name_zh),
        by=by,
        filename=filing_record.filename(enterprise, filing),
        generator=pdf.GENERATOR,
    )


def issued_record(filing: MonthlyFiling) -> IssuedDocument | None:
    """The record issued when `filing` was locked, if there is one (reads only)."""
    return copy_of_record.latest_document(FILING_RECORD, record_subject(filing))


def preview_record(filing: MonthlyFiling) -> tuple[bytes, str]:
    """A watermarked preview of a locked month without a stored record: (PDF bytes, filename). Writes nothing."""
    enterprise = _enterprise()
    content = filing_record.render(filing, enterprise_name=enterprise.name_zh, preview=True)
    return content, filing_record.filename(enterprise, filing, preview=True)
