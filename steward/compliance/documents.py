"""The compliance statement and the carbon-efficiency report, issued as copies of record.

Each PDF is rendered from a payload of the year's current figures; issuing again with unchanged figures
returns the same document, changed figures become version n+1 (steward.documents.copy_of_record).
"""

from __future__ import annotations

from reports import carbon_efficiency_report, compliance_statement, pdf
from steward.compliance import selectors
from steward.compliance.payloads import band_payload, efficiency_payload, position_payload
from steward.documents import copy_of_record
from steward.documents.models import IssuedDocument

COMPLIANCE_STATEMENT = "compliance_statement"
CARBON_EFFICIENCY_REPORT = "carbon_efficiency_report"

copy_of_record.register_kind(
    COMPLIANCE_STATEMENT, "配额清缴履约测算说明", lambda grant, document: grant.allows("view_compliance")
)
copy_of_record.register_kind(
    CARBON_EFFICIENCY_REPORT, "工业碳效评价报告", lambda grant, document: grant.allows("view_compliance")
)


def _enterprise(enterprise) -> dict:
    return {
        "name": enterprise.name_zh,
        "credit_code": enterprise.credit_code,
        "jurisdiction": enterprise.jurisdiction.name_zh,
    }


def statement_payload(*, enterprise, year: int) -> dict:
    return {"year": year, "enterprise": _enterprise(enterprise)} | position_payload(
        selectors.year_position(year)
    )


def efficiency_report_payload(*, enterprise, year: int) -> dict:
    data = selectors.carbon_efficiency(year)
    return {
        "year": year,
        "enterprise": _enterprise(enterprise),
        "provisional": data.provisional,
        "grading": efficiency_payload(data),
        "levels": [band_payload(band) for band in data.levels],
        "grades": [band_payload(band) for band in data.grades],
    }


def issue_compliance_statement(*, enterprise, year: int, by) -> IssuedDocument:
    content = compliance_statement.render(statement_payload(enterprise=enterprise, year=year))
    return copy_of_record.issue_document(
        kind=COMPLIANCE_STATEMENT,
        subject=str(year),
        content=content,
        by=by,
        filename=f"{enterprise.slug}-{year}年度履约测算说明.pdf",
        generator=pdf.GENERATOR,
    )


def issue_efficiency_report(*, enterprise, year: int, by) -> IssuedDocument:
    content = carbon_efficiency_report.render(efficiency_report_payload(enterprise=enterprise, year=year))
    return copy_of_record.issue_document(
        kind=CARBON_EFFICIENCY_REPORT,
        subject=str(year),
        content=content,
        by=by,
        filename=f"{enterprise.slug}-{year}年度碳效评价报告.pdf",
        generator=pdf.GENERATOR,
    )
