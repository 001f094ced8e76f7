"""Document kinds issued by the reports package itself (other kinds register from their own domain)."""

from __future__ import annotations

from reports import copy_of_record

FILING_RECORD = "filing_record"

# A filing record exists only for a locked (sealed) month, which the bureau may read.
copy_of_record.register_kind(
    FILING_RECORD, "月度信息化存证记录", lambda grant, document: grant.allows("view_submitted_filings")
)
