"""The life of a monthly filing: Draft → In review → Returned | Locked (sealed) → reopened as version n+1.

States and transitions are viewflow's FSM (`MonthlyFilingFlow`); who may take each is an act of
tenants.access (`ACTS`: "approve_filing" and the rest); the steps below are the only way in for pages, the API,
tasks and the demo. Each step is one transaction (workflows.kit.step): lock the row and re-check its state
("someone acted first"), take the transition, call the domain work in steward.filing.services, add a line
to the timeline (FilingEvent) and publish the change (steward.events: the read model and webhooks listen).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.fsm import State

from steward import events
from steward.carbon.freeze import hold_month
from steward.filing import progress, services
from steward.filing.models import FilingEvent, FilingFinding, FilingStatus, MonthlyFiling
from steward.filing.services import current_filing, open_findings
from tenants.access import WorkspaceAccess, may_act
from workflows import kit

__all__ = ["FilingConflict", "current_filing", "open_findings"]  # re-exported for callers of the steps

FilingConflict = kit.Conflict
CONFLICT = gettext_lazy("该存证已被他人处理，当前状态为“%(status)s”，请刷新页面。")
PREPARING = {FilingStatus.DRAFT, FilingStatus.RETURNED}
REVIEWABLE = {FilingStatus.DRAFT, FilingStatus.RETURNED, FilingStatus.IN_REVIEW}


def _no_open_findings(flow: MonthlyFilingFlow) -> kit.Unmet:
    found = open_findings(flow.filing)
    message = _("仍有 %(count)d 项阻断问题或未确认的警告，不能提交：%(list)s") % {
        "count": len(found),
        "list": "；".join(f"{f.rule_id} {f.item}" for f in found),
    }
    return kit.Unmet(not found, message, code="open_findings", items=found)


def _nothing_open_to_approve(flow: MonthlyFilingFlow) -> kit.Unmet:
    """A month in review was submitted with nothing open; should a finding be open all the same (recorded
    afterwards, a waiver withdrawn), it is not sealed over it."""
    found = open_findings(flow.filing)
    message = _("仍有 %(count)d 项阻断问题或未确认的警告，不能审核通过：%(list)s") % {
        "count": len(found),
        "list": "；".join(f"{f.rule_id} {f.item}" for f in found),
    }
    return kit.Unmet(not found, message, code="open_findings", items=found)


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
        label=gettext_lazy("提交审核"),
        permission=kit.permission("prepare_filing"),
        conditions=[_no_open_findings],
    )
    def submit(self) -> None:
        """The rule pack has just run; nothing may stay open."""

    @status.transition(
        source=FilingStatus.IN_REVIEW,
        target=FilingStatus.RETURNED,
        label=gettext_lazy("退回修改"),
        permission=kit.permission("return_filing"),
    )
    def return_for_changes(self) -> None:
        """With the reviewer's comments per item."""

    @status.transition(
        source=FilingStatus.IN_REVIEW,
        target=FilingStatus.LOCKED,
        label=gettext_lazy("审核通过并锁定"),
        permission=kit.permission("approve_filing"),
        conditions=[_nothing_open_to_approve],
    )
    def approve(self) -> None:
        """The month is sealed."""


# The page's name (URL, button) for each transition.
TRANSITION_ACTIONS = {"submit": "submit", "return_for_changes": "return", "approve": "approve"}


def available_actions(filing: MonthlyFiling | None, grant: WorkspaceAccess, user=None) -> frozenset[str]:
    """What this person may do to this filing now, by the page's action names: the flow's transitions plus
    the steps that keep the state (open, check, acknowledge, waive, request and approve a reopen). Pages draw
    their buttons from this, never from status strings."""
    if filing is None:
        return frozenset({"open"}) if may_act(grant, "prepare_filing") else frozenset()
    actions = {TRANSITION_ACTIONS[name] for name in kit.available(MonthlyFilingFlow(filing, grant), user)}
    preparing = may_act(grant, "prepare_filing")
    if preparing and filing.status in PREPARING:
        actions |= {"check", "acknowledge"}
    if may_act(grant, "waive_finding") and filing.status in REVIEWABLE:
        actions.add("waive")
    if filing.status == FilingStatus.LOCKED and not hasattr(filing, "superseded_by"):
        if preparing and not filing.reopen_reason:
            actions.add("request_reopen")
        if may_act(grant, "approve_reopen") and filing.reopen_reason:
            actions.add("approve_reopen")
    return frozenset(actions)


