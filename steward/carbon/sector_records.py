"""The sectors' process blocks of a month's calculation request, built from the current records of their process
sources (the parameter sets of steward/carbon/parameter_sets.py; the request shapes of steward/carbon/request.py
and steward/carbon/sector_request.py).

Values go into the request as entered (value and unit); the parser converts them, so the trace shows what was
entered. A parameter the method needs but the record lacks is left out, and the method's parser refuses the month
naming the field (the data-quality rules name it before: DQ-C15). A carbonate-bearing material carries one
request item per carbonate content entered.
"""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.models import ActivityRecord, Facility, MeasuredParameter
from steward.carbon.models import EmissionSource as Source
from steward.carbon.parameter_sets import ALUMINIUM, CHEMICALS, GLASS, PAPER, STEEL
from steward.carbon.trace import plain
from steward.carbon.units import convert, to_base

Kind = Source.Kind
Name = MeasuredParameter.Name
ALUMINIUM_PARAMETERS = {
    "net_anode_consumption": Name.NET_ANODE_CONSUMPTION,
    "anode_sulphur": Name.ANODE_SULPHUR,
    "anode_ash": Name.ANODE_ASH,
    "cf4_kg_per_t": Name.CF4_EMISSION_FACTOR,
    "c2f6_kg_per_t": Name.C2F6_EMISSION_FACTOR,
}
# Steel: the facility's kind names the process its materials belong to; any other facility is "other".
STEEL_PROCESS_OF_FACILITY = {
    Facility.Kind.SINTERING: "sintering",
    Facility.Kind.PELLETIZING: "pelletizing",
    Facility.Kind.BLAST_FURNACE: "ironmaking",
    Facility.Kind.STEELMAKING_FURNACE: "steelmaking",
    Facility.Kind.ROLLING_MILL: "rolling",
}
CARBONATE_OF_CONTENT = {
    Name.CACO3_CONTENT: "CaCO3",
    Name.MGCO3_CONTENT: "MgCO3",
    Name.DOLOMITE_CONTENT: "CaMg(CO3)2",
    Name.NA2CO3_CONTENT: "Na2CO3",
}
N2O_PARAMETERS = {
    "n2o_factor": Name.N2O_FACTOR,
    "abatement_efficiency": Name.ABATEMENT_EFFICIENCY,
    "abatement_use": Name.ABATEMENT_USE,
}
WASTEWATER_PARAMETERS = {
    "cod_in": Name.COD_IN,
    "cod_out": Name.COD_OUT,
    "sludge_cod": Name.SLUDGE_COD,
    "ch4_recovered": Name.CH4_RECOVERED,
    "b0": Name.METHANE_CAPACITY,
    "mcf": Name.METHANE_CORRECTION,
}
FRACTION_PLACES = Decimal("1e-8")  # the request's precision for a fraction (steward.edge.numbers.BOUNDS)


def _value(value: Decimal, unit: str) -> dict[str, str]:
    return {"value": plain(value), "unit": unit}


def _parameters(record: ActivityRecord) -> dict[str, MeasuredParameter]:
    return {parameter.name: parameter for parameter in record.parameters.all()}


def _mapped(record: ActivityRecord, names: dict[str, str]) -> dict[str, dict[str, str]]:
    """The request's keys for the record's parameters that are present."""
    given = _parameters(record)
    return {key: _value(given[name].value, given[name].unit) for key, name in names.items() if name in given}


def _material(record: ActivityRecord) -> dict:
    entry = {"material": record.source.name[:80], "quantity": _value(record.quantity, record.unit)}
    return entry | _mapped(record, {"carbon_content": Name.CARBON_CONTENT})


def aluminium_block(records: dict[str, list[ActivityRecord]]) -> dict | None:
    """The electrolysis record: primary aluminium output with the anode and anode-effect figures. Several series
    are one block: their total output, the output-weighted net anode consumption and PFC factors, and the
    anode-weighted sulphur and ash (so Σ P × NC × (1 − S − A) and Σ P × EF are kept, to 8 decimals)."""
    series = records[Kind.ALUMINIUM_ELECTROLYSIS]
    if not series:
        return None
    blocks = [{"output": _value(r.quantity, r.unit)} | _mapped(r, ALUMINIUM_PARAMETERS) for r in series]
    incomplete = [block for block in blocks if set(block) != {"output", *ALUMINIUM_PARAMETERS}]
    if len(blocks) == 1 or incomplete:
        return (incomplete or blocks)[0]  # as entered: the parser names what is missing
    return combined_series([{key: _base(key, entry) for key, entry in block.items()} for block in blocks])


