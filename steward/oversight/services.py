"""Writing to the oversight tables: spot-check outcomes (append-only)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from steward.oversight import risk, scope
from steward.oversight.models import MonthFact, SpotCheck
from tenants import access
from tenants.models import Enterprise, User


@transaction.atomic
def record_spot_check(
    *, enterprise: Enterprise, year: int, month: int, result: str, notes: str, by: User
) -> SpotCheck:
    """An inspector of a bureau covering the enterprise records what the spot check found."""
    if not access.can(by, "spot_check", enterprise):
        raise PermissionDenied("spot_check")
    if result not in SpotCheck.Result.values:
        raise ValidationError(_("请选择抽查结论。"), code="invalid_result")
    if not notes.strip():
        raise ValidationError(_("抽查须填写说明。"), code="notes_required")
    fact = MonthFact.objects.filter(enterprise=enterprise, year=year, month=month).first()
    if fact is None or not fact.is_submitted:
        raise ValidationError(_("该月尚未提交，不能抽查。"), code="not_submitted")
    items = risk.spot_check_queue(scope.bureau_codes(by), year, month)
    score = next((item.score for item in items if item.fact.pk == fact.pk), 0)
    return SpotCheck.objects.create(
        enterprise=enterprise,
        year=year,
        month=month,
        result=result,
        notes=notes.strip()[:1000],
        risk_score=score,
        inspector=by,
    )
