"""The spot-check queue's risk reason for a sealed month far from its 速算 (threshold and points: data/rules.csv)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from steward.factors.source import FactorSource
from steward.register.carriers import gap_rule
from steward.register.selectors import sealed_comparison


def gap_reasons(
    enterprise_ids: list[int], year: int, month: int, factors: FactorSource
) -> dict[int, tuple[int, str]]:
    """enterprise id → (points, reason text) for the months whose 速算 is beyond the threshold."""
    if not enterprise_ids:
        return {}
    rule = gap_rule()
    found = {}
    for row in sealed_comparison(year, factors, month=month, enterprise_ids=enterprise_ids):
        gap = row.gap
        if gap is not None and abs(gap) > rule.threshold:
            found[row.enterprise_id] = (
                rule.points,
                _("速算 %(quick)s tCO2 与封存数据 %(sealed)s tCO2 相差 %(gap)s（阈值 %(threshold)s）")
                % {
                    "quick": f"{row.quick_tco2:,.1f}",
                    "sealed": f"{row.sealed_tco2:,.1f}",
                    "gap": f"{gap * 100:+.0f}%",
                    "threshold": f"{rule.threshold * 100:.0f}%",
                },
            )
    return found
