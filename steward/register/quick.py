"""速算: CO2 of the register's enterprises from the bulk feeds and the factor library's defaults.

CO2 = electricity (kWh) ÷ 1000 × the grid factor the `general` rule selects for the data year
    + Σ fuel × into the library unit × default NCV × default carbon content × oxidation × 44/12
    + purchased heat (GJ) × the heat default.
Each carrier's factor is worked out once per data year in Python (`carrier_factor`, plain and tested), with its
method text and every factor value it used; the sums over 50,000 enterprises are one SQL statement that
multiplies each row by those per-carrier factors (`steward.register.selectors`). 速算 is an estimate from
defaults: it leaves out process emissions and measured fuel properties, which is why it is compared with the
sealed figure rather than replacing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from steward.factors.grid_rules import grid_row
from steward.factors.shipped import fuel_name
from steward.factors.source import FactorSource
from steward.formatting import plain
from steward.register.carriers import Carrier, carriers

CO2_PER_C = Decimal(44) / Decimal(12)
KWH_PER_MWH = Decimal(1000)
GRID_RULE = "general"  # GB/T 32150 and reporting-only sectors: the latest MEE/NBS national average


@dataclass(frozen=True)
class FactorUsed:
    label: str
    value: Decimal
    unit: str
    source: str
    status: str


@dataclass(frozen=True)
class CarrierFactor:
    """tCO2 per unit of one carrier (in the carrier's unit) for one data year."""

    carrier: Carrier
    year: int
    tco2_per_unit: Decimal
    method: str
    factors: tuple[FactorUsed, ...]

    @property
    def sources(self) -> list[str]:
        """The documents its factors come from, each once, in order."""
        return list(
            dict.fromkeys([*(factor.source for factor in self.factors), self.carrier.source_document])
        )

    @property
    def status(self) -> str:
        statuses = {self.carrier.status, *(factor.status for factor in self.factors)}
        return "verified" if statuses == {"verified"} else "to_verify"


@dataclass(frozen=True)
class Figure:
    tco2: Decimal
    method: str
    terms: tuple[tuple[CarrierFactor, Decimal, Decimal], ...]  # (factor, quantity, tCO2)


class FactorMissing(LookupError):
    pass


def carrier_factor(code: str, year: int, factors: FactorSource) -> CarrierFactor:
    carrier = carriers()[code]
    if carrier.method == "grid":
        try:
            rule, row = grid_row(factors, GRID_RULE, year)
        except LookupError as error:
            raise FactorMissing(str(error)) from None
        used = (
            FactorUsed(
                f"电网排放因子（{row.data_year}年全国平均）",
                row.value_tco2_per_mwh,
                "tCO2/MWh",
                f"{row.source_document}；选用规则：{rule.source_document}",
                "verified" if row.status == rule.status == "verified" else "to_verify",
            ),
        )
        per_unit = row.value_tco2_per_mwh / KWH_PER_MWH
        method = f"{carrier.name_zh}（kWh）÷ 1000 × {plain(row.value_tco2_per_mwh)} tCO2/MWh（{row.data_year}年全国电网平均排放因子）"
        return CarrierFactor(carrier, year, per_unit, method, used)
    if carrier.method == "heat":
        value = carrier.heat_tco2_per_gj
        used = (FactorUsed("外购热力排放因子", value, "tCO2/GJ", carrier.source_document, carrier.status),)
        return CarrierFactor(carrier, year, value, f"{carrier.name_zh}（GJ）× {plain(value)} tCO2/GJ", used)
    fuel = factors.fuel_default(carrier.fuel_code)
    if fuel is None or None in (fuel.ncv_gj_per_unit, fuel.carbon_content_tc_per_gj, fuel.oxidation_rate):
        raise FactorMissing(
            f"因子库 {factors.version} 缺少 {fuel_name(carrier.fuel_code)} 的低位发热量、含碳量或氧化率"
        )
    per_unit = (
        carrier.to_library
        * fuel.ncv_gj_per_unit
        * fuel.carbon_content_tc_per_gj
        * fuel.oxidation_rate
        * CO2_PER_C
    )
    used = (
        FactorUsed(
            f"低位发热量（{fuel_name(carrier.fuel_code)}）",
            fuel.ncv_gj_per_unit,
            f"GJ/{fuel.unit}",
            fuel.source_document,
            fuel.status,
        ),
        FactorUsed(
            f"单位热值含碳量（{fuel_name(carrier.fuel_code)}）",
            fuel.carbon_content_tc_per_gj,
            "tC/GJ",
            fuel.source_document,
            fuel.status,
        ),
        FactorUsed(
            f"碳氧化率（{fuel_name(carrier.fuel_code)}）",
            fuel.oxidation_rate,
            "",
            fuel.source_document,
            fuel.status,
        ),
    )
    conversion = (
        "" if carrier.to_library == 1 else f" × {plain(carrier.to_library)}（{carrier.unit}→{fuel.unit}）"
    )
    method = (
        f"{carrier.name_zh}（{carrier.unit}）{conversion} × {plain(fuel.ncv_gj_per_unit)} GJ/{fuel.unit}"
        f" × {plain(fuel.carbon_content_tc_per_gj)} tC/GJ × {plain(fuel.oxidation_rate)} × 44/12"
    )
    return CarrierFactor(carrier, year, per_unit, method, used)


def year_factors(year: int, factors: FactorSource) -> dict[str, CarrierFactor]:
    """Every carrier's factor for one data year (a carrier without factors is left out, never guessed)."""
    found = {}
    for code in carriers():
        try:
            found[code] = carrier_factor(code, year, factors)
        except FactorMissing:
            continue
    return found


def quick_co2(quantities: dict[str, Decimal], year: int, factors: FactorSource) -> Figure:
    """速算 of one enterprise's period from its quantities per carrier (in each carrier's unit)."""
    terms = []
    for code, quantity in sorted(quantities.items()):
        factor = carrier_factor(code, year, factors)
        terms.append((factor, quantity, quantity * factor.tco2_per_unit))
    total = sum((tco2 for _f, _q, tco2 in terms), Decimal(0))
    method = (
        " + ".join(f"{quantity} × [{factor.method}]" for factor, quantity, _t in terms) or "无能源消费数据"
    )
    return Figure(tco2=total, method=method, terms=tuple(terms))