ALUMINIUM_DIMENSIONS = {"output": "mass", "net_anode_consumption": "specific_mass", "anode_sulphur": "fraction",
                        "anode_ash": "fraction", "cf4_kg_per_t": "specific_mass", "c2f6_kg_per_t": "specific_mass"}  # fmt: skip


def _base(key: str, entry: dict[str, str]) -> Decimal:
    return to_base(Decimal(entry["value"]), entry["unit"], ALUMINIUM_DIMENSIONS[key])


def combined_series(series: list[dict[str, Decimal]]) -> dict:
    """One block for several potlines (values in base units: t, kg/t, fractions)."""
    output = sum((line["output"] for line in series), Decimal(0))
    anode = [line["output"] * line["net_anode_consumption"] for line in series]  # kg of anode carbon consumed
    anode_total = sum(anode, Decimal(0))

    def weighted(key: str, weights: list[Decimal], total: Decimal) -> Decimal:
        if not total:
            return Decimal(0)
        return (
            sum((w * line[key] for w, line in zip(weights, series, strict=True)), Decimal(0)) / total
        ).quantize(FRACTION_PLACES)

    outputs = [line["output"] for line in series]
    return {
        "output": _value(output, "t"),
        "net_anode_consumption": _value(weighted("net_anode_consumption", outputs, output), "kg/t"),
        "anode_sulphur": _value(weighted("anode_sulphur", anode, anode_total), "fraction"),
        "anode_ash": _value(weighted("anode_ash", anode, anode_total), "fraction"),
        "cf4_kg_per_t": _value(weighted("cf4_kg_per_t", outputs, output), "kg/t"),
        "c2f6_kg_per_t": _value(weighted("c2f6_kg_per_t", outputs, output), "kg/t"),
    }


def steel_block(records: dict[str, list[ActivityRecord]]) -> dict | None:
    """Carbon-bearing inputs and the carbon-fixing products, by-products and wastes leaving, each in its process."""

    def item(record: ActivityRecord) -> dict:
        process = STEEL_PROCESS_OF_FACILITY.get(record.source.facility.kind, "other")
        return _material(record) | {"process": process}

    inputs = [item(record) for record in records[Kind.CARBON_INPUT]]
    outputs = [item(record) for record in records[Kind.CARBON_OUTPUT] + records[Kind.CARBON_WASTE]]
    return {"inputs": inputs, "outputs": outputs} if inputs or outputs else None


def carbonates(records: list[ActivityRecord], *, only_caco3: bool = False) -> list[dict]:
    """One item per carbonate content a material's record carries (purity = that content). Paper's only carbonate
    is CaCO3: without its content the method's conservative purity of 1 applies."""
    items = []
    for record in records:
        given = _parameters(record)
        contents = [name for name in CARBONATE_OF_CONTENT if name in given]
        if only_caco3 and not contents:
            contents = [None]
        for name in contents:
            formula = CARBONATE_OF_CONTENT[name] if name else "CaCO3"
            entry = {
                "carbonate": formula,
                "quantity": _value(record.quantity, record.unit),
                "label": f"{record.source.name}（{formula}）"[:80],
            }
            if name:
                entry["purity"] = _value(given[name].value, given[name].unit)
            if calcination := given.get(Name.CALCINATION_FRACTION):
                entry["calcination_fraction"] = _value(calcination.value, calcination.unit)
            items.append(entry)
    return items


def carbon_powder(records: list[ActivityRecord]) -> dict | None:
    """Glass carbon powder: one record as entered; several combined into their total mass at the mass-weighted
    carbon content (Σ Q × C / Σ Q, to the request's 8 decimals)."""
    if not records:
        return None
    if len(records) == 1:
        entry = _material(records[0])
        return {key: entry[key] for key in ("quantity", "carbon_content") if key in entry}
    mass = Decimal(0)
    carbon = Decimal(0)
    for record in records:
        quantity = convert(record.quantity, record.unit, "t")
        content = _parameters(record).get(Name.CARBON_CONTENT)
        if content is None:
            return {"quantity": _value(mass + quantity, "t")}  # incomplete: the parser names the field
        mass += quantity
        carbon += quantity * content.value * (Decimal("0.01") if content.unit == "%" else 1)
    content = (carbon / mass).quantize(FRACTION_PLACES) if mass else Decimal(0)
    return {"quantity": _value(mass, "t"), "carbon_content": _value(content, "fraction")}


