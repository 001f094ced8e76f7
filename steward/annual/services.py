"""Annual report use cases. Every state change goes through the flow, locks the row and leaves an event.

Concurrency: each action takes the report row FOR UPDATE and re-checks its state, so of two people acting at
once exactly one succeeds and the other gets a clear conflict error. Compiling a version takes an advisory
lock per year, so two compilations cannot both become version n+1.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.annual import inbox, selectors
from steward.annual.deadlines import annual_report_deadline
from steward.annual.documents import ANNUAL_REPORT, issue_report_pdf
from steward.annual.models import AnnualReport, ReportEvent, ReportSignature, ReportStatus
from steward.documents import copy_of_record
from steward.documents.models import IssuedDocument
from steward.integrations import webhooks
from steward.oversight import projection as oversight
from tenants.access import WorkspaceAccess
from tenants.attempts import SIGNING
from workflows.annual_report import AnnualReportFlow
from workflows.transitions import run_transition

logger = logging.getLogger("steward.annual")

STATEMENT = (
    "本人确认：本报告所载排放数据及相关信息真实、准确、完整，核算方法符合国家温室气体排放核算与报告指南，"
    "如有虚报、瞒报，愿承担相应法律责任。"
)


class ReportConflict(ValidationError):
    """The report changed under the user's feet (someone else acted first)."""


def _event(report: AnnualReport, action: str, actor, comment: str = "") -> None:
    ReportEvent.objects.create(report=report, action=action, actor=actor, comment=comment[:500])
    logger.info(
        "annual report %s", action, extra={"report": report.pk, "year": report.year, "actor": actor.pk}
    )


def _locked(report: AnnualReport, expected: set[str]) -> AnnualReport:
    fresh = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if fresh.status not in expected:
        raise ReportConflict(
            _("该年度报告已被他人处理，当前状态为“%(status)s”，请刷新页面。"),
            code="conflict",
            params={"status": fresh.get_status_display()},
        )
    return fresh


def _reason(text: str, message: str) -> str:
    if not text or not text.strip():
        raise ValidationError(message, code="reason_required")
    return text.strip()


@transaction.atomic
def compile_report(*, enterprise, year: int, by, grant: WorkspaceAccess, reason: str = "") -> AnnualReport:
    """Compile `year` from its locked months: version 1, or version n+1 (a correction, with a reason)."""
    if not grant.allows("enter_activity_data"):
        raise PermissionDenied("compile_annual_report")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':annual:' || %s))", [year])
    if blocking := selectors.blocking_months(year):
        raise ValidationError(
            _("以下月份尚未锁定存证，不能汇编%(year)s年度报告：%(months)s"),
            code="months_not_locked",
            params={"year": year, "months": "；".join(blocking)},
        )
    previous = selectors.current_report(year)
    if previous is not None:
        if previous.status not in selectors.open_statuses():
            raise ValidationError(
                _("第%(version)s版当前为“%(status)s”，此时不能更正。"),
                code="not_correctable",
                params={"version": previous.version, "status": previous.get_status_display()},
            )
        reason = _reason(reason, _("已有本年度报告，更正为新版本须说明原因。"))
        previous = _locked(previous, selectors.open_statuses())
        run_transition(AnnualReportFlow(previous, grant), "supersede", by)
        previous.save(update_fields=["status"])
    version = previous.version + 1 if previous else 1
    payload = selectors.build_payload(enterprise=enterprise, year=year, version=version)
    deadline, basis = annual_report_deadline(year)
    report = AnnualReport.objects.create(
        year=year,
        version=version,
        deadline=deadline,
        deadline_basis=basis,
        payload=payload,
        payload_sha256=selectors.payload_hash(payload),
        total_tco2=payload["total_tco2"],
        supersedes=previous,
        correction_reason=reason[:300] if previous else "",
        compiled_by=by,
    )
    if previous:
        _event(previous, ReportEvent.Action.CORRECTED, by, f"第{version}版：{reason}")
    _event(
        report,
        ReportEvent.Action.COMPILED,
        by,
        f"年度排放量 {report.total_tco2} tCO2；内容哈希 {report.payload_sha256}",
    )
    oversight.refresh_enterprise(enterprise)
    return report


@transaction.atomic
def send_for_review(*, enterprise, report: AnnualReport, by, grant: WorkspaceAccess) -> AnnualReport:
    report = _locked(report, {ReportStatus.COMPILED})
    run_transition(AnnualReportFlow(report, grant), "send_for_review", by)
    report.save(update_fields=["status"])
    _event(report, ReportEvent.Action.SENT_FOR_REVIEW, by)
    inbox.notify_reviewers(enterprise, report)
    oversight.refresh_enterprise(enterprise)
    return report


@transaction.atomic
def approve_review(*, enterprise, report: AnnualReport, by, grant: WorkspaceAccess) -> IssuedDocument:
    """The reviewer approves: the report PDF is issued as the copy of record the signatory will sign."""
    report = _locked(report, {ReportStatus.IN_REVIEW})
    run_transition(AnnualReportFlow(report, grant), "approve_review", by)
    report.save(update_fields=["status"])
    document = issue_report_pdf(enterprise=enterprise, report=report, by=by)
    _event(report, ReportEvent.Action.REVIEW_APPROVED, by, f"报告文件 SHA-256 {document.sha256}")
    inbox.notify_signatories(enterprise, report)
    oversight.refresh_enterprise(enterprise)
    return document


