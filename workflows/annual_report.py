"""The life of an annual report: Compiled → In quality review → Awaiting signature → Submitted to the bureau →
Accepted | Returned, a return (by the reviewer or the bureau) corrected as version n+1.

States and transitions are viewflow's FSM (`AnnualReportFlow`); who may take each is an act of tenants.access
("compile_annual_report", "review_annual_report", "sign_annual_report", "decide_annual_report"). Each step
is one transaction (workflows.kit.step): lock and re-check, transition, the domain work in
steward.annual.services, a ReportEvent on the timeline, the inbox, and a published event.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.fsm import State

from steward import events
from steward.annual import disclosure, inbox, selectors, services
from steward.annual.documents import issue_report_pdf, issue_signature_record
from steward.annual.models import AnnualReport, ReportEvent, ReportSignature, ReportStatus
from steward.annual.services import STATEMENT, signature_status
from steward.documents.models import IssuedDocument
from tenants.access import WorkspaceAccess
from workflows import kit

__all__ = ["STATEMENT", "ReportConflict", "signature_status"]  # re-exported for the pages

ReportConflict = kit.Conflict
CONFLICT = gettext_lazy("该年度报告已被他人处理，当前状态为“%(status)s”，请刷新页面。")


class AnnualReportFlow:
    status = State(ReportStatus, default=ReportStatus.COMPILED)

    def __init__(self, report: AnnualReport, grant: WorkspaceAccess):
        self.report = report
        self.grant = grant

    @status.getter()
    def _get_status(self) -> str:
        return self.report.status

    @status.setter()
    def _set_status(self, value: str) -> None:
        self.report.status = value

    @status.transition(
        source=ReportStatus.COMPILED,
        target=ReportStatus.IN_REVIEW,
        label=gettext_lazy("提交质量审核"),
        permission=kit.permission("compile_annual_report"),
    )
    def send_for_review(self) -> None:
        """The service notifies the reviewer."""

    @status.transition(
        source=ReportStatus.IN_REVIEW,
        target=ReportStatus.AWAITING_SIGNATURE,
        label=gettext_lazy("审核通过并出具报告"),
        permission=kit.permission("review_annual_report"),
    )
    def approve_review(self) -> None:
        """The service issues the PDF copy of record the signatory will sign."""

    @status.transition(
        source=ReportStatus.IN_REVIEW,
        target=ReportStatus.RETURNED,
        label=gettext_lazy("退回企业"),
        permission=kit.permission("review_annual_report"),
    )
    def return_from_review(self) -> None:
        """The service records the reasons."""

    @status.transition(
        source=ReportStatus.AWAITING_SIGNATURE,
        target=ReportStatus.SUBMITTED,
        label=gettext_lazy("签署并报送"),
        permission=kit.permission("sign_annual_report"),
    )
    def sign(self) -> None:
        """The service checks the password and binds the signature to the PDF's SHA-256."""

    @status.transition(
        source=ReportStatus.SUBMITTED,
        target=ReportStatus.ACCEPTED,
        label=gettext_lazy("接收"),
        permission=kit.permission("decide_annual_report"),
    )
    def accept(self) -> None:
        """A bureau decision: the report is received."""

    @status.transition(
        source=ReportStatus.SUBMITTED,
        target=ReportStatus.RETURNED,
        label=gettext_lazy("退回企业更正"),
        permission=kit.permission("decide_annual_report"),
    )
    def return_from_bureau(self) -> None:
        """A bureau decision: the enterprise must correct (a new version)."""

    @status.transition(
        source=[ReportStatus.COMPILED, ReportStatus.AWAITING_SIGNATURE, ReportStatus.RETURNED],
        target=ReportStatus.SUPERSEDED,
        label=gettext_lazy("更正为新版本"),
        permission=kit.permission("compile_annual_report"),
    )
    def supersede(self) -> None:
        """The service compiles version n+1 with the reason."""


# The page's name (URL, button) for each transition; a supersede is taken by compiling the next version.
TRANSITION_ACTIONS = {
    "send_for_review": "send_for_review",
    "approve_review": "approve_review",
    "return_from_review": "return_review",
    "sign": "sign",
    "accept": "accept",
    "return_from_bureau": "return_bureau",
    "supersede": "compile",
}


def available_actions(report: AnnualReport | None, grant: WorkspaceAccess, user=None) -> frozenset[str]:
    """What this person may do to this year's report now, by the page's action names ("compile" also when
    there is no report yet). Pages draw their buttons from this."""
    if report is None:
        return frozenset({"compile"}) if kit.may_act(grant, "compile_annual_report") else frozenset()
    return frozenset(
        TRANSITION_ACTIONS[name] for name in kit.available(AnnualReportFlow(report, grant), user)
    )


