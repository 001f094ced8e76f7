"""Annual report domain work: compile a version from the locked months, check the signatory's password,
bind a signature to the PDF's hash, and tell whether a signature still holds.

Who may act and in which state is the flow's business (workflows/annual_report.py): it locks the row, takes
the transition and calls these. Compiling takes an advisory lock per year, so two compilations cannot both
become version n+1.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.annual import selectors
from steward.annual.deadlines import annual_report_deadline
from steward.annual.documents import ANNUAL_REPORT
from steward.annual.models import AnnualReport, ReportSignature
from steward.documents import copy_of_record
from steward.versioning import NextVersion, next_version
from tenants.attempts import SIGNING

STATEMENT = (
    "本人确认：本报告所载排放数据及相关信息真实、准确、完整，核算方法符合国家温室气体排放核算与报告指南，"
    "如有虚报、瞒报，愿承担相应法律责任。"
)


def hold_year(year: int) -> None:
    """One compilation of `year` at a time in this workspace (until the transaction ends)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':annual:' || %s))", [year])


def correction_of(year: int, reason: str, by) -> NextVersion:
    """The version to compile next: 1, or n+1 of a report still open to correction (with its reason). Every
    month must be locked."""
    if blocking := selectors.blocking_months(year):
        raise ValidationError(
            _("以下月份尚未锁定存证，不能汇编%(year)s年度报告：%(months)s"),
            code="months_not_locked",
            params={"year": year, "months": "；".join(blocking)},
        )
    previous = selectors.current_report(year)
    if previous is not None and previous.status not in selectors.open_statuses():
        raise ValidationError(
            _("第%(version)s版当前为“%(status)s”，此时不能更正。"),
            code="not_correctable",
            params={"version": previous.version, "status": previous.get_status_display()},
        )
    return next_version(previous, reason, by, message=_("已有本年度报告，更正为新版本须说明原因。"))


def compile_version(*, enterprise, year: int, new: NextVersion) -> AnnualReport:
    """Build the payload from the sealed monthly payloads and store it, hashed, as version `new.version`."""
    payload = selectors.build_payload(enterprise=enterprise, year=year, version=new.version)
    deadline, basis = annual_report_deadline(year)
    return AnnualReport.objects.create(
        year=year,
        deadline=deadline,
        deadline_basis=basis,
        payload=payload,
        payload_sha256=selectors.payload_hash(payload),
        total_tco2=payload["total_tco2"],
        compiled_by=new.by,
        **new.fields(),
    )


def check_signing_password(by, password: str) -> None:
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


def bind_signature(*, report: AnnualReport, attested: bool, document_sha256: str, by) -> ReportSignature:
    """The signatory attests to the PDF they were shown (by its hash); the report is submitted."""
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
    return signature


def record_decision(report: AnnualReport) -> AnnualReport:
    report.decided_at = timezone.now()
    report.save(update_fields=["status", "decided_at"])
    return report


def required_reason(text: str, message: str) -> str:
    if not text or not text.strip():
        raise ValidationError(message, code="reason_required")
    return text.strip()


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
