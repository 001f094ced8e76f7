"""One rule per methodology group and data year for the purchased-electricity factor (grid_factor_rules.csv).

The power and the cement method used to choose differently for the same year (a fixed ETS value against the
latest MEE/NBS publication); both now ask this table. A year without a rule is refused (a grid factor must then
be given in the request), never filled with a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from steward.factors.loader import DATA_DIR, read_rows
from steward.factors.source import FactorSource, GridFactorRow

RULES_TABLE = DATA_DIR / "grid_factor_rules.csv"


@dataclass(frozen=True)
class GridRule:
    applies_to: str
    first_data_year: int
    last_data_year: int
    factor_regime: str
    factor_year: str  # "2022" or "Y-2"
    source_document: str
    status: str
    note: str

    def factor_data_year(self, data_year: int) -> int:
        if self.factor_year.startswith("Y-"):
            return data_year - int(self.factor_year[2:])
        return int(self.factor_year)


@cache
def rules() -> tuple[GridRule, ...]:
    return tuple(
        GridRule(
            applies_to=row["applies_to"],
            first_data_year=int(row["first_data_year"]),
            last_data_year=int(row["last_data_year"]),
            factor_regime=row["factor_regime"],
            factor_year=row["factor_year"],
            source_document=row["source_document"],
            status="verified" if row["status"].strip() == "verified" else "to_verify",
            note=row["note"],
        )
        for row in read_rows(RULES_TABLE)
    )


def rule_for(applies_to: str, data_year: int) -> GridRule | None:
    found = [
        rule
        for rule in rules()
        if rule.applies_to == applies_to and rule.first_data_year <= data_year <= rule.last_data_year
    ]
    return found[0] if found else None


def grid_row(factors: FactorSource, applies_to: str, data_year: int) -> tuple[GridRule, GridFactorRow]:
    """The rule and the factor row it selects; LookupError naming what is missing."""
    rule = rule_for(applies_to, data_year)
    if rule is None:
        raise LookupError(
            f"没有 {applies_to} 在 {data_year} 年的电网排放因子规则，请在请求中提供 grid_factor"
        )
    latest = rule.factor_data_year(data_year)
    row = factors.grid_factor(rule.factor_regime, latest_data_year=latest)
    if row is None:
        raise LookupError(
            f"因子库没有 {rule.factor_regime} 体系 {latest} 年及以前的电网排放因子，请在请求中提供 grid_factor"
        )
    return rule, row