def n2o_items(records: list[ActivityRecord]) -> list[dict]:
    return [
        {"production": _value(record.quantity, record.unit), "label": record.source.name[:80]}
        | _mapped(record, N2O_PARAMETERS)
        for record in records
    ]


def wastewater(records: list[ActivityRecord]) -> dict | None:
    """The anaerobic treatment's record. Several treatments with the same B0 and MCF (or both left to the
    defaults) are one block: their total volume at the volume-weighted inlet and outlet COD (so Σ W × ΔCOD is kept,
    to 8 decimals), the sludge COD and the CH4 recovered summed. With different B0 or MCF they cannot be one block:
    the first is taken and DQ-K15 blocks the month."""
    if not records:
        return None
    blocks = [{"volume": _value(r.quantity, r.unit)} | _mapped(r, WASTEWATER_PARAMETERS) for r in records]
    factors = {
        tuple(
            to_base(Decimal(b[key]["value"]), b[key]["unit"], "fraction") if key in b else None
            for key in ("b0", "mcf")
        )
        for b in blocks
    }
    if len(blocks) == 1 or len(factors) > 1 or any(not {"cod_in", "cod_out"} <= set(b) for b in blocks):
        return blocks[0]
    volumes = [convert(Decimal(block["volume"]["value"]), block["volume"]["unit"], "t") for block in blocks]
    volume = sum(volumes, Decimal(0))

    def cod(key: str) -> dict[str, str]:
        loads = sum(
            (
                w * to_base(Decimal(b[key]["value"]), b[key]["unit"], "concentration")
                for w, b in zip(volumes, blocks, strict=True)
            ),
            Decimal(0),
        )
        return _value((loads / volume).quantize(FRACTION_PLACES) if volume else Decimal(0), "kg/m3")

    def summed(key: str) -> dict[str, str]:
        masses = [convert(Decimal(b[key]["value"]), b[key]["unit"], "kg") for b in blocks if key in b]
        return _value(sum(masses, Decimal(0)), "kg")

    block = {"volume": _value(volume, "t"), "cod_in": cod("cod_in"), "cod_out": cod("cod_out")}
    block |= {key: summed(key) for key in ("sludge_cod", "ch4_recovered") if any(key in b for b in blocks)}
    return block | {key: blocks[0][key] for key in ("b0", "mcf") if key in blocks[0]}


def sector_blocks(methodology: str, records: dict[str, list[ActivityRecord]]) -> dict:
    """The request keys of the methodology's process block, only when its records have something to say."""
    if methodology == ALUMINIUM:
        block = aluminium_block(records)
        return {"aluminium": block} if block else {}
    if methodology == STEEL:
        block = steel_block(records)
        return {"steel": block} if block else {}
    if methodology == GLASS:
        block = {"carbonates": carbonates(records[Kind.CARBONATE_USE])}
        if powder := carbon_powder(records[Kind.CARBON_INPUT]):
            block["carbon_powder"] = powder
    elif methodology == CHEMICALS:
        block = {
            "inputs": [_material(record) for record in records[Kind.CARBON_INPUT]],
            "outputs": [_material(r) | {"kind": "product"} for r in records[Kind.CARBON_OUTPUT]]
            + [_material(r) | {"kind": "waste"} for r in records[Kind.CARBON_WASTE]],
            "carbonates": carbonates(records[Kind.CARBONATE_USE]),
            "nitric_acid": n2o_items(records[Kind.NITRIC_ACID]),
            "adipic_acid": n2o_items(records[Kind.ADIPIC_ACID]),
        }
    elif methodology == PAPER:
        block = {"carbonates": carbonates(records[Kind.CARBONATE_USE], only_caco3=True)}
        if water := wastewater(records[Kind.ANAEROBIC_WASTEWATER]):
            block["wastewater"] = water
    else:
        return {}
    block = {key: value for key, value in block.items() if value}
    return {SECTOR_KEYS[methodology]: block} if block else {}


SECTOR_KEYS = {GLASS: "glass", CHEMICALS: "chemicals", PAPER: "paper"}