@transaction.atomic
def return_from_review(*, enterprise, report: AnnualReport, reason: str, by, grant: WorkspaceAccess):
    reason = _reason(reason, _("退回须填写理由。"))
    report = _locked(report, {ReportStatus.IN_REVIEW})
    run_transition(AnnualReportFlow(report, grant), "return_from_review", by)
    report.save(update_fields=["status"])
    _event(report, ReportEvent.Action.REVIEW_RETURNED, by, reason)
    inbox.notify_enterprise(enterprise, report, stage="review_returned")
    oversight.refresh_enterprise(enterprise)
    return report


def _check_signing_password(by, password: str) -> None:
    """The re-entered password is the signature's proof of identity, so it must not be guessable through the
    signing form by someone holding a stolen session (tenants/attempts.py)."""
    account = f"{connection.schema_name}:{by.pk}"
    if SIGNING.locked(account):
        raise ValidationError(
            _("密码错误次数过多，签署已锁定 %(minutes)d 分钟。") % {"minutes": SIGNING.minutes},
            code="signing_locked",
        )
    if not password or not by.check_password(password):
        SIGNING.failed(account)
        raise ValidationError(_("密码不正确，未签署。"), code="wrong_password")
    SIGNING.succeeded(account)


@transaction.atomic
def sign(
    *,
    enterprise,
    report: AnnualReport,
    password: str,
    attested: bool,
    document_sha256: str,
    by,
    grant: WorkspaceAccess,
) -> ReportSignature:
    """The signatory re-enters their password and attests to the PDF they were shown (by its hash)."""
    report = _locked(report, {ReportStatus.AWAITING_SIGNATURE})
    run_transition(AnnualReportFlow(report, grant), "sign", by)
    _check_signing_password(by, password)
    if not attested:
        raise ValidationError(_("请勾选确认声明后再签署。"), code="not_attested")
    document = copy_of_record.latest_document(ANNUAL_REPORT, report.document_subject)
    if document is None or document.sha256 != document_sha256:
        raise ValidationError(
            _("报告文件已变更，请重新查看最新的报告文件后再签署。"), code="document_changed"
        )
    copy_of_record.read_document(document)  # the bytes on disk are still the ones shown
    signature = ReportSignature.objects.create(
        report=report, document=document, document_sha256=document.sha256, signer=by, statement=STATEMENT
    )
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at"])
    _event(report, ReportEvent.Action.SIGNED, by, f"签署文件 SHA-256 {document.sha256}")
    inbox.notify_bureau(enterprise, report)
    oversight.refresh_enterprise(enterprise)
    webhooks.annual_report_changed(report, "submitted")
    return signature


@transaction.atomic
def accept(*, enterprise, report: AnnualReport, by, grant: WorkspaceAccess) -> AnnualReport:
    report = _locked(report, {ReportStatus.SUBMITTED})
    run_transition(AnnualReportFlow(report, grant), "accept", by)
    report.decided_at = timezone.now()
    report.save(update_fields=["status", "decided_at"])
    _event(report, ReportEvent.Action.ACCEPTED, by)
    inbox.notify_enterprise(enterprise, report, stage="accepted")
    oversight.refresh_enterprise(enterprise)
    webhooks.annual_report_changed(report, "accepted")
    return report


@transaction.atomic
def return_from_bureau(
    *, enterprise, report: AnnualReport, reason: str, by, grant: WorkspaceAccess
) -> AnnualReport:
    reason = _reason(reason, _("退回须填写理由。"))
    report = _locked(report, {ReportStatus.SUBMITTED})
    run_transition(AnnualReportFlow(report, grant), "return_from_bureau", by)
    report.decided_at = timezone.now()
    report.save(update_fields=["status", "decided_at"])
    _event(report, ReportEvent.Action.BUREAU_RETURNED, by, reason)
    inbox.notify_enterprise(enterprise, report, stage="bureau_returned")
    oversight.refresh_enterprise(enterprise)
    webhooks.annual_report_changed(report, "returned")
    return report


@dataclass(frozen=True)
class SignatureStatus:
    signature: ReportSignature | None
    valid: bool
    reason: str


def signature_status(report: AnnualReport) -> SignatureStatus:
    """Is this version signed, and does the signature still cover its current copy of record?"""
    signature = report.signatures.select_related("signer", "document").order_by("-signed_at", "-pk").first()
    if signature is None:
        return SignatureStatus(None, False, _("未签署"))
    document = copy_of_record.latest_document(ANNUAL_REPORT, report.document_subject)
    if document is None or document.sha256 != signature.document_sha256:
        return SignatureStatus(signature, False, _("报告文件已变更，原签署失效，须重新签署"))
    try:
        copy_of_record.read_document(document)
    except copy_of_record.DocumentTampered:
        return SignatureStatus(signature, False, _("存档文件与签署时的哈希不一致"))
    return SignatureStatus(signature, True, _("签署有效"))
