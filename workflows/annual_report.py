"""The annual report flow (django-viewflow FSM).

Compiled → In quality review → Awaiting signature → Submitted to the bureau → Accepted | Returned, with
Returned (by the reviewer or the bureau) corrected as a new version. The flow says which transitions exist,
from where, on which condition and for whom; steward.annual.services does the work of each step.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow.fsm import State

from steward.annual.models import AnnualReport, ReportStatus
from tenants.access import WorkspaceAccess, may_review_filing


def _may_prepare(flow: AnnualReportFlow, user) -> bool:
    return flow.grant.allows("enter_activity_data")


def _may_review(flow: AnnualReportFlow, user) -> bool:
    return may_review_filing(flow.grant)


def _may_sign(flow: AnnualReportFlow, user) -> bool:
    return flow.grant.allows("sign_report")


def _may_decide(flow: AnnualReportFlow, user) -> bool:
    return flow.grant.allows("decide_annual_report")


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
        label=_("提交质量审核"),
        permission=_may_prepare,
    )
    def send_for_review(self) -> None:
        """The service notifies the reviewer."""

    @status.transition(
        source=ReportStatus.IN_REVIEW,
        target=ReportStatus.AWAITING_SIGNATURE,
        label=_("审核通过并出具报告"),
        permission=_may_review,
    )
    def approve_review(self) -> None:
        """The service issues the PDF copy of record the signatory will sign."""

    @status.transition(
        source=ReportStatus.IN_REVIEW,
        target=ReportStatus.RETURNED,
        label=_("退回企业"),
        permission=_may_review,
    )
    def return_from_review(self) -> None:
        """The service records the reasons."""

    @status.transition(
        source=ReportStatus.AWAITING_SIGNATURE,
        target=ReportStatus.SUBMITTED,
        label=_("签署并报送"),
        permission=_may_sign,
    )
    def sign(self) -> None:
        """The service checks the password and binds the signature to the PDF's SHA-256."""

    @status.transition(
        source=ReportStatus.SUBMITTED,
        target=ReportStatus.ACCEPTED,
        label=_("接收"),
        permission=_may_decide,
    )
    def accept(self) -> None:
        """A bureau decision: the report is received."""

    @status.transition(
        source=ReportStatus.SUBMITTED,
        target=ReportStatus.RETURNED,
        label=_("退回企业更正"),
        permission=_may_decide,
    )
    def return_from_bureau(self) -> None:
        """A bureau decision: the enterprise must correct (a new version)."""

    @status.transition(
        source=[ReportStatus.COMPILED, ReportStatus.AWAITING_SIGNATURE, ReportStatus.RETURNED],
        target=ReportStatus.SUPERSEDED,
        label=_("更正为新版本"),
        permission=_may_prepare,
    )
    def supersede(self) -> None:
        """The service compiles version n+1 with the reason."""
