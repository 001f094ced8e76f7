"""Which emissions a compliance year counts, and which sector an enterprise's rules come from.

The compliance figure is a sum of result lines by category (DOMAIN.md §2.x): `direct` counts fuel combustion
and industrial process lines only (power since the 2023–2024 plan, steel, cement and aluminium from 2024);
`direct_and_electricity` adds purchased electricity (power 2019–2022). Purchased heat is never counted, nor a
line reported only at the enterprise level (a cement plant's sources outside the clinker facility). A line
of a category this module does not know is refused rather than silently left out.

The carbon-efficiency code (工业碳效码, DOMAIN.md §5) is not a compliance use: its L is emissions from the
enterprise's total energy use, so it takes `energy_use` (fuel combustion, purchased electricity and heat, at
the enterprise level; process emissions such as clinker calcination are not energy use).
"""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.trace import DIRECT_CATEGORIES, ENTERPRISE_ONLY, INDIRECT_CATEGORIES

DIRECT = "direct"
DIRECT_AND_ELECTRICITY = "direct_and_electricity"
ENERGY_USE = "energy_use"
SCOPES = {
    DIRECT: DIRECT_CATEGORIES,
    DIRECT_AND_ELECTRICITY: DIRECT_CATEGORIES | {"purchased_electricity"},
    ENERGY_USE: frozenset({"fuel_combustion"}) | INDIRECT_CATEGORIES,
}
COMPLIANCE_SCOPES = frozenset({DIRECT, DIRECT_AND_ELECTRICITY})
KNOWN_CATEGORIES = DIRECT_CATEGORIES | INDIRECT_CATEGORIES
# GB/T 4754-2017 industry class → the national-market sector whose rules apply (None: not in the market).
# [R] cement = 3011 clinker production only [V-reprint]; steel = 3110 炼铁 / 3120 炼钢 (rolling alone is not
# covered) and aluminium = 3216 铝冶炼 are recalled class codes, to verify against GB/T 4754-2017.
SECTOR_OF_INDUSTRY = {
    "4411": "power",
    "4412": "power",
    "3011": "cement",
    "3110": "steel",
    "3120": "steel",
    "3216": "aluminium",
}


class UnknownLineCategory(ValueError):
    """A result line whose category is neither direct nor indirect: it cannot be placed in a scope."""


def scoped_tco2(lines: list[dict], scope: str | None) -> Decimal:
    """Σ tCO2 of the lines the scope counts (every line when `scope` is None), from the lines as stored."""
    counted = SCOPES[scope] if scope else KNOWN_CATEGORIES
    total = Decimal(0)
    for line in lines:
        category = line.get("category", "")
        if category not in KNOWN_CATEGORIES:
            raise UnknownLineCategory(f"{line.get('key')}: {category!r}")
        outside_ets = scope in COMPLIANCE_SCOPES and line.get("boundary") == ENTERPRISE_ONLY
        if category in counted and not outside_ets:
            total += Decimal(line["tco2"])
    return total


CAPTIVE_POWER = "power"  # 自备电厂 are accounted and allocated as the power sector (DOMAIN.md §1.1)


def sector_of(enterprise) -> str | None:
    """The sector whose rules apply; an enterprise of another industry that holds allowances does so for its
    captive power plant, so it follows the power rules."""
    if enterprise is None:
        return None
    return SECTOR_OF_INDUSTRY.get(enterprise.industry_id, CAPTIVE_POWER)


def current_sector() -> str | None:
    """The sector of the enterprise whose schema is selected (None in the public schema)."""
    from django.db import connection

    from tenants.models import Enterprise

    enterprise = (
        Enterprise.objects.filter(workspace__schema_name=connection.schema_name).only("industry_id").first()
    )
    return sector_of(enterprise)
