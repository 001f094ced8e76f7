"""The monthly filing flow (django-viewflow FSM): Draft → In review → Returned | Locked (sealed).

The flow decides which transitions exist, from which state, under which conditions and for whom; the work
of each step (checks, sealing, versioning) is done by services in steward.filing.services.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow.fsm import State

from steward.filing.models import FilingStatus, MonthlyFiling
from tenants.access import WorkspaceAccess, may_review_filing


def _may_file(flow: MonthlyFilingFlow, user) -> bool:
    return flow.grant.allows("enter_activity_data")


def _may_review(flow: MonthlyFilingFlow, user) -> bool:
    return may_review_filing(flow.grant)


def _no_open_findings(flow: MonthlyFilingFlow) -> State.CONDITION:
    open_findings = [finding for finding in flow.filing.findings.all() if finding.open]
    return State.CONDITION(
        not open_findings,
        unmet=str(_("仍有 %(count)d 项阻断问题或未确认的警告")) % {"count": len(open_findings)},
    )


class MonthlyFilingFlow:
    status = State(FilingStatus, default=FilingStatus.DRAFT)

    def __init__(self, filing: MonthlyFiling, grant: WorkspaceAccess):
        self.filing = filing
        self.grant = grant

    @status.getter()
    def _get_status(self) -> str:
        return self.filing.status

    @status.setter()
    def _set_status(self, value: str) -> None:
        self.filing.status = value

    @status.transition(
        source=[FilingStatus.DRAFT, FilingStatus.RETURNED],
        target=FilingStatus.IN_REVIEW,
        label=_("提交审核"),
        permission=_may_file,
        conditions=[_no_open_findings],
    )
    def submit(self) -> None:
        """Findings are already checked by the condition; the service records the submission."""

    @status.transition(
        source=FilingStatus.IN_REVIEW,
        target=FilingStatus.RETURNED,
        label=_("退回修改"),
        permission=_may_review,
    )
    def return_for_changes(self) -> None:
        """The service records the comments per item."""

    @status.transition(
        source=FilingStatus.IN_REVIEW,
        target=FilingStatus.LOCKED,
        label=_("审核通过并锁定"),
        permission=_may_review,
    )
    def approve(self) -> None:
        """The service seals the month."""
