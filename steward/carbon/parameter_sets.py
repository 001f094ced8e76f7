"""The monthly parameter set of each methodology: which measured values a month's record of each kind of source
carries, in which unit, and which are backed by a lab report. The enterprise's sector (its methodology,
`selectors.methodology_for`) decides the set the month page offers and the API documents.

Cement (CETS-AG-02.01-V01-2024, 环办气候函〔2024〕321号; the monthly 存证 items [R], structure from the 2013
guideline and GB/T 32151.8): the clinker line's record is the clinker output (t) with its CaO and MgO contents
and their non-carbonate parts, the kiln-head and bypass dust leaving the kiln system (t), the raw meal consumed
(t) and its non-fuel carbon content; each fuel's consumption with its heating value and carbon content (lab
report); purchased electricity with the part used by the clinker facility.

Electrolytic aluminium (CETS-AG-04.01-V01-2024, structure [R]): the electrolysis record is the primary aluminium
output (t) with the net anode consumption (kg per t Al), the anode's sulphur and ash (lab report) and the CF4 and
C2F6 emission factors of the anode effect (kg per t Al, e.g. slope × anode-effect minutes per cell-day).

Steel (by process, structure [R]): each carbon-bearing material entering (fluxes, electrodes, purchased pig iron,
carburisers …) and each carbon-fixing product or by-product leaving is a source of its own, in the facility of
its process (the facility's kind names the process: 烧结机, 球团, 高炉, 炼钢炉, 轧钢); its record is the
material's mass with its carbon content (the enterprise's measurement, lab report; no default is shipped).

Flat glass, chemicals, paper (GB/T 32151.7 / .10, the 2015 paper guideline; structures [R]): a carbonate-bearing
material's record is its mass with the carbonate contents of the material (lab report) and the calcination
fraction; glass carbon powder and the chemical feedstock balance are carbon-bearing materials with their carbon
content; nitric / adipic acid production (t) carries the N2O generation factor and the abatement's efficiency
and use rate; paper's anaerobic wastewater treatment (t treated, 1 t = 1 m3) carries inlet and outlet COD, the
COD leaving with the sludge, the CH4 recovered, and B0 and MCF when measured.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from steward.carbon.models import EmissionSource, MeasuredParameter

Name = MeasuredParameter.Name
Kind = EmissionSource.Kind
CEMENT = "cn_cement_clinker"
ALUMINIUM = "cn_aluminium"
STEEL = "cn_steel"
GLASS = "cn_flat_glass"
CHEMICALS = "cn_chemicals"
PAPER = "cn_paper"


@dataclass(frozen=True)
class ParameterSpec:
    name: str
    unit: str  # "%": entered as a percentage; "activity": the record's own unit; else a fixed unit
    lab: bool = False  # a measured value backed by a lab report
    required: bool = False  # the method cannot account the source without it (DQ-C15)

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
ALUMINIUM_ELECTROLYSIS = (
    ParameterSpec(Name.NET_ANODE_CONSUMPTION, "kg/t", required=True),
    ParameterSpec(Name.ANODE_SULPHUR, "%", lab=True, required=True),
    ParameterSpec(Name.ANODE_ASH, "%", lab=True, required=True),
    ParameterSpec(Name.CF4_EMISSION_FACTOR, "kg/t", required=True),
    ParameterSpec(Name.C2F6_EMISSION_FACTOR, "kg/t", required=True),
)
CARBON_MATERIAL = (ParameterSpec(Name.CARBON_CONTENT, "%", lab=True, required=True),)
CARBONATE_CONTENTS = (
    ParameterSpec(Name.CACO3_CONTENT, "%", lab=True),
    ParameterSpec(Name.MGCO3_CONTENT, "%", lab=True),
    ParameterSpec(Name.DOLOMITE_CONTENT, "%", lab=True),
    ParameterSpec(Name.NA2CO3_CONTENT, "%", lab=True),
)
CALCINATION = ParameterSpec(Name.CALCINATION_FRACTION, "%")
N2O_PROCESS = (
    ParameterSpec(Name.N2O_FACTOR, "kg/t", required=True),
    ParameterSpec(Name.ABATEMENT_EFFICIENCY, "%"),
    ParameterSpec(Name.ABATEMENT_USE, "%"),
)
ANAEROBIC_WASTEWATER = (
    ParameterSpec(Name.COD_IN, "kg/m3", lab=True, required=True),
    ParameterSpec(Name.COD_OUT, "kg/m3", lab=True, required=True),
    ParameterSpec(Name.SLUDGE_COD, "kg"),
    ParameterSpec(Name.CH4_RECOVERED, "kg"),
    ParameterSpec(Name.METHANE_CAPACITY, "fraction"),
    ParameterSpec(Name.METHANE_CORRECTION, "%"),
)
ENERGY = {Kind.FUEL_COMBUSTION: FUEL}
DEFAULT_SET = {Kind.FUEL_COMBUSTION: FUEL, Kind.CLINKER_PROCESS: CLINKER_COMPOSITION}
PARAMETER_SETS: dict[str, dict[str, tuple[ParameterSpec, ...]]] = {
    CEMENT: {
        Kind.FUEL_COMBUSTION: FUEL,
        Kind.CLINKER_PROCESS: CEMENT_CLINKER,
        Kind.PURCHASED_ELECTRICITY: (ParameterSpec(Name.CLINKER_FACILITY_ELECTRICITY, "activity"),),
    },
    ALUMINIUM: ENERGY | {Kind.ALUMINIUM_ELECTROLYSIS: ALUMINIUM_ELECTROLYSIS},
    STEEL: ENERGY | {Kind.CARBON_INPUT: CARBON_MATERIAL, Kind.CARBON_OUTPUT: CARBON_MATERIAL},
    # Glass: the batch carbonates, and carbon powder as a carbon-bearing input.
    GLASS: ENERGY
    | {Kind.CARBONATE_USE: CARBONATE_CONTENTS + (CALCINATION,), Kind.CARBON_INPUT: CARBON_MATERIAL},
    CHEMICALS: ENERGY
    | {
        Kind.CARBON_INPUT: CARBON_MATERIAL,
        Kind.CARBON_OUTPUT: CARBON_MATERIAL,
        Kind.CARBON_WASTE: CARBON_MATERIAL,
        Kind.CARBONATE_USE: CARBONATE_CONTENTS + (CALCINATION,),
        Kind.NITRIC_ACID: N2O_PROCESS,
        Kind.ADIPIC_ACID: N2O_PROCESS,
    },
    # Paper: only the lime kiln's make-up CaCO3 decomposes (the method refuses other carbonates).
    PAPER: ENERGY
    | {
        Kind.CARBONATE_USE: (CARBONATE_CONTENTS[0], CALCINATION),
        Kind.ANAEROBIC_WASTEWATER: ANAEROBIC_WASTEWATER,
    },
}
# The quantity a process source's monthly record is, as the month page labels it.
QUANTITY_LABELS = {
    Kind.CLINKER_PROCESS: _("熟料产量"),
    Kind.ALUMINIUM_ELECTROLYSIS: _("原铝产量"),
    Kind.CARBON_INPUT: _("物料消耗量"),
    Kind.CARBON_OUTPUT: _("产品产量"),
    Kind.CARBON_WASTE: _("废物产生量"),
    Kind.CARBONATE_USE: _("含碳酸盐原料消耗量"),
    Kind.NITRIC_ACID: _("硝酸产量"),
    Kind.ADIPIC_ACID: _("己二酸产量"),
    Kind.ANAEROBIC_WASTEWATER: _("厌氧处理废水量"),
}


PARAMETER_SET_TITLES = {
    CEMENT: _("水泥熟料生产月度存证参数（CETS-AG-02.01-V01-2024）"),
    ALUMINIUM: _("电解铝月度存证参数（CETS-AG-04.01-V01-2024）"),
    STEEL: _("钢铁生产月度参数（按工序的含碳物料输入与固碳产出）"),
    GLASS: _("平板玻璃生产月度参数（配料碳酸盐、碳粉）"),
    CHEMICALS: _("化工生产月度参数（原料碳平衡、碳酸盐、硝酸/己二酸 N2O）"),
    PAPER: _("造纸月度参数（石灰窑补充碳酸钙、废水厌氧处理）"),
}


def parameter_set(methodology: str, kind: str) -> tuple[ParameterSpec, ...]:
    """The parameters a month's record of a source of `kind` carries under `methodology`."""
    return PARAMETER_SETS.get(methodology, DEFAULT_SET).get(kind, ())


