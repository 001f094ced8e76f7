"""The compliance position of one year, step by step (DOMAIN.md §1.7).

surplus = allocated + carried in − verified emissions;
obligation = verified, or min(verified, allocated + cap share × verified) when the year has the deficit cap,
and for gas units at most their free allocation; CCER offsets may cover at most the CCER share of the
obligation (碳排放权交易管理办法（试行）: 5%).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_noop as _  # translated where shown

from steward.carbon.trace import plain, round_tco2

ZERO = Decimal(0)


def _t(value: Decimal) -> str:
    """Tonnes in a step as a person reads them: to the hundredth (a forecast median is a quotient with 28
    digits), without trailing zeros; the figures themselves stay exact."""
    return plain(round_tco2(value))


@dataclass(frozen=True)
class PolicyRule:
    """The per-year rule as the calculation needs it (from CompliancePolicy)."""

    year: int
    deficit_cap_share: Decimal | None
    gas_capped_at_allocation: bool
    ccer_cap_share: Decimal
    status: str = "to_verify"
    ccer_earliest_issue_year: int | None = None  # CCER issued before it cannot be surrendered


@dataclass(frozen=True)
class Position:
    allocated: Decimal
    carried_in: Decimal
    verified: Decimal
    surplus: Decimal  # negative: deficit
    obligation: Decimal
    relief: Decimal  # verified − obligation
    deficit_cap_applied: bool
    gas_cap_applied: bool
    to_acquire: Decimal  # allowances still to obtain beyond holdings
    ccer_cap: Decimal
    remaining_after_surrender: Decimal
    steps: list[dict] = field(default_factory=list)

    @property
    def is_deficit(self) -> bool:
        return self.surplus < 0


def compliance_position(
    *, allocated: Decimal, carried_in: Decimal, verified: Decimal, rule: PolicyRule, is_gas_unit: bool
) -> Position:
    holdings = allocated + carried_in
    surplus = holdings - verified
    steps = [
        {
            "label": _("盈缺"),
            "expression": f"{_t(allocated)} + {_t(carried_in)} − {_t(verified)}",
            "value": _t(surplus),
        }
    ]
    obligation = verified
    deficit_cap_applied = gas_cap_applied = False
    if rule.deficit_cap_share is not None:
        cap = allocated + rule.deficit_cap_share * verified
        steps.append(
            {
                "label": _("缺口上限"),
                "expression": f"min({_t(verified)}, {_t(allocated)} + {plain(rule.deficit_cap_share)} × "
                f"{_t(verified)} = {_t(cap)})",
                "value": _t(min(verified, cap)),
            }
        )
        if cap < verified:
            obligation, deficit_cap_applied = cap, True
    if is_gas_unit and rule.gas_capped_at_allocation:
        steps.append(
            {
                "label": _("燃气机组上限"),
                "expression": f"min({_t(obligation)}, {_t(allocated)})",
                "value": _t(min(obligation, allocated)),
            }
        )
        if allocated < obligation:
            obligation, gas_cap_applied = allocated, True
    to_acquire = max(ZERO, obligation - holdings)
    ccer_cap = rule.ccer_cap_share * obligation
    remaining = holdings - obligation
    steps += [
        {"label": _("应清缴配额"), "expression": _t(obligation), "value": _t(obligation)},
        {
            "label": _("需补足配额"),
            "expression": f"max(0, {_t(obligation)} − {_t(holdings)})",
            "value": _t(to_acquire),
        },
        {
            "label": _("CCER抵销上限"),
            "expression": f"{plain(rule.ccer_cap_share)} × {_t(obligation)}",
            "value": _t(ccer_cap),
        },
    ]
    return Position(
        allocated=allocated,
        carried_in=carried_in,
        verified=verified,
        surplus=surplus,
        obligation=obligation,
        relief=verified - obligation,
        deficit_cap_applied=deficit_cap_applied,
        gas_cap_applied=gas_cap_applied,
        to_acquire=to_acquire,
        ccer_cap=ccer_cap,
        remaining_after_surrender=remaining,
        steps=steps,
    )


@dataclass(frozen=True)
class CcerHolding:
    issue_year: int
    tonnes: Decimal


@dataclass(frozen=True)
class CcerOffset:
    eligible: Decimal
    ineligible: Decimal
    cap: Decimal
    usable: Decimal
    steps: list[dict] = field(default_factory=list)


def ccer_offset(*, holdings: list[CcerHolding], obligation: Decimal, rule: PolicyRule) -> CcerOffset:
    """CCER that may be surrendered: eligible vintages only, at most the cap share × obligation."""
    earliest = rule.ccer_earliest_issue_year
    eligible = sum((h.tonnes for h in holdings if earliest is None or h.issue_year >= earliest), ZERO)
    ineligible = sum((h.tonnes for h in holdings), ZERO) - eligible
    cap = rule.ccer_cap_share * obligation
    usable = min(eligible, cap)
    steps = [
        {
            "label": _("可用CCER（签发年份）"),
            "expression": f"≥ {earliest}" if earliest else _("不限"),
            "value": _t(eligible),
        },
        {
            "label": _("不可用CCER"),
            "expression": f"< {earliest}" if earliest else "—",
            "value": _t(ineligible),
        },
        {
            "label": _("CCER可抵销量"),
            "expression": f"min({_t(eligible)}, {plain(rule.ccer_cap_share)} × {_t(obligation)})",
            "value": _t(usable),
        },
    ]
    return CcerOffset(eligible, ineligible, cap, usable, steps)
