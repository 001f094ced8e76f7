"""The permit execution report flow (django-viewflow FSM): Draft → In review → Returned | Approved.

Like the monthly filing: the flow decides which transitions exist and for whom; steward.pollution.execution does
the work (content snapshot, hash, PDF copy of record). The reviewer is the steward whose live engagement covers
environmental work, otherwise the enterprise administrator (tenants.access.may_review_environmental).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow.fsm import State

from steward.pollution.models import ExecutionReport, ReportStatus
from tenants.access import WorkspaceAccess, may_review_environmental


def _may_file(flow: ExecutionReportFlow, user) -> bool:
    return flow.grant.allows("file_execution_report")


def _may_review(flow: ExecutionReportFlow, user) -> bool:
    return may_review_environmental(flow.grant)


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
        label=_("提交审核"),
        permission=_may_file,
    )
    def submit(self) -> None:
        """The service snapshots the report's content."""

    @status.transition(
        source=ReportStatus.IN_REVIEW,
        target=ReportStatus.RETURNED,
        label=_("退回修改"),
        permission=_may_review,
    )
    def return_for_changes(self) -> None:
        """The service records the comment."""

    @status.transition(
        source=ReportStatus.IN_REVIEW,
        target=ReportStatus.APPROVED,
        label=_("审核通过"),
        permission=_may_review,
    )
    def approve(self) -> None:
        """The service renders and stores the PDF copy of record."""