# The act behind each of the page's actions (a step checks its own; this answers before there is a record).
ACT_OF_ACTION = {
    "open": "prepare_filing",
    "check": "prepare_filing",
    "submit": "prepare_filing",
    "acknowledge": "prepare_filing",
    "request_reopen": "prepare_filing",
    "return": "return_filing",
    "approve": "approve_filing",
    "waive": "waive_finding",
    "approve_reopen": "approve_reopen",
}


def require_action(action: str, grant: WorkspaceAccess) -> None:
    """PermissionDenied unless this person's act allows the page action (for a month with no filing yet,
    where no step runs to refuse)."""
    kit.require(grant, ACT_OF_ACTION.get(action, "prepare_filing"))


def _done(filing: MonthlyFiling, action: str, by, comment: str = "", published: str | None = None) -> None:
    event = FilingEvent.append(filing, action, by, comment)
    events.publish(f"filing.{published or action}", filing, by=by, comment=comment, event_id=event.pk)


@kit.step
def open_filing(
    *, enterprise, year: int, month: int, by, grant: WorkspaceAccess | None = None
) -> MonthlyFiling:
    if grant is not None:
        kit.require(grant, "prepare_filing")
    existing = current_filing(year, month)
    if existing:
        return existing
    filing = services.create_filing(enterprise=enterprise, year=year, month=month)
    _done(filing, FilingEvent.Action.OPENED, by)
    return filing


@kit.step
def run_checks(
    *, enterprise, filing: MonthlyFiling, by, grant: WorkspaceAccess | None = None
) -> list[FilingFinding]:
    """Re-run the rule pack; acknowledgements and waivers of findings that remain are kept."""
    if grant is not None:
        kit.require(grant, "prepare_filing")
    filing = kit.locked(filing, PREPARING, CONFLICT)
    findings = services.record_findings(enterprise=enterprise, filing=filing)
    _done(filing, FilingEvent.Action.CHECKED, by, f"{filing.rule_pack_version}：{len(findings)} 项发现")
    return findings


@kit.step
def acknowledge(*, finding: FilingFinding, comment: str, by, grant: WorkspaceAccess) -> FilingFinding:
    """A filer explains a warning (the stated cause the reviewer will see)."""
    kit.require(grant, "prepare_filing")
    services.check_acknowledgement(finding, comment)
    kit.locked(finding.filing, PREPARING, CONFLICT)
    finding = services.acknowledge_warning(finding=finding, comment=comment, by=by)
    _done(finding.filing, FilingEvent.Action.ACKNOWLEDGED, by, f"{finding.rule_id} {finding.item}：{comment}")
    return finding


@kit.step
def waive(*, finding: FilingFinding, reason: str, by, grant: WorkspaceAccess) -> FilingFinding:
    """The reviewer waives a finding, with a reason that is logged."""
    kit.require(grant, "waive_finding")
    services.check_waiver_reason(reason)
    kit.locked(finding.filing, REVIEWABLE, CONFLICT)
    finding = services.waive_finding(finding=finding, reason=reason, by=by)
    _done(finding.filing, FilingEvent.Action.WAIVED, by, f"{finding.rule_id} {finding.item}：{reason}")
    return finding


@kit.step
def request_waiver(
    *, enterprise, year: int, month: int, finding_token: str, reason: str, by, grant: WorkspaceAccess
) -> FilingFinding:
    """The filer asks the reviewer to waive a blocking finding they cannot fix (with the reason); the
    month's filing is opened and checked first when needed, so the request names a stored finding."""
    kit.require(grant, "prepare_filing")
    filing = open_filing(enterprise=enterprise, year=year, month=month, by=by)
    filing = kit.locked(filing, PREPARING, CONFLICT)
    services.record_findings(enterprise=enterprise, filing=filing)
    finding = next((f for f in filing.findings.all() if progress.finding_token(f) == finding_token), None)
    if finding is None:
        raise ValidationError(_("该问题已不存在，请刷新页面后重新检查。"), code="finding_gone")
    finding = services.note_waiver_request(finding=finding, reason=reason, by=by)
    _done(
        filing, FilingEvent.Action.WAIVER_REQUESTED, by, f"{finding.rule_id} {finding.item}：{reason.strip()}"
    )
    return finding


