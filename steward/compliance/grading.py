"""The Zhejiang/Huzhou industrial carbon-efficiency code (工业碳效码, DOMAIN.md §5).

L = emissions (net of own zero-carbon generation) ÷ value added, tCO2 per 10,000 CNY; level by L;
K = L ÷ industry-average L of the same period; grade 1–5 by K. Bands are (lower exclusive, upper inclusive],
so L = 0.6 is low-carbon and K = 0.8 is grade 2. Comparisons use the unrounded values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# The code's colours per grade, as the grading table names them (data/carbon_efficiency_grading_zj.csv: deep
# green … red, colour status "to_verify" against DB33/T 1347-2023) and as the pages draw them (steward.css
# .carbon-code.grade-N). Charts take them from here so the badge and the bureau's chart agree.
GRADE_COLOURS: dict[str, tuple[str, str]] = {
    "1": ("deep green", "#166534"),
    "2": ("light green", "#4ade80"),
    "3": ("yellow", "#facc15"),
    "4": ("orange", "#fb923c"),
    "5": ("red", "#dc2626"),
}


@dataclass(frozen=True)
class Band:
    label: str
    lower_exclusive: Decimal | None
    upper_inclusive: Decimal | None
    grade: int | None = None
    colour: str = ""
    threshold_status: str = "to_verify"
    colour_status: str = "to_verify"

    def contains(self, value: Decimal) -> bool:
        above = self.lower_exclusive is None or value > self.lower_exclusive
        below = self.upper_inclusive is None or value <= self.upper_inclusive
        return above and below


@dataclass(frozen=True)
class Grading:
    emissions_t: Decimal
    zero_carbon_t: Decimal
    value_added_10k: Decimal
    industry_average_l: Decimal
    l_value: Decimal
    k_value: Decimal
    level: Band
    grade: Band


def band_for(value: Decimal, bands: list[Band]) -> Band:
    for band in bands:
        if band.contains(value):
            return band
    raise ValueError(f"no band contains {value}")


def carbon_intensity(emissions_t: Decimal, zero_carbon_t: Decimal, value_added_10k: Decimal) -> Decimal:
    """L in tCO2 per 10,000 CNY of value added."""
    if value_added_10k <= 0:
        raise ValueError("value added must be positive")
    return (emissions_t - zero_carbon_t) / value_added_10k


def grade_enterprise(
    *,
    emissions_t: Decimal,
    zero_carbon_t: Decimal,
    value_added_10k: Decimal,
    industry_average_l: Decimal,
    levels: list[Band],
    grades: list[Band],
) -> Grading:
    l_value = carbon_intensity(emissions_t, zero_carbon_t, value_added_10k)
    k_value = l_value / industry_average_l
    return Grading(
        emissions_t=emissions_t,
        zero_carbon_t=zero_carbon_t,
        value_added_10k=value_added_10k,
        industry_average_l=industry_average_l,
        l_value=l_value,
        k_value=k_value,
        level=band_for(l_value, levels),
        grade=band_for(k_value, grades),
    )
