"""Recording what the national platform answered: a month's submission there, and corrections of it.

Called by the page and the API alike. Only the act `record_platform_submission` (the enterprise's filer or
admin, tenants.access.ACTS) may record, only for a locked month, and never by changing a row: a correction is
a new row that supersedes the current one and states its reason. The receipt file, if any, is stored as
evidence (its bytes are sniffed and must be what they claim). Each record publishes
`platform_submission.recorded`, which the bureau's read model hears (steward/oversight).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward import events
from steward.edge.text import clean_text
from steward.evidence.services import store_evidence
from steward.handoff.items import sealed_filing, sector_for
from steward.handoff.models import PlatformSubmission
from tenants.access import WorkspaceAccess, may_act

RECORDED = "platform_submission.recorded"
RECEIPT_MAX = 60
REASON_MAX = 300


class SubmissionConflict(ValidationError):
    """Someone recorded or corrected the same month first (409): reload and decide again."""

    http_status = 409


def current_submission(year: int, month: int) -> PlatformSubmission | None:
    """The month's record in force: the one no later row supersedes."""
    return (
        PlatformSubmission.objects.filter(year=year, month=month, superseded_by__isnull=True)
        .select_related("receipt", "recorded_by", "filing")
        .order_by("-recorded_at", "-pk")
        .first()
    )


def submission_history(year: int, month: int) -> list[PlatformSubmission]:
    """Every record of the month, oldest first (corrections after what they correct)."""
    return list(
        PlatformSubmission.objects.filter(year=year, month=month)
        .select_related("receipt", "recorded_by", "filing", "superseded_by")
        .order_by("recorded_at", "pk")
    )


def _receipt_number(raw: str) -> str:
    text = clean_text(str(raw or ""), "receipt_number").strip()
    if not text:
        raise ValidationError({"receipt_number": ValidationError(_("请填写平台回执编号。"), code="required")})
    if len(text) > RECEIPT_MAX:
        raise ValidationError(
            {
                "receipt_number": ValidationError(
                    _("平台回执编号最长 %(limit)s 个字符。"), code="too_long", params={"limit": RECEIPT_MAX}
                )
            }
        )
    return text


def _submitted_on(value, year: int, month: int) -> datetime.date:
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValidationError(
            {
                "submitted_on": ValidationError(
                    _("请填写有效的平台提交日期（年-月-日）。"), code="invalid_date"
                )
            }
        )
    month_end = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    if value <= month_end:
        raise ValidationError(
            {
                "submitted_on": ValidationError(
                    _("平台提交日期应在%(year)s年%(month)s月结束之后。"),
                    code="before_month_end",
                    params={"year": year, "month": month},
                )
            }
        )
    if value > timezone.localdate():
        raise ValidationError(
            {"submitted_on": ValidationError(_("平台提交日期不能晚于今天。"), code="date_in_future")}
        )
    return value


@transaction.atomic
@events.in_unit_of_work
def record_submission(
    *,
    grant: WorkspaceAccess,
    year: int,
    month: int,
    submitted_on,
    receipt_number: str,
    by,
    receipt_upload=None,
    reason: str = "",
    corrects: int | None = None,
) -> PlatformSubmission:
    """Record the month's 存证 on the platform, or correct the record in force (a new row with `reason`).

    `corrects` is the id of the record in force that the person saw and corrects (None: they saw none); when
    the record in force is another one, the call is refused as a conflict instead of correcting something
    unseen."""
    if not may_act(grant, "record_platform_submission"):
        raise PermissionDenied("record_platform_submission")
    sector_for(
        grant.enterprise
    )  # OutOfScope (400) for an enterprise the platform's monthly 存证 does not cover
    locked = sealed_filing(year, month)  # NotSealed (409) for a month not locked
    # One recorder of the month at a time (a reopen locks the same row); then re-read: a reopen that
    # committed meanwhile has unsealed the month.
    type(locked).objects.select_for_update().get(pk=locked.pk)
    filing = sealed_filing(year, month)
    number = _receipt_number(receipt_number)
    day = _submitted_on(submitted_on, year, month)
    reason = clean_text(str(reason or ""), "reason").strip()
    current = current_submission(year, month)
    if (current.pk if current else None) != corrects:
        raise SubmissionConflict(
            _("该月的平台存证登记已有更新（或未指明所更正的记录），请刷新页面后再操作。"), code="conflict"
        )
    if current is not None and not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("该月已登记平台存证；更正须填写原因（将新增一条记录，原记录保留）。"),
                    code="reason_required",
                )
            }
        )
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("原因最长 %(limit)s 个字符。"), code="too_long", params={"limit": REASON_MAX}
                )
            }
        )
    receipt = None
    if receipt_upload is not None:
        receipt = store_evidence(
            upload=receipt_upload,
            kind="other",
            description=_("全国碳市场管理平台存证回执 %(year)s年%(month)s月")
            % {"year": year, "month": month},
            uploaded_by=by,
            scope="carbon",
        )
    try:
        with transaction.atomic():
            row = PlatformSubmission.objects.create(
                year=year,
                month=month,
                filing=filing,
                seal=filing.seal,
                submitted_on=day,
                receipt_number=number,
                receipt=receipt,
                supersedes=current,
                correction_reason=reason if current is not None else "",
                recorded_by=by,
            )
    except IntegrityError as error:
        raise SubmissionConflict(
            _("该月的平台存证登记刚被他人更新，请刷新页面后再操作。"), code="conflict"
        ) from error
    events.publish(RECORDED, row, year=year, month=month, receipt_number=number)
    return row