@kit.step
def prepare_and_submit(
    *, enterprise, year: int, month: int, notes: dict[str, str], by, grant: WorkspaceAccess
) -> MonthlyFiling:
    """The filer's one action on a month whose data are entered: open the filing if there is none, check
    it, record the notes given for its warnings (finding token → note) and submit. Refused, with every
    finding still open named, when a blocking finding has no waiver or a warning has no note."""
    kit.require(grant, "prepare_filing")
    filing = open_filing(enterprise=enterprise, year=year, month=month, by=by)
    filing = kit.locked(filing, PREPARING, CONFLICT)
    services.record_findings(enterprise=enterprise, filing=filing)
    for finding in filing.findings.filter(severity="warning", acknowledgement="", waiver_reason=""):
        note = (notes.get(progress.finding_token(finding)) or "").strip()
        if note:
            services.acknowledge_warning(finding=finding, comment=note, by=by)
            _done(filing, FilingEvent.Action.ACKNOWLEDGED, by, f"{finding.rule_id} {finding.item}：{note}")
    still_open = services.open_findings(filing)
    if still_open:
        raise ValidationError(
            {
                progress.finding_token(finding): ValidationError(
                    _("%(rule)s %(message)s：%(what)s"),
                    code="blocking_open" if finding.severity == "blocking" else "note_required",
                    params={
                        "rule": finding.rule_id,
                        "message": finding.display_message,
                        "what": _("须修正数据或由审核人豁免")
                        if finding.severity == "blocking"
                        else _("请填写原因说明"),
                    },
                )
                for finding in still_open
            }
        )
    return submit(enterprise=enterprise, filing=filing, by=by, grant=grant)


@kit.step
def submit(*, enterprise, filing: MonthlyFiling, by, grant: WorkspaceAccess) -> MonthlyFiling:
    """Run the rule pack, then submit if nothing is open (refused with the list of open findings)."""
    hold_month(filing.year, filing.month)  # writers in flight finish first; later ones find the month frozen
    filing = kit.locked(filing, PREPARING, CONFLICT)
    flow = MonthlyFilingFlow(filing, grant)
    kit.check_transition(flow, "submit", by)
    findings = services.record_findings(enterprise=enterprise, filing=filing)
    _done(filing, FilingEvent.Action.CHECKED, by, f"{filing.rule_pack_version}：{len(findings)} 项发现")
    kit.run_transition(flow, "submit", by)
    services.mark_submitted(filing)
    _done(filing, FilingEvent.Action.SUBMITTED, by)
    return filing


@kit.step
def return_for_changes(
    *, filing: MonthlyFiling, comments: dict[str, str], by, grant: WorkspaceAccess
) -> MonthlyFiling:
    comments = services.clean_comments(comments)
    filing = kit.locked(filing, {FilingStatus.IN_REVIEW}, CONFLICT)
    kit.run_transition(MonthlyFilingFlow(filing, grant), "return_for_changes", by)
    filing.save(update_fields=["status"])
    services.add_review_comments(filing=filing, comments=comments, by=by)
    _done(
        filing,
        FilingEvent.Action.RETURNED,
        by,
        "；".join(f"{item}：{text}" for item, text in comments.items()),
    )
    return filing


@kit.step
def approve(*, filing: MonthlyFiling, by, grant: WorkspaceAccess) -> MonthlyFiling:
    """Approve, lock and seal: the seal chains to the enterprise's previous seal."""
    hold_month(filing.year, filing.month)  # before the row lock, in the same order as submit
    filing = kit.locked(filing, {FilingStatus.IN_REVIEW}, CONFLICT)
    kit.run_transition(MonthlyFilingFlow(filing, grant), "approve", by)
    services.seal_filing(filing, by=by)
    _done(filing, FilingEvent.Action.APPROVED, by, f"存证哈希 {filing.seal}", published="locked")
    return filing


@kit.step
def request_reopen(*, filing: MonthlyFiling, reason: str, by, grant: WorkspaceAccess) -> MonthlyFiling:
    kit.require(grant, "prepare_filing")
    if not reason.strip():
        services.note_reopen_request(filing=filing, reason=reason, by=by)  # refuses: reason_required
    filing = kit.locked(filing, {FilingStatus.LOCKED}, CONFLICT)
    services.note_reopen_request(filing=filing, reason=reason, by=by)
    _done(filing, FilingEvent.Action.REOPEN_REQUESTED, by, reason)
    return filing


@kit.step
def approve_reopen(*, filing: MonthlyFiling, by, grant: WorkspaceAccess) -> MonthlyFiling:
    """The reviewer approves: a new draft version opens; the locked version stays readable and sealed."""
    kit.require(grant, "approve_reopen")
    filing = kit.locked(filing, {FilingStatus.LOCKED}, CONFLICT)
    reopened = services.reopen(filing=filing, by=by)
    FilingEvent.append(
        filing, FilingEvent.Action.REOPENED, by, f"第{reopened.version}版：{filing.reopen_reason}"
    )
    _done(reopened, FilingEvent.Action.REOPENED, by, filing.reopen_reason)
    return reopened