def all_parameter_names() -> set[str]:
    names = {spec.name for specs in DEFAULT_SET.values() for spec in specs}
    for sets in PARAMETER_SETS.values():
        names |= {spec.name for specs in sets.values() for spec in specs}
    return names


def lab_parameter_names() -> set[str]:
    """Every parameter some sector's set backs with a lab report."""
    return {
        spec.name
        for sets in (DEFAULT_SET, *PARAMETER_SETS.values())
        for specs in sets.values()
        for spec in specs
        if spec.lab
    }


def sector_parameter_kinds() -> dict[str, set[str]]:
    """Parameter → the kinds of process source it belongs to, in the non-cement sectors' sets."""
    kinds: dict[str, set[str]] = {}
    for methodology, sets in PARAMETER_SETS.items():
        for kind, specs in sets.items():
            if methodology == CEMENT or kind == Kind.FUEL_COMBUSTION:
                continue
            for spec in specs:
                kinds.setdefault(spec.name, set()).add(kind)
    return kinds


def sector_specs() -> dict[str, ParameterSpec]:
    """name → spec of the parameters only the non-cement sectors' sets carry (the month page adds their fields)."""
    specs: dict[str, ParameterSpec] = {}
    for methodology, sets in PARAMETER_SETS.items():
        if methodology == CEMENT:
            continue
        for kind, kind_specs in sets.items():
            if kind != Kind.FUEL_COMBUSTION:
                specs.update({spec.name: spec for spec in kind_specs})
    return specs


def sector_kind_parameters() -> dict[str, tuple[str, ...]]:
    """Kind of process source → the parameters the sectors' sets give it, in set order (the control plan's rows)."""
    names: dict[str, dict[str, None]] = {}
    for methodology, sets in PARAMETER_SETS.items():
        for kind, specs in sets.items():
            if methodology != CEMENT and kind != Kind.FUEL_COMBUSTION:
                names.setdefault(kind, {}).update(dict.fromkeys(str(spec.name) for spec in specs))
    return {kind: tuple(ordered) for kind, ordered in names.items()}
