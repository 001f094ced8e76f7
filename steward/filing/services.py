"""Monthly filing domain work: create a month's filing, run the rule pack over it, note acknowledgements and
waivers, record review comments, seal, open version n+1.

These functions change rows and compute; they do not decide who may act or in which state (that is the
flow, workflows/monthly_filing.py, which locks the row, takes the transition and calls them).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.filing import documents, seal
from steward.filing.models import FilingFinding, MonthlyFiling, ReviewComment
from steward.quality.pack import check_month, pack_version
from steward.quality.selectors import month_context
from steward.versioning import next_version
from tenants.deadlines import monthly_filing_deadline


def current_filing(year: int, month: int) -> MonthlyFiling | None:
    return MonthlyFiling.objects.filter(year=year, month=month).order_by("-version").first()


def create_filing(*, enterprise, year: int, month: int) -> MonthlyFiling:
    deadline, _policy = monthly_filing_deadline(enterprise, year, month)
    return MonthlyFiling.objects.create(year=year, month=month, deadline=deadline)


def open_findings(filing: MonthlyFiling) -> list[FilingFinding]:
    """Blocking findings not waived and warnings neither acknowledged nor waived."""
    return [finding for finding in filing.findings.all() if finding.open]


def record_findings(*, enterprise, filing: MonthlyFiling) -> list[FilingFinding]:
    """Re-run the rule pack; acknowledgements and waivers of findings that remain are kept."""
    previous_findings = list(filing.findings.all())
    kept = {(f.rule_id, f.item, f.message): f for f in previous_findings}
    # A finding whose wording moved with the date ("逾期 5 天" → "逾期 6 天") is the same finding when its rule
    # found only that one thing about the item: its acknowledgement or waiver stays.
    by_item: dict[tuple[str, str], list] = {}
    for f in previous_findings:
        by_item.setdefault((f.rule_id, f.item), []).append(f)
    filing.findings.all().delete()
    findings = []
    for found in check_month(month_context(enterprise, filing.year, filing.month)):
        same_item = by_item.get((found.rule_id, found.item), [])
        previous = kept.get((found.rule_id, found.item, found.message)) or (
            same_item[0] if len(same_item) == 1 else None
        )
        findings.append(
            FilingFinding(
                filing=filing,
                rule_id=found.rule_id,
                severity=found.severity,
                category=found.category,
                item=found.item,
                message=found.message[:400],
                clause=found.clause[:200],
                text=found.text,
                acknowledgement=previous.acknowledgement if previous else "",
                acknowledged_by=previous.acknowledged_by if previous else None,
                waiver_reason=previous.waiver_reason if previous else "",
                waived_by=previous.waived_by if previous else None,
                waiver_requested_reason=previous.waiver_requested_reason if previous else "",
                waiver_requested_by=previous.waiver_requested_by if previous else None,
            )
        )
    FilingFinding.objects.bulk_create(findings)
    filing.rule_pack_version = pack_version()
    filing.save(update_fields=["rule_pack_version"])
    return findings


def check_acknowledgement(finding: FilingFinding, comment: str) -> str:
    if finding.severity != "warning":
        raise ValidationError(_("只有警告可以确认；阻断问题须修正数据或由管家豁免。"), code="not_a_warning")
    if not comment.strip():
        raise ValidationError(_("确认警告须填写说明。"), code="comment_required")
    return comment.strip()[:400]


def acknowledge_warning(*, finding: FilingFinding, comment: str, by) -> FilingFinding:
    """The filer's stated cause of a warning, which the reviewer will see."""
    finding.acknowledgement, finding.acknowledged_by = check_acknowledgement(finding, comment), by
    finding.save(update_fields=["acknowledgement", "acknowledged_by"])
    return finding


def check_waiver_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError(_("豁免须填写理由。"), code="reason_required")
    return reason.strip()[:400]


def check_waiver_request(finding: FilingFinding, reason: str) -> str:
    if finding.severity != "blocking":
        raise ValidationError(_("只有阻断问题需要申请豁免；警告填写说明即可。"), code="not_blocking")
    if finding.waiver_reason:
        raise ValidationError(_("该问题已豁免。"), code="already_waived")
    if not reason.strip():
        raise ValidationError(_("申请豁免须说明无法修正的原因。"), code="reason_required")
    return reason.strip()[:400]


def note_waiver_request(*, finding: FilingFinding, reason: str, by) -> FilingFinding:
    """The filer asks the reviewer to waive a blocking finding they cannot fix; the reviewer decides."""
    finding.waiver_requested_reason = check_waiver_request(finding, reason)
    finding.waiver_requested_by = by
    finding.save(update_fields=["waiver_requested_reason", "waiver_requested_by"])
    return finding


def waive_finding(*, finding: FilingFinding, reason: str, by) -> FilingFinding:
    finding.waiver_reason, finding.waived_by = check_waiver_reason(reason), by
    finding.save(update_fields=["waiver_reason", "waived_by"])
    return finding


def mark_submitted(filing: MonthlyFiling) -> MonthlyFiling:
    """Submitted: the digest of the month's content as checked, so the approval can prove nothing changed."""
    filing.submitted_at = timezone.now()
    filing.submitted_digest = seal.content_digest(seal.build_payload(filing))
    filing.save(update_fields=["status", "submitted_at", "submitted_digest"])
    return filing


def clean_comments(comments: dict[str, str]) -> dict[str, str]:
    """The reviewer's comments per item; returning a filing needs at least one."""
    comments = {item: text.strip() for item, text in comments.items() if text.strip()}
    if not comments:
        raise ValidationError(_("退回须至少填写一条审核意见。"), code="comment_required")
    return comments


def add_review_comments(*, filing: MonthlyFiling, comments: dict[str, str], by) -> None:
    ReviewComment.objects.bulk_create(
        ReviewComment(filing=filing, item=item, text=text[:500], author=by) for item, text in comments.items()
    )


def seal_filing(filing: MonthlyFiling, *, by) -> MonthlyFiling:
    """Lock and seal: SHA-256 over the month's records, chained to the enterprise's previous seal; the lock
    issues the month's filing record PDF (document of record) in the same transaction."""
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
    documents.issue_filing_record(filing=filing, by=by)  # the record of the lock, issued by the lock
    return filing


def note_reopen_request(*, filing: MonthlyFiling, reason: str, by) -> MonthlyFiling:
    if not reason.strip():
        raise ValidationError(_("申请重开须说明原因。"), code="reason_required")
    if filing.reopen_reason:
        raise ValidationError(_("已有待批准的重开申请。"), code="pending")
    filing.reopen_reason, filing.reopen_requested_by = reason.strip()[:300], by
    filing.save(update_fields=["reopen_reason", "reopen_requested_by"])
    return filing


def has_pending_reopen(filing: MonthlyFiling) -> bool:
    return bool(filing.reopen_reason) and not hasattr(filing, "superseded_by")


def reopen(*, filing: MonthlyFiling, by) -> MonthlyFiling:
    """A new draft version of a locked month; the locked version stays readable and sealed."""
    if not has_pending_reopen(filing):
        raise ValidationError(_("没有待批准的重开申请。"), code="no_request")
    new = next_version(filing, filing.reopen_reason, by, message=_("没有待批准的重开申请。"))
    return MonthlyFiling.objects.create(
        year=filing.year,
        month=filing.month,
        deadline=filing.deadline,
        **new.fields(reason_field="reopen_reason"),
    )
