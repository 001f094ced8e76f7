"""Monthly filing use cases. Every state change goes through the flow; each action leaves an event.

Concurrency: every action locks the filing row (SELECT … FOR UPDATE) and re-reads its state, so of two
reviewers approving at once exactly one succeeds; the other gets a clear conflict error.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.carbon.freeze import hold_month
from steward.filing import seal
from steward.filing.models import FilingEvent, FilingFinding, FilingStatus, MonthlyFiling, ReviewComment
from steward.history import attributed
from steward.integrations import webhooks
from steward.oversight import projection as oversight
from steward.quality.pack import check_month, pack_version
from steward.quality.selectors import month_context
from tenants.access import WorkspaceAccess, may_review_filing
from tenants.deadlines import monthly_filing_deadline
from workflows.monthly_filing import MonthlyFilingFlow
from workflows.transitions import run_transition

logger = logging.getLogger("steward.filing")


class FilingConflict(ValidationError):
    """The filing changed under the user's feet (another reviewer acted first)."""


def current_filing(year: int, month: int) -> MonthlyFiling | None:
    return MonthlyFiling.objects.filter(year=year, month=month).order_by("-version").first()


def _event(filing: MonthlyFiling, action: str, actor, comment: str = "") -> None:
    FilingEvent.objects.create(filing=filing, action=action, actor=actor, comment=comment[:500])
    logger.info(
        "filing %s",
        action,
        extra={"filing": filing.pk, "year": filing.year, "month": filing.month, "actor": actor.pk},
    )


def _locked(filing: MonthlyFiling, expected: set[str] | None = None) -> MonthlyFiling:
    fresh = MonthlyFiling.objects.select_for_update().get(pk=filing.pk)
    if expected and fresh.status not in expected:
        raise FilingConflict(
            _("该存证已被他人处理，当前状态为“%(status)s”，请刷新页面。"),
            code="conflict",
            params={"status": fresh.get_status_display()},
        )
    return fresh


@attributed
@transaction.atomic
def open_filing(*, enterprise, year: int, month: int, by) -> MonthlyFiling:
    existing = current_filing(year, month)
    if existing:
        return existing
    deadline, _policy = monthly_filing_deadline(enterprise, year, month)
    filing = MonthlyFiling.objects.create(year=year, month=month, deadline=deadline)
    _event(filing, FilingEvent.Action.OPENED, by)
    oversight.record_filing_change(filing)
    return filing


@attributed
@transaction.atomic
def run_checks(*, enterprise, filing: MonthlyFiling, by) -> list[FilingFinding]:
    """Re-run the rule pack; acknowledgements and waivers of findings that remain are kept."""
    filing = _locked(filing, {FilingStatus.DRAFT, FilingStatus.RETURNED})
    kept = {(f.rule_id, f.item, f.message): f for f in filing.findings.all()}
    filing.findings.all().delete()
    findings = []
    for found in check_month(month_context(enterprise, filing.year, filing.month)):
        previous = kept.get((found.rule_id, found.item, found.message))
        findings.append(
            FilingFinding(
                filing=filing,
                rule_id=found.rule_id,
                severity=found.severity,
                category=found.category,
                item=found.item,
                message=found.message[:400],
                clause=found.clause[:200],
                acknowledgement=previous.acknowledgement if previous else "",
                acknowledged_by=previous.acknowledged_by if previous else None,
                waiver_reason=previous.waiver_reason if previous else "",
                waived_by=previous.waived_by if previous else None,
            )
        )
    FilingFinding.objects.bulk_create(findings)
    filing.rule_pack_version = pack_version()
    filing.save(update_fields=["rule_pack_version"])
    _event(filing, FilingEvent.Action.CHECKED, by, f"{pack_version()}：{len(findings)} 项发现")
    oversight.record_filing_change(filing)
    return findings


@attributed
@transaction.atomic
def acknowledge(*, finding: FilingFinding, comment: str, by, grant: WorkspaceAccess) -> FilingFinding:
    """A filer explains a warning (the stated cause the reviewer will see)."""
    if not grant.allows("enter_activity_data"):
        raise PermissionDenied("acknowledge")
    if finding.severity != "warning":
        raise ValidationError(_("只有警告可以确认；阻断问题须修正数据或由管家豁免。"), code="not_a_warning")
    if not comment.strip():
        raise ValidationError(_("确认警告须填写说明。"), code="comment_required")
    _locked(finding.filing, {FilingStatus.DRAFT, FilingStatus.RETURNED})
    finding.acknowledgement, finding.acknowledged_by = comment.strip()[:400], by
    finding.save(update_fields=["acknowledgement", "acknowledged_by"])
    _event(
        finding.filing, FilingEvent.Action.ACKNOWLEDGED, by, f"{finding.rule_id} {finding.item}：{comment}"
    )
    oversight.record_filing_change(finding.filing)
    return finding


@attributed
@transaction.atomic
def waive(*, finding: FilingFinding, reason: str, by, grant: WorkspaceAccess) -> FilingFinding:
    """The reviewer waives a finding, with a reason that is logged."""
    if not may_review_filing(grant):
        raise PermissionDenied("waive")
    if not reason.strip():
        raise ValidationError(_("豁免须填写理由。"), code="reason_required")
    _locked(finding.filing, {FilingStatus.DRAFT, FilingStatus.RETURNED, FilingStatus.IN_REVIEW})
    finding.waiver_reason, finding.waived_by = reason.strip()[:400], by
    finding.save(update_fields=["waiver_reason", "waived_by"])
    _event(finding.filing, FilingEvent.Action.WAIVED, by, f"{finding.rule_id} {finding.item}：{reason}")
    oversight.record_filing_change(finding.filing)
    return finding


