"""Which kind of unit each stored figure must have (the stored side of the units whitelist)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from steward.carbon.models import EmissionSource, MeasuredParameter
from steward.carbon.request import GAS_UNIT, OUTPUT_DIMENSIONS
from steward.carbon.units import UnitError, to_base
from steward.factors.models import FactorSet, FuelFactor

SOURCE_DIMENSIONS = {
    EmissionSource.Kind.CLINKER_PROCESS: "mass",
    EmissionSource.Kind.PURCHASED_ELECTRICITY: "electricity",
    EmissionSource.Kind.PURCHASED_HEAT: "heat",
    # The sectors' process sources: aluminium output, a carbon-bearing material, a carbonate-bearing material,
    # acid production, wastewater treated (1 t = 1 m3) — all masses.
    **{
        kind: "mass"
        for kind in (
            EmissionSource.Kind.ALUMINIUM_ELECTROLYSIS,
            EmissionSource.Kind.CARBON_INPUT,
            EmissionSource.Kind.CARBON_OUTPUT,
            EmissionSource.Kind.CARBON_WASTE,
            EmissionSource.Kind.CARBONATE_USE,
            EmissionSource.Kind.NITRIC_ACID,
            EmissionSource.Kind.ADIPIC_ACID,
            EmissionSource.Kind.ANAEROBIC_WASTEWATER,
        )
    },
}
FRACTION_PARAMETERS = {
    MeasuredParameter.Name.CARBON_CONTENT_AR,
    MeasuredParameter.Name.CARBON_CONTENT_AD,
    MeasuredParameter.Name.MOISTURE_AR,
    MeasuredParameter.Name.MOISTURE_AD,
    MeasuredParameter.Name.HYDROGEN_AD,
    MeasuredParameter.Name.SULPHUR_AD,
    MeasuredParameter.Name.OXIDATION_RATE,
    MeasuredParameter.Name.CLINKER_CAO,
    MeasuredParameter.Name.CLINKER_MGO,
    MeasuredParameter.Name.NONCARBONATE_CAO,
    MeasuredParameter.Name.NONCARBONATE_MGO,
    MeasuredParameter.Name.RAW_MEAL_CARBON,
    MeasuredParameter.Name.ANODE_SULPHUR,
    MeasuredParameter.Name.ANODE_ASH,
    MeasuredParameter.Name.CARBON_CONTENT,
    MeasuredParameter.Name.CACO3_CONTENT,
    MeasuredParameter.Name.MGCO3_CONTENT,
    MeasuredParameter.Name.DOLOMITE_CONTENT,
    MeasuredParameter.Name.NA2CO3_CONTENT,
    MeasuredParameter.Name.CALCINATION_FRACTION,
    MeasuredParameter.Name.ABATEMENT_EFFICIENCY,
    MeasuredParameter.Name.ABATEMENT_USE,
    MeasuredParameter.Name.METHANE_CAPACITY,  # kg CH4 per kg COD, a ratio of masses
    MeasuredParameter.Name.METHANE_CORRECTION,
}
# Cement (CETS-AG-02.01-V01-2024): the dust leaving the kiln system and the raw meal are masses; the clinker
# facility's part of the purchased electricity is an amount of electricity.
MASS_PARAMETERS = {
    MeasuredParameter.Name.KILN_DUST,
    MeasuredParameter.Name.BYPASS_DUST,
    MeasuredParameter.Name.RAW_MEAL,
    MeasuredParameter.Name.SLUDGE_COD,
    MeasuredParameter.Name.CH4_RECOVERED,
}
# Per tonne of product: net anode consumption and the PFC and N2O factors (kg per t); COD as a concentration.
SPECIFIC_MASS_PARAMETERS = {
    MeasuredParameter.Name.NET_ANODE_CONSUMPTION,
    MeasuredParameter.Name.CF4_EMISSION_FACTOR,
    MeasuredParameter.Name.C2F6_EMISSION_FACTOR,
    MeasuredParameter.Name.N2O_FACTOR,
}
CONCENTRATION_PARAMETERS = {MeasuredParameter.Name.COD_IN, MeasuredParameter.Name.COD_OUT}
ELECTRICITY_PARAMETERS = {MeasuredParameter.Name.CLINKER_FACILITY_ELECTRICITY}


def is_gas(source: EmissionSource) -> bool:
    """Gaseous fuels are measured by volume (10^4 Nm3), the others by mass."""
    return FuelFactor.objects.filter(
        factor_set=FactorSet.current(), fuel_code=source.fuel_code, unit=GAS_UNIT
    ).exists()


def source_dimension(source: EmissionSource) -> str:
    if source.kind == EmissionSource.Kind.FUEL_COMBUSTION:
        return "gas_volume" if is_gas(source) else "mass"
    return SOURCE_DIMENSIONS[source.kind]


def parameter_dimension(name: str, source: EmissionSource) -> str:
    if name in FRACTION_PARAMETERS:
        return "fraction"
    if name in MASS_PARAMETERS:
        return "mass"
    if name in ELECTRICITY_PARAMETERS:
        return "electricity"
    if name in SPECIFIC_MASS_PARAMETERS:
        return "specific_mass"
    if name in CONCENTRATION_PARAMETERS:
        return "concentration"
    if name == MeasuredParameter.Name.NCV:
        return "ncv_gas" if is_gas(source) else "ncv_mass"
    return "carbon_per_heat"


def check_unit(unit: str, dimension: str, *, field: str) -> None:
    """Raise a field ValidationError when `unit` is unknown or not of `dimension`."""
    try:
        to_base(0, unit, dimension)
    except UnitError as error:
        raise ValidationError({field: ValidationError(error.message, code=error.code)}) from error


def output_dimension(kind: str) -> str:
    return {**OUTPUT_DIMENSIONS, "running_hours": "time"}[kind]
