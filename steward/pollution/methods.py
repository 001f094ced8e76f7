"""Pollutant accounting formulas (MEE 2021 产排污核算方法和系数手册; DOMAIN.md §4.2), as plain functions.

Every quantity is a Decimal and every unit is checked: a concentration or flow in an unexpected unit is an error
with a code, never silently converted.
"""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.units import UnitError

AIR_FACTOR = Decimal("1E-9")  # mg/m³ × m³/h × h → mg → t
WATER_FACTOR = Decimal("1E-6")  # mg/L × m³/d × d → g·10³ … → t
OXYGEN_IN_AIR = Decimal("21")


def require_unit(unit: str, expected: str, field: str) -> None:
    if unit != expected:
        raise UnitError("wrong_unit", f"{field} 的单位应为 {expected}，收到 {unit}")


def air_mass_t(
    concentration: Decimal, concentration_unit: str, flow: Decimal, flow_unit: str, hours: Decimal
):
    """E(t) = C(mg/m³, standard dry) × Q(m³/h) × h × 10⁻⁹."""
    require_unit(concentration_unit, "mg/m3", "浓度")
    require_unit(flow_unit, "m3/h", "流量")
    return concentration * flow * hours * AIR_FACTOR


def water_mass_t(
    concentration: Decimal, concentration_unit: str, flow: Decimal, flow_unit: str, days: Decimal
):
    """E(t) = C(mg/L) × Q(m³/d) × d × 10⁻⁶."""
    require_unit(concentration_unit, "mg/L", "浓度")
    require_unit(flow_unit, "m3/d", "流量")
    return concentration * flow * days * WATER_FACTOR


def coefficient_mass_t(
    activity: Decimal, coefficient_kg_per_unit: Decimal, removal_efficiency: Decimal, operating_rate: Decimal
) -> Decimal:
    """E(t) = activity × 产污系数(kg/unit) × (1 − η_removal × k_operating) / 1000 (coefficient method)."""
    for name, value in (("去除效率", removal_efficiency), ("运行率", operating_rate)):
        if not Decimal(0) <= value <= Decimal(1):
            raise UnitError("out_of_range", f"{name}应在 0 与 1 之间，收到 {value}")
    if activity < 0 or coefficient_kg_per_unit < 0:
        raise UnitError("negative", "活动水平和产污系数不能为负")
    return activity * coefficient_kg_per_unit * (1 - removal_efficiency * operating_rate) / Decimal(1000)


def oxygen_corrected(
    measured: Decimal, measured_oxygen_pct: Decimal, reference_oxygen_pct: Decimal
) -> Decimal:
    """C_ref = C × (21 − O2_ref) / (21 − O2_measured) (GB 13223 / HJ 75 reference-oxygen conversion)."""
    if not Decimal(0) <= measured_oxygen_pct < OXYGEN_IN_AIR:
        raise UnitError("out_of_range", f"实测含氧量应在 0 与 21% 之间，收到 {measured_oxygen_pct}")
    return measured * (OXYGEN_IN_AIR - reference_oxygen_pct) / (OXYGEN_IN_AIR - measured_oxygen_pct)
