"""Formulas shared by several methodologies, each a plain function with the guideline clause it implements."""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.request import FuelInput, Quantity
from steward.carbon.trace import CO2_PER_C, Line, Origin, TracedValue
from steward.factors.source import FactorSource, FuelDefault

HUNDRED = Decimal(100)
COAL_FUELS = frozenset({"anthracite", "bituminous_coal", "lignite", "raw_coal"})


class MissingFactor(ValueError):
    """The factor library has no value for a parameter that was not measured either."""


def fuel_co2_heat_value(
    consumption: Decimal, ncv: Decimal, carbon_per_heat: Decimal, oxidation: Decimal
) -> Decimal:
    """E = FC × NCV × CC × OF × 44/12 (heat-value form; power guideline 2022 §5.2.1, GB/T 32150 §6.2)."""
    return consumption * ncv * carbon_per_heat * oxidation * CO2_PER_C


def fuel_co2_element_carbon(
    consumption_t: Decimal, carbon_content_ar: Decimal, oxidation: Decimal
) -> Decimal:
    """E = FC × C_ar × OF × 44/12 (element-carbon form, power guideline 2022 §5.2.1)."""
    return consumption_t * carbon_content_ar * oxidation * CO2_PER_C


def air_dried_to_as_received(carbon_ad: Decimal, moisture_ar: Decimal, moisture_ad: Decimal) -> Decimal:
    """C_ar = C_ad × (1 − M_ar) / (1 − M_ad), fractions (power guideline 2022, Table 1; GB/T 483 basis conversion)."""
    return carbon_ad * (1 - moisture_ar) / (1 - moisture_ad)


def electricity_co2(mwh: Decimal, factor_tco2_per_mwh: Decimal) -> Decimal:
    """E = AD × EF (purchased electricity)."""
    return mwh * factor_tco2_per_mwh


def measured(name: str, quantity: Quantity, base_unit: str) -> TracedValue:
    unit_note = "" if quantity.unit == base_unit else f"录入 {quantity.value} {quantity.unit}"
    return TracedValue(name, quantity.base, base_unit, Origin.MEASURED, reason=unit_note)


def from_library(name: str, value: Decimal | None, unit: str, row: FuelDefault) -> TracedValue:
    if value is None:
        raise MissingFactor(f"因子库 {row.row_id} 没有 {name}，请提供实测值")
    return TracedValue(name, value, unit, Origin.FACTOR_LIBRARY, row.source_document, row.row_id, row.status)


def fuel_label(fuel: FuelInput, row: FuelDefault) -> str:
    return fuel.label or row.name


def heat_value_line(
    fuel: FuelInput,
    factors: FactorSource,
    *,
    carbon_default: TracedValue | None = None,
    oxidation_default: TracedValue | None = None,
) -> Line:
    """A fuel line in the heat-value form; parameters not measured come from the library or the given defaults."""
    row = factors.fuel_default(fuel.fuel)
    consumption = measured("FC", fuel.consumption, row.unit)
    ncv = (
        measured("NCV", fuel.ncv, f"GJ/{row.unit}")
        if fuel.ncv
        else from_library("NCV", row.ncv_gj_per_unit, f"GJ/{row.unit}", row)
    )
    if fuel.carbon_content_per_heat:
        carbon = measured("CC", fuel.carbon_content_per_heat, "tC/GJ")
    else:
        carbon = carbon_default or from_library("CC", row.carbon_content_tc_per_gj, "tC/GJ", row)
    if fuel.oxidation_rate:
        oxidation = measured("OF", fuel.oxidation_rate, "fraction")
    else:
        oxidation = oxidation_default or from_library("OF", row.oxidation_rate, "fraction", row)
    tco2 = fuel_co2_heat_value(consumption.value, ncv.value, carbon.value, oxidation.value)
    return Line(
        key=f"fuel[{fuel.index}]",
        label=fuel_label(fuel, row),
        category="fuel_combustion",
        formula="E = FC × NCV × CC × OF × 44/12",
        inputs=[consumption, ncv, carbon, oxidation],
        tco2=tco2,
    )


def intensity_inputs(request, key: str, base_unit: str) -> TracedValue | None:
    quantity = request.outputs.get(key)
    return measured(key, quantity, base_unit) if quantity else None
