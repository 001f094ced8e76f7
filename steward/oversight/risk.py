"""Spot-check queue: submitted months ranked by a risk score whose every point has a stated reason.

Points (a design choice, tuned by the bureau later): a waived blocking finding 30 each, an acknowledged
warning 10 each, an evidence finding 20 each, a late first submission 15, a return 5 each, an intensity more
than 30 % away from the enterprise's own history 25, and more than 30 % away from its industry's median for
the same month 20; a sealed month more than 20 % away from the register's 速算 25 (steward/register/data/rules.csv).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from django.utils.translation import gettext as _

from steward.oversight.models import MonthFact, SpotCheck

WAIVED_BLOCKING = 30
ACKNOWLEDGED_WARNING = 10
EVIDENCE_FINDING = 20
LATE = 15
RETURNED = 5
OWN_HISTORY = 25
INDUSTRY = 20
DEVIATION = Decimal("0.30")


@dataclass(frozen=True)
class Reason:
    points: int
    text: str


@dataclass
class RiskItem:
    fact: MonthFact
    reasons: list[Reason]
    last_check: SpotCheck | None = None

    @property
    def score(self) -> int:
        return sum(reason.points for reason in self.reasons)


def _figure(fact: MonthFact) -> Decimal | None:
    """Intensity when an output is known, otherwise the total (compared only with like figures)."""
    return fact.intensity if fact.intensity is not None else fact.total_tco2


def _deviation(value: Decimal, reference: Decimal) -> Decimal | None:
    if not reference:
        return None
    return (value - reference) / reference


def _percent(deviation: Decimal) -> str:
    return f"{deviation * 100:+.0f}%"


def risk_reasons(
    fact: MonthFact, *, own_history: list[Decimal], industry_peers: list[Decimal]
) -> list[Reason]:
    """Why this month deserves a look. `own_history`: the enterprise's earlier figures; `industry_peers`:
    other enterprises' figures of the same industry and month."""
    reasons = []
    if fact.waived_blocking:
        reasons.append(
            Reason(WAIVED_BLOCKING * fact.waived_blocking, _("阻断问题被豁免 %d 项") % fact.waived_blocking)
        )
    if fact.acknowledged_findings:
        reasons.append(
            Reason(
                ACKNOWLEDGED_WARNING * fact.acknowledged_findings,
                _("警告经企业确认 %d 项") % fact.acknowledged_findings,
            )
        )
    if fact.missing_evidence:
        reasons.append(
            Reason(EVIDENCE_FINDING * fact.missing_evidence, _("证据类问题 %d 项") % fact.missing_evidence)
        )
    if fact.submitted_late:
        reasons.append(Reason(LATE, _("逾期提交")))
    if fact.returned_count:
        reasons.append(Reason(RETURNED * fact.returned_count, _("曾被退回 %d 次") % fact.returned_count))
    value = _figure(fact)
    if value is not None and own_history:
        deviation = _deviation(value, sum(own_history) / len(own_history))
        if deviation is not None and abs(deviation) > DEVIATION:
            reasons.append(Reason(OWN_HISTORY, _("较本企业历史均值偏离 %s") % _percent(deviation)))
    if value is not None and industry_peers:
        deviation = _deviation(value, median(industry_peers))
        if deviation is not None and abs(deviation) > DEVIATION:
            reasons.append(Reason(INDUSTRY, _("较同行业同月中位数偏离 %s") % _percent(deviation)))
    return reasons


def _quick_gaps(enterprise_ids: list[int], year: int, month: int) -> dict[int, tuple[int, str]]:
    """The register's 速算 beside the sealed figure (steward/register/gaps.py): one statement for the queue."""
    from steward.factors.models import FactorSet
    from steward.factors.source import FactorSnapshot
    from steward.register.gaps import gap_reasons

    try:
        factors = FactorSnapshot.current()
    except FactorSet.DoesNotExist:
        return {}
    return gap_reasons(enterprise_ids, year, month, factors)


def latest_submitted_period(codes: set[str]) -> tuple[int, int] | None:
    """The latest (year, month) with a submitted month in the jurisdiction: where an empty queue points."""
    latest = (
        MonthFact.objects.filter(jurisdiction_id__in=codes, status__in=("in_review", "locked"))
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    return tuple(latest) if latest else None


def spot_check_queue(codes: set[str], year: int, month: int) -> list[RiskItem]:
    """Submitted months of the jurisdiction for one period, highest risk first (three queries, then the factor
    set and one statement for the register's 速算 beside the sealed figures)."""
    facts = list(
        MonthFact.objects.filter(jurisdiction_id__in=codes, year=year, month=month)
        .filter(status__in=("in_review", "locked"))
        .select_related("enterprise", "industry", "jurisdiction")
    )
    enterprise_ids = [fact.enterprise_id for fact in facts]
    history: dict[int, list[Decimal]] = {}
    earlier = MonthFact.objects.filter(
        enterprise_id__in=enterprise_ids, figures_version__isnull=False
    ).filter(year__lt=year) | MonthFact.objects.filter(
        enterprise_id__in=enterprise_ids, figures_version__isnull=False, year=year, month__lt=month
    )
    for row in earlier.only("enterprise_id", "intensity", "total_tco2"):
        if (figure := _figure(row)) is not None:
            history.setdefault(row.enterprise_id, []).append(figure)
    peers: dict[str, list[tuple[int, Decimal]]] = {}
    same_month = MonthFact.objects.filter(
        industry_id__in={fact.industry_id for fact in facts},
        year=year,
        month=month,
        jurisdiction_id__in=codes,
    ).filter(figures_version__isnull=False)
    for row in same_month.only("enterprise_id", "industry_id", "intensity", "total_tco2"):
        if (figure := _figure(row)) is not None:
            peers.setdefault(row.industry_id, []).append((row.enterprise_id, figure))
    checks: dict[int, SpotCheck] = {}
    for check in SpotCheck.objects.filter(enterprise_id__in=enterprise_ids, year=year, month=month).order_by(
        "at"
    ):
        checks[check.enterprise_id] = check  # the latest outcome wins
    quick_gaps = _quick_gaps(enterprise_ids, year, month)
    items = [
        RiskItem(
            fact=fact,
            reasons=risk_reasons(
                fact,
                own_history=history.get(fact.enterprise_id, []),
                industry_peers=[v for pk, v in peers.get(fact.industry_id, []) if pk != fact.enterprise_id],
            )
            + ([Reason(*quick_gaps[fact.enterprise_id])] if fact.enterprise_id in quick_gaps else []),
            last_check=checks.get(fact.enterprise_id),
        )
        for fact in facts
    ]
    return sorted(items, key=lambda item: (-item.score, item.fact.enterprise.name_zh))
