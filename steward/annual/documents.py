"""The annual report's documents: its PDF issued as the copy of record, and who may download it."""

from __future__ import annotations

from reports import annual_report
from steward.documents import copy_of_record
from steward.documents.models import IssuedDocument
from tenants.access import WorkspaceAccess

ANNUAL_REPORT = "annual_report"
SIGNATURE_RECORD = "annual_report_signature"


def _may_view_report(grant: WorkspaceAccess, document: IssuedDocument) -> bool:
    """The enterprise and its carbon steward read every version; the bureau only versions submitted to it."""
    from steward.annual.models import AnnualReport

    if grant.allows("view_carbon"):
        return True
    if not grant.allows("view_submitted_filings"):
        return False
    year, _sep, version = document.subject.partition("-v")
    return AnnualReport.objects.filter(
        year=int(year), version=int(version), submitted_at__isnull=False
    ).exists()


copy_of_record.register_kind(ANNUAL_REPORT, "年度温室气体排放报告", _may_view_report)
copy_of_record.register_kind(SIGNATURE_RECORD, "年度报告电子签署记录", _may_view_report)


def issue_report_pdf(*, enterprise, report, by) -> IssuedDocument:
    """Render the version's PDF from its payload and issue it (the same payload gives the same document)."""
    content = annual_report.render(report.payload, payload_sha256=report.payload_sha256)
    return copy_of_record.issue_document(
        kind=ANNUAL_REPORT,
        subject=report.document_subject,
        content=content,
        by=by,
        filename=f"{enterprise.slug}-{report.year}年度排放报告-第{report.version}版.pdf",
        generator=annual_report.pdf.GENERATOR,
    )


def issue_signature_record(*, enterprise, report, signature, by) -> IssuedDocument:
    """The signed declaration with the signatory's name, position and signing time, as its own document: the
    report PDF the signature is bound to cannot carry its own signing time without changing its hash."""
    from steward.annual.selectors import ROLES

    content = annual_report.render_signature_record(
        report.payload,
        payload_sha256=report.payload_sha256,
        signature={
            "name": str(signature.signer),
            "position": ROLES["enterprise_signatory"],
            "signed_at": signature.signed_at,
            "document_sha256": signature.document_sha256,
            "statement": signature.statement,
        },
    )
    return copy_of_record.issue_document(
        kind=SIGNATURE_RECORD,
        subject=report.document_subject,
        content=content,
        by=by,
        filename=f"{enterprise.slug}-{report.year}年度排放报告-第{report.version}版-签署记录.pdf",
        generator=annual_report.pdf.GENERATOR,
    )