@attributed
@transaction.atomic
def submit(*, enterprise, filing: MonthlyFiling, by, grant: WorkspaceAccess) -> MonthlyFiling:
    hold_month(filing.year, filing.month)  # writers in flight finish first; later ones find the month frozen
    run_checks(enterprise=enterprise, filing=filing, by=by)
    filing = _locked(filing, {FilingStatus.DRAFT, FilingStatus.RETURNED})
    run_transition(MonthlyFilingFlow(filing, grant), "submit", by)
    filing.submitted_at = timezone.now()
    filing.submitted_digest = seal.content_digest(seal.build_payload(filing))
    filing.save(update_fields=["status", "submitted_at", "submitted_digest"])
    _event(filing, FilingEvent.Action.SUBMITTED, by)
    oversight.record_filing_change(filing)
    webhooks.filing_changed(filing, "submitted")
    return filing


@attributed
@transaction.atomic
def return_for_changes(
    *, filing: MonthlyFiling, comments: dict[str, str], by, grant: WorkspaceAccess
) -> MonthlyFiling:
    comments = {item: text.strip() for item, text in comments.items() if text.strip()}
    if not comments:
        raise ValidationError(_("退回须至少填写一条审核意见。"), code="comment_required")
    filing = _locked(filing, {FilingStatus.IN_REVIEW})
    run_transition(MonthlyFilingFlow(filing, grant), "return_for_changes", by)
    filing.save(update_fields=["status"])
    ReviewComment.objects.bulk_create(
        ReviewComment(filing=filing, item=item, text=text[:500], author=by) for item, text in comments.items()
    )
    _event(
        filing,
        FilingEvent.Action.RETURNED,
        by,
        "；".join(f"{item}：{text}" for item, text in comments.items()),
    )
    oversight.record_filing_change(filing)
    webhooks.filing_changed(filing, "returned")
    return filing


@attributed
@transaction.atomic
def approve(*, filing: MonthlyFiling, by, grant: WorkspaceAccess) -> MonthlyFiling:
    """Approve, lock and seal: the seal chains to the enterprise's previous seal."""
    hold_month(filing.year, filing.month)  # before the row lock, in the same order as submit
    filing = _locked(filing, {FilingStatus.IN_REVIEW})
    run_transition(MonthlyFilingFlow(filing, grant), "approve", by)
    with connection.cursor() as cursor:  # one seal at a time per enterprise, so the chain never forks
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema()))")
    payload = seal.build_payload(filing)
    if filing.submitted_digest and seal.content_digest(payload) != filing.submitted_digest:
        # The freeze makes this impossible through the application; refuse rather than seal unchecked data.
        raise ValidationError(
            _("提交后本月数据已发生变化，不能按提交时的检查结果批准；请退回后重新检查并提交。"),
            code="changed_since_submission",
        )
    filing.previous_seal = seal.chain_head()
    filing.sealed_payload = payload
    filing.seal = seal.seal_of(payload, filing.previous_seal)
    filing.locked_at = timezone.now()
    filing.save(update_fields=["status", "previous_seal", "sealed_payload", "seal", "locked_at"])
    _event(filing, FilingEvent.Action.APPROVED, by, f"存证哈希 {filing.seal}")
    oversight.record_filing_change(filing)
    webhooks.filing_changed(filing, "locked")
    return filing


@attributed
@transaction.atomic
def request_reopen(*, filing: MonthlyFiling, reason: str, by, grant: WorkspaceAccess) -> MonthlyFiling:
    if not grant.allows("enter_activity_data"):
        raise PermissionDenied("request_reopen")
    if not reason.strip():
        raise ValidationError(_("申请重开须说明原因。"), code="reason_required")
    filing = _locked(filing, {FilingStatus.LOCKED})
    if filing.reopen_reason:
        raise ValidationError(_("已有待批准的重开申请。"), code="pending")
    filing.reopen_reason, filing.reopen_requested_by = reason.strip()[:300], by
    filing.save(update_fields=["reopen_reason", "reopen_requested_by"])
    _event(filing, FilingEvent.Action.REOPEN_REQUESTED, by, reason)
    return filing


@attributed
@transaction.atomic
def approve_reopen(*, filing: MonthlyFiling, by, grant: WorkspaceAccess) -> MonthlyFiling:
    """The reviewer approves: a new draft version opens; the locked version stays readable and sealed."""
    if not may_review_filing(grant):
        raise PermissionDenied("approve_reopen")
    filing = _locked(filing, {FilingStatus.LOCKED})
    if not filing.reopen_reason or hasattr(filing, "superseded_by"):
        raise ValidationError(_("没有待批准的重开申请。"), code="no_request")
    reopened = MonthlyFiling.objects.create(
        year=filing.year,
        month=filing.month,
        version=filing.version + 1,
        deadline=filing.deadline,
        supersedes=filing,
        reopen_reason=filing.reopen_reason,
    )
    _event(filing, FilingEvent.Action.REOPENED, by, f"第{reopened.version}版：{filing.reopen_reason}")
    _event(reopened, FilingEvent.Action.REOPENED, by, filing.reopen_reason)
    oversight.record_filing_change(reopened)
    webhooks.filing_changed(reopened, "reopened")
    return reopened
