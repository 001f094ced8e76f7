"""Formulas shared by several methodologies, each a plain function with the guideline clause it implements."""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.request import GAS_UNIT, CalculationInputError, CalculationRequest, FuelInput, Quantity
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


def as_received_carbon(fuel: FuelInput) -> list[TracedValue] | None:
    """The as-received carbon content, measured directly or converted from an air-dried test."""
    if fuel.carbon_content_ar:
        return [measured("C_ar", fuel.carbon_content_ar, "fraction")]
    if fuel.carbon_content_ad and fuel.moisture_ar and fuel.moisture_ad:
        inputs = [
            measured("C_ad", fuel.carbon_content_ad, "fraction"),
            measured("M_ar", fuel.moisture_ar, "fraction"),
            measured("M_ad", fuel.moisture_ad, "fraction"),
        ]
        converted = air_dried_to_as_received(*(value.value for value in inputs))
        return inputs + [
            TracedValue(
                "C_ar", converted, "fraction", Origin.MEASURED, reason="C_ar = C_ad × (1 − M_ar) / (1 − M_ad)"
            )
        ]
    return None


def element_carbon_line(
    fuel: FuelInput, carbon: list[TracedValue], factors: FactorSource, oxidation_default: TracedValue | None
) -> Line:
    """E = FC × C_ar × OF × 44/12; OF measured, else the methodology's default, else the library's."""
    row = factors.fuel_default(fuel.fuel)
    consumption = measured("FC", fuel.consumption, row.unit)
    if fuel.oxidation_rate:
        oxidation = measured("OF", fuel.oxidation_rate, "fraction")
    else:
        oxidation = oxidation_default or from_library("OF", row.oxidation_rate, "fraction", row)
    return Line(
        key=f"fuel[{fuel.index}]",
        label=fuel_label(fuel, row),
        category="fuel_combustion",
        formula="E = FC × C_ar × OF × 44/12",
        inputs=[consumption, *carbon, oxidation],
        tco2=fuel_co2_element_carbon(consumption.value, carbon[-1].value, oxidation.value),
    )


def input_not_used(notes: list[dict], line: str, parameter: str, message: str) -> None:
    """An input the methodology does not use is named in the result's warnings, never dropped in silence."""
    notes.append({"code": "input_not_used", "line": line, "parameter": parameter, "message": message})


def combustion_line(
    fuel: FuelInput,
    factors: FactorSource,
    notes: list[dict],
    *,
    element_oxidation_default: TracedValue | None = None,
    coal_carbon_default: TracedValue | None = None,
    coal_oxidation_default: TracedValue | None = None,
) -> Line:
    """One fuel: a measured carbon content always wins (element-carbon form, solids and liquids by mass);
    otherwise the heat-value form with measured values first, then the given coal defaults, then the library."""
    row = factors.fuel_default(fuel.fuel)
    carbon = as_received_carbon(fuel)
    if carbon and row.unit != GAS_UNIT:
        return element_carbon_line(fuel, carbon, factors, element_oxidation_default)
    if carbon:
        input_not_used(
            notes,
            f"fuel[{fuel.index}]",
            "carbon_content_ar",
            f"{fuel_label(fuel, row)}：气体燃料按体积计量，元素碳含量不适用，已按热值法计算（请提供单位热值含碳量）",
        )
    if fuel.fuel in COAL_FUELS and coal_carbon_default:
        return heat_value_line(
            fuel, factors, carbon_default=coal_carbon_default, oxidation_default=coal_oxidation_default
        )
    return heat_value_line(fuel, factors)


def fuel_refusals(request: CalculationRequest) -> dict[str, list[dict[str, str]]]:
    """Impossible or unusable fuel lab values, keyed by field path (moisture of 100% has no as-received basis)."""
    errors: dict[str, list[dict[str, str]]] = {}
    for fuel in request.fuels:
        path = f"fuels[{fuel.index}]"
        for name in ("moisture_ar", "moisture_ad"):
            value = getattr(fuel, name)
            if value is not None and value.base >= 1:
                errors[f"{path}.{name}.value"] = [
                    {"code": "out_of_range", "message": "水分须小于 100%（否则无法换算收到基）"}
                ]
        if (
            fuel.carbon_content_ad
            and not fuel.carbon_content_ar
            and not (fuel.moisture_ar and fuel.moisture_ad)
        ):
            errors[f"{path}.carbon_content_ad"] = [
                {
                    "code": "basis_conversion_incomplete",
                    "message": "空干基元素碳须同时提供收到基水分和空干基水分，才能换算为收到基",
                }
            ]
    return errors


def sector_block_refusals(request: CalculationRequest, errors: dict) -> None:
    """Sector process figures (aluminium, steel, flat glass, chemicals, paper) given to a method without that
    process are refused, never dropped."""
    for block, methodology, label in (
        ("aluminium", "cn_aluminium", "电解铝"),
        ("steel", "cn_steel", "钢铁工序"),
        ("glass", "cn_flat_glass", "平板玻璃"),
        ("chemicals", "cn_chemicals", "化工"),
        ("paper", "cn_paper", "造纸"),
    ):
        if getattr(request, block) and request.methodology != methodology:
            errors[block] = [
                {
                    "code": "not_used_by_methodology",
                    "message": f"该核算方法不含{label}过程排放：请用 {methodology} 方法",
                }
            ]


def refuse(errors: dict[str, list[dict[str, str]]]) -> None:
    if errors:
        raise CalculationInputError(errors)


def intensity_inputs(request, key: str, base_unit: str) -> TracedValue | None:
    quantity = request.outputs.get(key)
    return measured(key, quantity, base_unit) if quantity else None
