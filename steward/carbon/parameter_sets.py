"""The monthly parameter set of each methodology: which measured values a month's record of each kind of source
carries, in which unit, and which are backed by a lab report. The enterprise's sector (its methodology,
`selectors.methodology_for`) decides the set the month page offers and the API documents.

Cement (CETS-AG-02.01-V01-2024, 环办气候函〔2024〕321号; the monthly 存证 items [R], structure from the 2013
guideline and GB/T 32151.8): the clinker line's record is the clinker output (t) with its CaO and MgO contents
and their non-carbonate parts, the kiln-head and bypass dust leaving the kiln system (t), the raw meal consumed
(t) and its non-fuel carbon content; each fuel's consumption with its heating value and carbon content (lab
report); purchased electricity with the part used by the clinker facility.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from steward.carbon.models import EmissionSource, MeasuredParameter

Name = MeasuredParameter.Name
Kind = EmissionSource.Kind
CEMENT = "cn_cement_clinker"


@dataclass(frozen=True)
class ParameterSpec:
    name: str
    unit: str  # "%": entered as a percentage; "activity": the record's own unit; else a fixed unit
    lab: bool = False  # a measured value backed by a lab report

    @property
    def label(self) -> str:
        return str(dict(Name.choices)[self.name])


FUEL = (
    ParameterSpec(Name.NCV, "ncv", lab=True),
    ParameterSpec(Name.CARBON_CONTENT_AR, "%", lab=True),
    ParameterSpec(Name.OXIDATION_RATE, "%"),
)
CLINKER_COMPOSITION = (
    ParameterSpec(Name.CLINKER_CAO, "%", lab=True),
    ParameterSpec(Name.CLINKER_MGO, "%", lab=True),
    ParameterSpec(Name.NONCARBONATE_CAO, "%", lab=True),
    ParameterSpec(Name.NONCARBONATE_MGO, "%", lab=True),
)
CEMENT_CLINKER = CLINKER_COMPOSITION + (
    ParameterSpec(Name.KILN_DUST, "t"),
    ParameterSpec(Name.BYPASS_DUST, "t"),
    ParameterSpec(Name.RAW_MEAL, "t"),
    ParameterSpec(Name.RAW_MEAL_CARBON, "%", lab=True),
)
DEFAULT_SET = {Kind.FUEL_COMBUSTION: FUEL, Kind.CLINKER_PROCESS: CLINKER_COMPOSITION}
PARAMETER_SETS: dict[str, dict[str, tuple[ParameterSpec, ...]]] = {
    CEMENT: {
        Kind.FUEL_COMBUSTION: FUEL,
        Kind.CLINKER_PROCESS: CEMENT_CLINKER,
        Kind.PURCHASED_ELECTRICITY: (ParameterSpec(Name.CLINKER_FACILITY_ELECTRICITY, "activity"),),
    },
}


PARAMETER_SET_TITLES = {
    CEMENT: _("水泥熟料生产月度存证参数（CETS-AG-02.01-V01-2024）"),
}


def parameter_set(methodology: str, kind: str) -> tuple[ParameterSpec, ...]:
    """The parameters a month's record of a source of `kind` carries under `methodology`."""
    return PARAMETER_SETS.get(methodology, DEFAULT_SET).get(kind, ())


def all_parameter_names() -> set[str]:
    names = {spec.name for specs in DEFAULT_SET.values() for spec in specs}
    for sets in PARAMETER_SETS.values():
        names |= {spec.name for specs in sets.values() for spec in specs}
    return names
