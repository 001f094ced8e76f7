"""The values of the platform items: the `value_from` mini-language of data/platform_items.csv, read from a locked
month's sealed payload and the calculation run it pinned (never from the current records).

    output:<kind>                     the sealed output record of that kind
    result:total_tco2|direct_tco2     the sealed result (direct: the ETS compliance figure)
    line:<key>                        the pinned run's trace line of that key (tCO2, or tCO2e for PFC)
    derived:load_factor               发电量 ÷ (装机容量 × 运行小时数), %
    derived:anode_carbon              per electrolysis record, 1 − anode sulphur − anode ash, %
    <kinds>[@<process>]:quantity      one row per sealed record of a source of those kinds
    <kinds>[@<process>]:param:<name>  one row per such record carrying that measured parameter

<kinds> is one source kind or several joined by "+" (fuel, process, electricity, heat, electrolysis,
carbon_input, carbon_output, carbon_waste); @<process> keeps the sources whose facility belongs to that steel
process (sintering, pelletizing, ironmaking, steelmaking, rolling, other: the facility's kind, as the month's
calculation request takes it). a|b takes the first alternative with a sealed value. Rows of one item are in
source-code order.
"""

from __future__ import annotations

from decimal import Decimal

from steward.carbon.models import CalculationRun, EmissionSource, Facility
from steward.carbon.sector_records import STEEL_PROCESS_OF_FACILITY
from steward.carbon.units import UnitError, to_base

Kind = EmissionSource.Kind
SOURCE_KINDS = {
    "fuel": Kind.FUEL_COMBUSTION,
    "process": Kind.CLINKER_PROCESS,
    "electricity": Kind.PURCHASED_ELECTRICITY,
    "heat": Kind.PURCHASED_HEAT,
    "electrolysis": Kind.ALUMINIUM_ELECTROLYSIS,
    "carbon_input": Kind.CARBON_INPUT,
    "carbon_output": Kind.CARBON_OUTPUT,
    "carbon_waste": Kind.CARBON_WASTE,
}
STEEL_PROCESSES = ("sintering", "pelletizing", "ironmaking", "steelmaking", "rolling", "other")
PERCENT = Decimal(100)

Row = tuple[str, Decimal | None, str]  # (subject: the source's name or "", value, unit)


class SealedMonth:
    """A locked month's payload with the sources it names and, on demand, the run it pinned."""

    def __init__(self, payload: dict):
        self.payload = payload
        codes = {record["source"] for record in payload.get("records", [])}
        self.sources = {
            source.code: source
            for source in EmissionSource.objects.filter(code__in=codes).select_related("facility")
        }
        self._run: CalculationRun | None | bool = False

    @property
    def run(self) -> CalculationRun | None:
        if self._run is False:
            pinned = (self.payload.get("result") or {}).get("run")
            self._run = CalculationRun.objects.filter(pk=pinned).first() if pinned else None
        return self._run

    def name(self, code: str) -> str:
        source = self.sources.get(code)
        return source.name if source else code

    def process_of(self, code: str) -> str:
        source = self.sources.get(code)
        return STEEL_PROCESS_OF_FACILITY.get(source.facility.kind, "other") if source else "other"

    def records(self, kinds: str, process: str | None) -> list[dict]:
        wanted = set()
        for word in kinds.split("+"):
            if word not in SOURCE_KINDS:
                raise ValueError(f"unknown source kind {word!r} in value_from")
            wanted.add(SOURCE_KINDS[word])
        if process is not None and process not in STEEL_PROCESSES:
            raise ValueError(f"unknown process {process!r} in value_from")
        rows = [
            record
            for record in self.payload.get("records", [])
            if getattr(self.sources.get(record["source"]), "kind", None) in wanted
            and (process is None or self.process_of(record["source"]) == process)
        ]
        return sorted(rows, key=lambda record: record["source"])


def _parameters(record: dict) -> dict[str, dict]:
    return {parameter["name"]: parameter for parameter in record.get("parameters", [])}


def _load_factor(month: SealedMonth) -> list[Row]:
    outputs = {row["kind"]: row for row in month.payload.get("outputs", [])}
    generated, hours = outputs.get("electricity_generated"), outputs.get("running_hours")
    capacity = sum(
        (f.capacity_mw or Decimal(0) for f in Facility.objects.filter(kind=Facility.Kind.GENERATING_UNIT)),
        Decimal(0),
    )
    if not generated or not hours or generated["unit"] != "MWh" or hours["unit"] != "h" or not capacity:
        return []
    hours_value = Decimal(hours["value"])
    if not hours_value:
        return []
    factor = Decimal(generated["value"]) * 100 / (capacity * hours_value)
    return [("", factor.quantize(Decimal("0.01")), "%")]


def _anode_carbon(month: SealedMonth) -> list[Row]:
    """The anode's carbon as the aluminium method takes it: 1 − S_a − A_a (CETS-AG-04.01 structure [R])."""
    rows = []
    for record in month.records("electrolysis", None):
        given = _parameters(record)
        try:
            sulphur, ash = (
                to_base(Decimal(given[name]["value"]), given[name]["unit"], "fraction")
                for name in ("anode_sulphur", "anode_ash")
            )
        except (KeyError, UnitError):
            continue
        rows.append((month.name(record["source"]), (1 - sulphur - ash) * PERCENT, "%"))
    return rows


def _line(month: SealedMonth, key: str) -> list[Row]:
    run = month.run
    lines = [line for line in (run.result.get("lines", []) if run else []) if line.get("key") == key]
    if not lines:
        return []
    return [("", sum((Decimal(line["tco2"]) for line in lines), Decimal(0)), "")]  # the item's unit


def _from_records(month: SealedMonth, head: str, rest: str) -> list[Row]:
    kinds, _at, process = head.partition("@")
    records = month.records(kinds, process or None)
    if rest == "quantity":
        return [(month.name(r["source"]), Decimal(r["quantity"]), r["unit"]) for r in records]
    if not rest.startswith("param:"):
        raise ValueError(f"unknown value_from {head}:{rest!r}")
    name = rest.removeprefix("param:")
    rows = []
    for record in records:
        if parameter := _parameters(record).get(name):
            rows.append((month.name(record["source"]), Decimal(parameter["value"]), parameter["unit"]))
    return rows


def rows_for(value_from: str, month: SealedMonth) -> list[Row]:
    """(subject, value, unit) rows of one item; [] when no alternative found anything sealed."""
    for alternative in value_from.split("|"):
        head, _sep, rest = alternative.partition(":")
        rows: list[Row] = []
        if head == "output":
            row = next((o for o in month.payload.get("outputs", []) if o["kind"] == rest), None)
            if row:
                rows = [("", Decimal(row["value"]), row["unit"])]
        elif head == "result":
            result = month.payload.get("result")
            if result and rest in ("total_tco2", "direct_tco2") and rest in result:
                rows = [("", Decimal(result[rest]), "")]  # tCO2 (tCO2e with PFC): the item's unit
        elif head == "line":
            rows = _line(month, rest)
        elif head == "derived" and rest == "load_factor":
            rows = _load_factor(month)
        elif head == "derived" and rest == "anode_carbon":
            rows = _anode_carbon(month)
        elif head.partition("@")[0].split("+")[0] in SOURCE_KINDS:
            rows = _from_records(month, head, rest)
        else:
            raise ValueError(f"unknown value_from {alternative!r}")
        if rows:
            return rows
    return []
