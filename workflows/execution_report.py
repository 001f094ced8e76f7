"""The life of a permit execution report: Draft → In review → Returned | Approved (PDF copy of record).

States and transitions are viewflow's FSM (`ExecutionReportFlow`); who may take each is an act of
tenants.access ("file_execution_report"; "review_execution_report": the steward whose live engagement covers
environmental work, otherwise the enterprise administrator). Each step is one transaction (workflows.kit.step)
calling the domain work in steward.pollution.execution.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.fsm import State

from steward import events
from steward.carbon.models import EmissionSource
from steward.pollution import execution
from steward.pollution.execution import build_content, current_report
from steward.pollution.models import ExecutionReport, ExecutionReportEvent, ReportStatus
from tenants.access import WorkspaceAccess
from workflows import kit

__all__ = ["build_content", "current_report"]  # re-exported for the pages

CONFLICT = gettext_lazy("该执行报告已被他人处理，当前状态为“%(status)s”，请刷新页面。")
DRAFTING = {ReportStatus.DRAFT, ReportStatus.RETURNED}


class ExecutionReportFlow:
    status = State(ReportStatus, default=ReportStatus.DRAFT)

    def __init__(self, report: ExecutionReport, grant: WorkspaceAccess):
        self.report = report
        self.grant = grant

    @status.getter()
    def _get_status(self) -> str:
        return self.report.status

    @status.setter()
    def _set_status(self, value: str) -> None:
        self.report.status = value

    @status.transition(
        source=[ReportStatus.DRAFT, ReportStatus.RETURNED],
        target=ReportStatus.IN_REVIEW,
        label=gettext_lazy("提交审核"),
        permission=kit.permission("file_execution_report"),
    )
    def submit(self) -> None:
        """The service snapshots the report's content."""

    @status.transition(
        source=ReportStatus.IN_REVIEW,
        target=ReportStatus.RETURNED,
        label=gettext_lazy("退回修改"),
        permission=kit.permission("review_execution_report"),
    )
    def return_for_changes(self) -> None:
        """The service records the comment."""

    @status.transition(
        source=ReportStatus.IN_REVIEW,
        target=ReportStatus.APPROVED,
        label=gettext_lazy("审核通过"),
        permission=kit.permission("review_execution_report"),
    )
    def approve(self) -> None:
        """The service renders and stores the PDF copy of record."""


# The page's name (URL, button) for each transition.
TRANSITION_ACTIONS = {"submit": "submit", "return_for_changes": "return", "approve": "approve"}


def available_actions(report: ExecutionReport | None, grant: WorkspaceAccess, user=None) -> frozenset[str]:
    """What this person may do to this report now, by the page's action names (open, declare, submit,
    return, approve). Pages draw their buttons from this."""
    filing = kit.may_act(grant, "file_execution_report")
    if report is None:
        return frozenset({"open"}) if filing else frozenset()
    actions = {TRANSITION_ACTIONS[name] for name in kit.available(ExecutionReportFlow(report, grant), user)}
    if filing and report.status in DRAFTING:
        actions.add("declare")
    return frozenset(actions)


def _done(report: ExecutionReport, action: str, by, comment: str = "") -> None:
    ExecutionReportEvent.append(report, action, by, comment)
    events.publish(f"execution_report.{action}", report)


@kit.step
def open_report(*, frequency: str, year: int, period: int, by, grant: WorkspaceAccess) -> ExecutionReport:
    kit.require(grant, "file_execution_report")
    report, created = execution.create_report(frequency=frequency, year=year, period=period)
    if created:
        _done(report, ExecutionReportEvent.Action.OPENED, by)
    return report


@kit.step
def declare_fuel(
    *, report: ExecutionReport, source: EmissionSource, month: int, quantity, unit: str, by, grant
):
    """Fuel as declared in the report; a later declaration for the same source and month supersedes it."""
    kit.require(grant, "file_execution_report")
    return execution.declare_fuel(
        report=report, source=source, month=month, quantity=quantity, unit=unit, by=by
    )


@kit.step
def submit(*, report: ExecutionReport, by, grant: WorkspaceAccess) -> ExecutionReport:
    report = kit.locked(report, DRAFTING, CONFLICT)
    kit.run_transition(ExecutionReportFlow(report, grant), "submit", by)
    execution.snapshot(report)
    _done(report, ExecutionReportEvent.Action.SUBMITTED, by, f"内容哈希 {report.content_sha256}")
    return report


@kit.step
def return_for_changes(
    *, report: ExecutionReport, comment: str, by, grant: WorkspaceAccess
) -> ExecutionReport:
    if not comment.strip():
        raise ValidationError(_("退回须填写审核意见。"), code="comment_required")
    report = kit.locked(report, {ReportStatus.IN_REVIEW}, CONFLICT)
    kit.run_transition(ExecutionReportFlow(report, grant), "return_for_changes", by)
    report.save(update_fields=["status"])
    _done(report, ExecutionReportEvent.Action.RETURNED, by, comment.strip())
    return report


@kit.step
def approve(*, report: ExecutionReport, enterprise, by, grant: WorkspaceAccess) -> ExecutionReport:
    """Approve and store the PDF (built from the submitted content) as the copy of record."""
    report = kit.locked(report, {ReportStatus.IN_REVIEW}, CONFLICT)
    kit.run_transition(ExecutionReportFlow(report, grant), "approve", by)
    execution.issue_copy_of_record(report=report, enterprise=enterprise, by=by)
    _done(report, ExecutionReportEvent.Action.APPROVED, by, f"存档件 SHA-256 {report.document.sha256}")
    return report
