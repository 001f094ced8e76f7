"""Production coefficients (产污系数) per fuel and pollutant, kg per unit of the fuel's activity data.

[R] Values in the range of the MEE 2021 handbook's boiler tables (4411/4430); each is marked to verify against the
handbook's table for the actual boiler type and combustion technology before use in a filed report. SO2 from
coal uses the sulphur balance 2 × S × 0.8 (16 × S_ar kg/t, S in %) when the sulphur content is measured; the
stored lab value (air-dried total sulphur in whatever fraction unit it was entered) is first converted to % on the
as-received basis, S_ar = S_ad × (1 − M_ar) / (1 − M_ad), or used air-dried (higher, so conservative) when the
moisture pair is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from steward.carbon.units import convert
from steward.pollution.pollutants import Pollutant


@dataclass(frozen=True)
class Coefficient:
    fuel_code: str
    pollutant: str
    kg_per_unit: Decimal
    activity_unit: str
    basis: str
    to_verify: bool = True


COEFFICIENTS = {
    (c.fuel_code, c.pollutant): c
    for c in [
        Coefficient("bituminous_coal", Pollutant.SO2, Decimal("16.0"), "t", "16 × S_ar（S_ar=1%）硫平衡"),
        Coefficient("bituminous_coal", Pollutant.NOX, Decimal("5.37"), "t", "煤粉锅炉 产污系数"),
        Coefficient("bituminous_coal", Pollutant.PM, Decimal("90.0"), "t", "煤粉锅炉 产污系数（灰分约 9%）"),
        Coefficient("natural_gas", Pollutant.NOX, Decimal("18.71"), "10^4 Nm3", "燃气锅炉 产污系数"),
        Coefficient(
            "natural_gas", Pollutant.SO2, Decimal("0.02"), "10^4 Nm3", "燃气锅炉 产污系数（S=1mg/m³）"
        ),
        Coefficient("natural_gas", Pollutant.PM, Decimal("0.1"), "10^4 Nm3", "燃气锅炉 产污系数"),
    ]
}
SULPHUR_SO2_KG_PER_T_PER_PCT = Decimal("16")  # 2 (SO2/S) × 0.8 (share of S released) × 10 kg per t per %


def sulphur_as_received_pct(parameters: dict[str, tuple[Decimal, str]]) -> tuple[Decimal, str] | None:
    """(S_ar in %, how it was obtained) from stored lab parameters name → (value, unit), or None without sulphur."""
    if "sulphur_ad" not in parameters:
        return None
    sulphur_ad = convert(*parameters["sulphur_ad"], "fraction")
    if "moisture_ar" in parameters and "moisture_ad" in parameters:
        moisture_ar = convert(*parameters["moisture_ar"], "fraction")
        moisture_ad = convert(*parameters["moisture_ad"], "fraction")
        if moisture_ad < 1:
            value = sulphur_ad * (1 - moisture_ar) / (1 - moisture_ad) * 100
            return value, "S_ar = S_ad × (1 − M_ar) / (1 − M_ad)"
    return sulphur_ad * 100, "未提供水分，按空干基全硫计（偏保守）"


def coefficient_for(
    fuel_code: str, pollutant: str, sulphur_pct: Decimal | None = None, basis: str = ""
) -> Coefficient | None:
    """The coefficient for a fuel, with SO2 from the measured sulphur content (in %, as received) when known."""
    found = COEFFICIENTS.get((fuel_code, pollutant))
    if found and pollutant == Pollutant.SO2 and sulphur_pct is not None and found.activity_unit == "t":
        note = f"；{basis}" if basis else ""
        return Coefficient(
            fuel_code,
            pollutant,
            SULPHUR_SO2_KG_PER_T_PER_PCT * sulphur_pct,
            "t",
            f"硫平衡 16 × S（S={sulphur_pct:.4f}%{note}）",
            to_verify=False,
        )
    return found