def _done(report: AnnualReport, action: str, by, comment: str = "", published: str | None = None) -> None:
    ReportEvent.append(report, action, by, comment)
    events.publish(f"annual_report.{published or action}", report)


@kit.step
def compile_report(*, enterprise, year: int, by, grant: WorkspaceAccess, reason: str = "") -> AnnualReport:
    """Compile `year` from its locked months: version 1, or version n+1 (a correction, with a reason)."""
    kit.require(grant, "compile_annual_report")
    services.hold_year(year)
    new = services.correction_of(year, reason, by)
    previous = new.supersedes
    if previous is not None:
        previous = kit.locked(previous, selectors.open_statuses(), CONFLICT)
        kit.run_transition(AnnualReportFlow(previous, grant), "supersede", by)
        previous.save(update_fields=["status"])
    report = services.compile_version(enterprise=enterprise, year=year, new=new)
    if previous is not None:
        _done(previous, ReportEvent.Action.CORRECTED, by, f"第{report.version}版：{new.reason}")
    _done(
        report,
        ReportEvent.Action.COMPILED,
        by,
        f"年度排放量 {report.total_tco2} tCO2；内容哈希 {report.payload_sha256}",
    )
    return report


@kit.step
def send_for_review(*, enterprise, report: AnnualReport, by, grant: WorkspaceAccess) -> AnnualReport:
    report = kit.locked(report, {ReportStatus.COMPILED}, CONFLICT)
    kit.run_transition(AnnualReportFlow(report, grant), "send_for_review", by)
    report.save(update_fields=["status"])
    inbox.notify_reviewers(enterprise, report)
    _done(report, ReportEvent.Action.SENT_FOR_REVIEW, by)
    return report


@kit.step
def approve_review(*, enterprise, report: AnnualReport, by, grant: WorkspaceAccess) -> IssuedDocument:
    """The reviewer approves: the report PDF is issued as the copy of record the signatory will sign."""
    report = kit.locked(report, {ReportStatus.IN_REVIEW}, CONFLICT)
    kit.run_transition(AnnualReportFlow(report, grant), "approve_review", by)
    report.save(update_fields=["status"])
    document = issue_report_pdf(enterprise=enterprise, report=report, by=by)
    inbox.notify_signatories(enterprise, report)
    _done(report, ReportEvent.Action.REVIEW_APPROVED, by, f"报告文件 SHA-256 {document.sha256}")
    return document


@kit.step
def return_from_review(*, enterprise, report: AnnualReport, reason: str, by, grant: WorkspaceAccess):
    reason = services.required_reason(reason, _("退回须填写理由。"))
    report = kit.locked(report, {ReportStatus.IN_REVIEW}, CONFLICT)
    kit.run_transition(AnnualReportFlow(report, grant), "return_from_review", by)
    report.save(update_fields=["status"])
    inbox.notify_enterprise(enterprise, report, stage="review_returned")
    _done(report, ReportEvent.Action.REVIEW_RETURNED, by, reason)
    return report


@kit.step
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
    report = kit.locked(report, {ReportStatus.AWAITING_SIGNATURE}, CONFLICT)
    kit.run_transition(AnnualReportFlow(report, grant), "sign", by)
    services.check_signing_password(by, password)
    signature = services.bind_signature(
        report=report, attested=attested, document_sha256=document_sha256, by=by
    )
    issue_signature_record(enterprise=enterprise, report=report, signature=signature, by=by)
    inbox.notify_bureau(enterprise, report)
    _done(report, ReportEvent.Action.SIGNED, by, f"签署文件 SHA-256 {signature.document_sha256}", "submitted")
    return signature


@kit.step
def accept(*, enterprise, report: AnnualReport, by, grant: WorkspaceAccess) -> AnnualReport:
    report = kit.locked(report, {ReportStatus.SUBMITTED}, CONFLICT)
    kit.run_transition(AnnualReportFlow(report, grant), "accept", by)
    services.record_decision(report)
    disclosure.issue(enterprise=enterprise, report=report, by=by)  # 信息公开: from the version accepted
    inbox.notify_enterprise(enterprise, report, stage="accepted")
    _done(report, ReportEvent.Action.ACCEPTED, by)
    return report


@kit.step
def return_from_bureau(
    *, enterprise, report: AnnualReport, reason: str, by, grant: WorkspaceAccess
) -> AnnualReport:
    reason = services.required_reason(reason, _("退回须填写理由。"))
    report = kit.locked(report, {ReportStatus.SUBMITTED}, CONFLICT)
    kit.run_transition(AnnualReportFlow(report, grant), "return_from_bureau", by)
    services.record_decision(report)
    inbox.notify_enterprise(enterprise, report, stage="bureau_returned")
    _done(report, ReportEvent.Action.BUREAU_RETURNED, by, reason, published="returned")
    return report
