"""Computing an enterprise's month and keeping results reproducible.

A first computation pins the current factor set. Recomputing is explicit: it needs a reason, adds a new run
that supersedes the old one (which stays readable) and reports old and new totals. Publishing new factors
changes nothing by itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from steward.carbon.calculator import CalculationInputError, calculate
from steward.carbon.freeze import refuse_if_frozen
from steward.carbon.models import CalculationRun
from steward.carbon.selectors import current_run, methodology_for, month_request
from steward.factors.source import FactorSnapshot

logger = logging.getLogger("steward.carbon")
ACTIVITY_KEYS = {
    "purchased_electricity",
    "purchased_heat",
    "clinker",
    "aluminium",
    "steel",
    "glass",
    "chemicals",
    "paper",
}


@dataclass(frozen=True)
class Recalculation:
    old: CalculationRun
    new: CalculationRun

    @property
    def change_tco2(self) -> Decimal:
        return self.new.total_tco2 - self.old.total_tco2

    def line_changes(self) -> list[dict]:
        old = {line["key"]: line for line in self.old.result["lines"]}
        return [
            {
                "key": line["key"],
                "label": line["label"],
                "old": old.get(line["key"], {}).get("tco2"),
                "new": line["tco2"],
            }
            for line in self.new.result["lines"]
        ]


def _run(*, enterprise, year: int, month: int, by, supersedes=None, reason: str = "") -> CalculationRun:
    refuse_if_frozen(year, month)  # the run's total is sealed with the month
    methodology = supersedes.methodology if supersedes else methodology_for(enterprise)
    request = month_request(year=year, month=month, methodology=methodology)
    if not request["fuels"] and not set(request) & ACTIVITY_KEYS:
        raise ValidationError(
            _("%(year)s年%(month)s月还没有任何活动数据。"),
            code="no_data",
            params={"year": year, "month": month},
        )
    factors = FactorSnapshot.current()
    try:
        result = calculate(request, factors)
    except CalculationInputError as error:
        messages = [f"{path}: {item['message']}" for path, items in error.errors.items() for item in items]
        raise ValidationError(messages, code="invalid_records") from error
    try:
        with transaction.atomic():
            return CalculationRun.objects.create(
                year=year,
                month=month,
                methodology=methodology,
                methodology_version=result["methodology_version"],
                factor_set_version=factors.version,
                request=request,
                result=result,
                total_tco2=Decimal(result["total_tco2"]),
                supersedes=supersedes,
                reason=reason,
                computed_by=by,
            )
    except IntegrityError as error:
        raise ValidationError(_("该月刚被他人核算，请刷新后查看结果。"), code="conflict") from error


@transaction.atomic
def compute_month(*, enterprise, year: int, month: int, by) -> CalculationRun:
    """The first result for a month. A month already computed is changed only by `recompute_month`."""
    existing = current_run(year, month)
    if existing is not None:
        raise ValidationError(_("该月已有核算结果，如需重新计算请说明原因。"), code="already_computed")
    run = _run(enterprise=enterprise, year=year, month=month, by=by)
    logger.info(
        "month computed", extra={"year": year, "month": month, "run": run.pk, "tco2": str(run.total_tco2)}
    )
    return run


@transaction.atomic
def recompute_month(*, enterprise, year: int, month: int, by, reason: str) -> Recalculation:
    """Recompute with the current records and factor set, keeping the previous result beside the new one."""
    if not reason.strip():
        raise ValidationError(
            {"reason": ValidationError(_("重新计算必须说明原因。"), code="reason_required")}
        )
    old = (
        CalculationRun.objects.select_for_update(of=("self",))
        .filter(year=year, month=month, superseded_by__isnull=True)
        .first()
    )
    if old is None:
        raise ValidationError(_("该月尚未核算。"), code="not_computed")
    new = _run(
        enterprise=enterprise, year=year, month=month, by=by, supersedes=old, reason=reason.strip()[:300]
    )
    logger.info(
        "month recomputed",
        extra={
            "year": year,
            "month": month,
            "old": str(old.total_tco2),
            "new": str(new.total_tco2),
            "reason": reason,
        },
    )
    return Recalculation(old=old, new=new)
