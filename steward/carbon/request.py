"""Parse and validate a calculation request (the JSON of `manage.py calculate` and POST /api/v1/calculate).

Every problem is collected, keyed by the path of the offending field, each with a code and a Chinese message:
{"fuels[0].consumption.unit": [{"code": "unknown_unit", "message": "未知单位 bananas"}]}.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from steward.carbon.sector_request import BLOCK_FIELDS as SECTOR_BLOCKS
from steward.carbon.sector_request import parse_block
from steward.carbon.units import DIMENSIONS, UnitError, to_base
from steward.edge.errors import EdgeError
from steward.edge.numbers import check_bounds, parse_decimal
from steward.factors.source import FactorSource

FRACTION_FIELDS = ("carbon_content_ar", "carbon_content_ad", "moisture_ar", "moisture_ad")
FUEL_FIELDS = {
    "fuel",
    "consumption",
    "ncv",
    "carbon_content_per_heat",
    "oxidation_rate",
    "label",
    "boundary",
    *FRACTION_FIELDS,
}
FUEL_BOUNDARIES = {"clinker_facility", "enterprise"}  # cement: 熟料生产设施 or only the enterprise level
TOP_LEVEL_FIELDS = {
    "methodology",
    "period",
    "fuels",
    "purchased_electricity",
    "grid_factor",
    "purchased_heat",
    "heat_factor",
    "clinker",
    "clinker_facility_electricity",
    "aluminium",
    "steel",
    "glass",
    "chemicals",
    "paper",
    "outputs",
}
GAS_UNIT = "10^4 Nm3"
KG_PER_T = Decimal(1000)
OUTPUT_DIMENSIONS = {
    "electricity_generated": "electricity",
    "electricity_supplied": "electricity",
    "heat_supplied": "heat",
    "clinker_output": "mass",
    "heat_ratio": "fraction",  # 供热比: share of a CHP unit's emissions allocated to heat
}
CLINKER_FIELDS = {
    "output": "mass",
    "cao": "fraction",
    "mgo": "fraction",
    "cao_noncarbonate": "fraction",
    "mgo_noncarbonate": "fraction",
}
# Electrolytic aluminium (CETS-AG-04.01-V01-2024 structure, [R]): primary aluminium output, net anode consumption
# (t per t Al), the anode's sulphur and ash, and the anode-effect PFC emission factors (kg per t Al).
ALUMINIUM_FIELDS = {
    "output": "mass",
    "net_anode_consumption": "fraction",
    "anode_sulphur": "fraction",
    "anode_ash": "fraction",
    "cf4_kg_per_t": "specific_mass",
    "c2f6_kg_per_t": "specific_mass",
}
# Steel by process (工序): carbon-bearing materials entering (fluxes, electrodes, purchased pig iron, carburisers …)
# and carbon leaving in products (crude steel, by-products), each with its process and carbon content.
STEEL_PROCESSES = {"sintering", "pelletizing", "ironmaking", "steelmaking", "rolling", "other"}
STEEL_ITEM_FIELDS = {"material", "process", "quantity", "carbon_content", "label"}
# Optional clinker-process figures (CETS-AG-02.01-V01-2024 structure, [R]): kiln-head and bypass dust leaving the
# kiln system, raw meal and its non-fuel (organic) carbon content.
CLINKER_OPTIONAL_FIELDS = {
    "kiln_dust": "mass",
    "bypass_dust": "mass",
    "raw_meal": "mass",
    "raw_meal_carbon": "fraction",
}
CLINKER_LINE_FIELDS = set(CLINKER_FIELDS) | set(CLINKER_OPTIONAL_FIELDS) | {"label"}


class CalculationInputError(ValueError):
    def __init__(self, errors: dict[str, list[dict[str, str]]]):
        super().__init__(f"{len(errors)} invalid field(s)")
        self.errors = dict(errors)


@dataclass(frozen=True)
class Quantity:
    """A value as given (for the trace) and in the dimension's base unit (for the arithmetic)."""

    value: Decimal
    unit: str
    base: Decimal


@dataclass(frozen=True)
class FuelInput:
    index: int
    fuel: str
    consumption: Quantity
    label: str = ""
    carbon_content_ar: Quantity | None = None
    carbon_content_ad: Quantity | None = None
    moisture_ar: Quantity | None = None
    moisture_ad: Quantity | None = None
    ncv: Quantity | None = None
    carbon_content_per_heat: Quantity | None = None
    oxidation_rate: Quantity | None = None
    boundary: str = "clinker_facility"


@dataclass(frozen=True)
class SteelItem:
    index: int
    material: str
    process: str
    quantity: Quantity
    carbon_content: Quantity
    label: str = ""


@dataclass(frozen=True)
class ClinkerLine:
    """One clinker production line's month: `clinker` as an object (one line) or each item of `clinker[]`."""

    path: str  # "clinker" or "clinker[i]": where a refusal points
    label: str
    values: dict[str, Quantity | None]  # output and composition (None where refused), optional dust, raw meal

    def __getitem__(self, key: str) -> Quantity | None:
        return self.values[key]

    def __contains__(self, key: str) -> bool:
        return key in self.values


@dataclass(frozen=True)
class CalculationRequest:
    methodology: str
    year: int
    month: int | None
    fuels: tuple[FuelInput, ...]
    purchased_electricity: Quantity | None
    grid_factor: Quantity | None
    purchased_heat: Quantity | None
    heat_factor: Quantity | None
    clinker: tuple[ClinkerLine, ...] | None  # one per clinker production line (kiln)
    outputs: dict[str, Quantity]
    clinker_facility_electricity: Quantity | None = None
    aluminium: dict[str, Quantity] | None = None
    steel: dict[str, tuple[SteelItem, ...]] | None = None
    # The reporting-only sectors' process figures (steward/carbon/sector_request.py).
    glass: dict | None = None
    chemicals: dict | None = None
    paper: dict | None = None


class _Parser:
    def __init__(self, factors: FactorSource):
        self.factors = factors
        self.errors: dict[str, list[dict[str, str]]] = defaultdict(list)

    def fail(self, path: str, code: str, message: str) -> None:
        self.errors[path].append({"code": code, "message": message})

    def refused(self, error: EdgeError) -> None:
        for path, items in error.errors.items():
            self.errors[path].extend(items)

    def number(self, raw, path: str) -> Decimal | None:
        if raw is None:
            self.fail(path, "required", "缺少数值")
            return None
        try:
            value = parse_decimal(raw, path)  # finite, bounded length, ASCII digits (steward.edge.numbers)
        except EdgeError as error:
            self.refused(error)
            return None
        if value < 0:
            self.fail(path, "negative", "数值不能为负")
            return None
        return value

    def quantity(self, raw, path: str, dimension: str, *, default_unit: str | None = None) -> Quantity | None:
        if not isinstance(raw, dict):
            if default_unit is None:
                self.fail(path, "invalid_shape", '应为 {"value": ..., "unit": ...}')
                return None
            raw = {"value": raw, "unit": default_unit}
        self.unknown_fields(raw, {"value", "unit"}, path)
        value = self.number(raw.get("value"), f"{path}.value")
        unit = raw.get("unit", default_unit)
        if not isinstance(unit, str):
            self.fail(f"{path}.unit", "required", "缺少单位")
            return None
        try:
            to_base(Decimal(0), unit, dimension)  # the unit is known and of this dimension
        except UnitError as error:
            self.fail(f"{path}.unit", error.code, error.message[:120])
            return None
        if value is None:
            return None
        try:
            # The unit's range and precision (BOUNDS), checked before any arithmetic can overflow.
            check_bounds(value, unit, dimension, f"{path}.value")
        except EdgeError as error:
            self.refused(error)
            return None
        return Quantity(value=value, unit=unit, base=to_base(value, unit, dimension))

    def optional(self, data: dict, key: str, path: str, dimension: str, **kwargs) -> Quantity | None:
        if data.get(key) is None:
            return None
        return self.quantity(data[key], f"{path}.{key}", dimension, **kwargs)

    def unknown_fields(self, raw: dict, allowed: set[str], path: str) -> None:
        # A misspelt key must not be silently ignored: it would drop a source from the total.
        for key in sorted(set(raw) - allowed, key=str):
            self.fail(f"{path}.{key}".lstrip("."), "unknown_field", f"未知字段 {str(key)[:80]}")

    def fuel(self, raw, index: int) -> FuelInput | None:
        path = f"fuels[{index}]"
        if not isinstance(raw, dict):
            self.fail(path, "invalid_shape", "应为对象")
            return None
        self.unknown_fields(raw, FUEL_FIELDS, path)
        code = raw.get("fuel")
        default = self.factors.fuel_default(code) if isinstance(code, str) else None
        if default is None:
            self.fail(f"{path}.fuel", "unknown_fuel", f"未知燃料 {str(code)[:80]}")
            return None
        label = raw.get("label", "")
        if not isinstance(label, str):
            self.fail(f"{path}.label", "invalid_shape", "应为字符串")
            label = ""
        gas = default.unit == GAS_UNIT
        if "consumption" not in raw:
            self.fail(f"{path}.consumption", "required", "缺少消耗量")
            return None
        fields = {key: self.optional(raw, key, path, "fraction") for key in FRACTION_FIELDS}
        boundary = raw.get("boundary", "clinker_facility")
        if boundary not in FUEL_BOUNDARIES:
            self.fail(f"{path}.boundary", "invalid", f"边界应为：{'、'.join(sorted(FUEL_BOUNDARIES))}")
        return FuelInput(
            boundary=boundary,
            index=index,
            fuel=code,
            label=label[:80],
            consumption=self.quantity(
                raw["consumption"], f"{path}.consumption", "gas_volume" if gas else "mass"
            ),
            ncv=self.optional(raw, "ncv", path, "ncv_gas" if gas else "ncv_mass"),
            carbon_content_per_heat=self.optional(raw, "carbon_content_per_heat", path, "carbon_per_heat"),
            oxidation_rate=self.optional(raw, "oxidation_rate", path, "fraction", default_unit="fraction"),
            **fields,
        )

    def steel_item(self, raw, path: str, index: int) -> SteelItem | None:
        if not isinstance(raw, dict):
            self.fail(path, "invalid", "应为对象")
            return None
        self.unknown_fields(raw, STEEL_ITEM_FIELDS, path)
        material, process = raw.get("material"), raw.get("process")
        if not isinstance(material, str) or not material.strip():
            self.fail(f"{path}.material", "required", "缺少物料名称")
        if process not in STEEL_PROCESSES:
            self.fail(f"{path}.process", "invalid", f"工序应为：{'、'.join(sorted(STEEL_PROCESSES))}")
        quantity = self.quantity(raw.get("quantity"), f"{path}.quantity", "mass")
        carbon = self.quantity(raw.get("carbon_content"), f"{path}.carbon_content", "fraction")
        if (
            quantity is None
            or carbon is None
            or not isinstance(material, str)
            or process not in STEEL_PROCESSES
        ):
            return None
        return SteelItem(index, material, process, quantity, carbon, str(raw.get("label", ""))[:80])

    def steel(self, raw) -> dict[str, tuple[SteelItem, ...]] | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.fail("steel", "invalid", "应为对象")
            return None
        self.unknown_fields(raw, {"inputs", "outputs"}, "steel")
        found = {}
        for side in ("inputs", "outputs"):
            items = raw.get(side, [])
            if not isinstance(items, list):
                self.fail(f"steel.{side}", "invalid", "应为数组")
                items = []
            found[side] = tuple(
                item for i, r in enumerate(items) if (item := self.steel_item(r, f"steel.{side}[{i}]", i))
            )
        return found

    def clinker_line(self, raw, path: str) -> ClinkerLine | None:
        if not isinstance(raw, dict):
            self.fail(path, "invalid_shape", "应为对象")
            return None
        self.unknown_fields(raw, CLINKER_LINE_FIELDS, path)
        values = {
            key: self.quantity(raw.get(key), f"{path}.{key}", dimension)
            for key, dimension in CLINKER_FIELDS.items()
        }
        values |= {
            key: quantity
            for key, dimension in CLINKER_OPTIONAL_FIELDS.items()
            if (quantity := self.optional(raw, key, path, dimension))
        }
        label = raw.get("label", "")
        if not isinstance(label, str):
            self.fail(f"{path}.label", "invalid_shape", "应为字符串")
            label = ""
        return ClinkerLine(path, label[:80], values)

    def clinker(self, raw) -> tuple[ClinkerLine, ...] | None:
        """One clinker line as an object, or several (a plant with two kilns) as an array of such objects."""
        if raw is None:
            return None
        if isinstance(raw, dict):
            line = self.clinker_line(raw, "clinker")
            return (line,) if line else None
        if not isinstance(raw, list) or not raw:
            self.fail("clinker", "invalid_shape", "应为对象（一条熟料生产线）或非空数组（多条）")
            return None
        lines = tuple(
            line for i, item in enumerate(raw) if (line := self.clinker_line(item, f"clinker[{i}]"))
        )
        return lines or None

    def period(self, raw) -> tuple[int, int | None]:
        if not isinstance(raw, dict):
            if raw is None:
                self.fail("period", "required", '缺少核算期 {"year": 2024, "month": 3}')
            else:
                self.fail("period", "invalid_shape", '应为对象 {"year": 2024, "month": 3}')
            return 0, None
        self.unknown_fields(raw, {"year", "month"}, "period")
        year, month = raw.get("year"), raw.get("month")
        if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
            self.fail("period.year", "invalid", "年份应为 2000–2100 的整数")
        if month is not None and (
            not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12
        ):
            self.fail("period.month", "invalid", "月份应为 1–12 的整数，全年核算时省略")
        return year if isinstance(year, int) else 0, month if isinstance(month, int) else None


def net_anode(parser: _Parser, raw) -> Quantity | None:
    """Net anode consumption as a fraction (t per t Al), or per tonne as plants report it (410 kg/t = 0.41)."""
    path = "aluminium.net_anode_consumption"
    if isinstance(raw, dict) and raw.get("unit") in DIMENSIONS["specific_mass"].factors:
        per_tonne = parser.quantity(raw, path, "specific_mass")
        if per_tonne is None:
            return None
        return Quantity(per_tonne.value, per_tonne.unit, per_tonne.base / KG_PER_T)
    return parser.quantity(raw, path, "fraction")


def parse_request(data, factors: FactorSource, known_methodologies: set[str]) -> CalculationRequest:
    """Validate `data` and return a typed request, or raise CalculationInputError with every problem."""
    parser = _Parser(factors)
    if not isinstance(data, dict):
        raise CalculationInputError({"": [{"code": "invalid_shape", "message": "请求应为 JSON 对象"}]})
    parser.unknown_fields(data, TOP_LEVEL_FIELDS, "")
    methodology = data.get("methodology")
    if not isinstance(methodology, str):
        parser.fail("methodology", "invalid_shape", "应为字符串（核算方法代码）")
    elif methodology not in known_methodologies:
        parser.fail(
            "methodology",
            "unknown_methodology",
            f"未知核算方法 {methodology[:80]}，可选：{'、'.join(sorted(known_methodologies))}",
        )
    year, month = parser.period(data.get("period"))
    raw_fuels = data.get("fuels", [])
    if not isinstance(raw_fuels, list):
        parser.fail("fuels", "invalid_shape", "应为数组")
        raw_fuels = []
    fuels = tuple(fuel for index, raw in enumerate(raw_fuels) if (fuel := parser.fuel(raw, index)))
    clinker = parser.clinker(data.get("clinker"))
    aluminium = None
    if isinstance(data.get("aluminium"), dict):
        parser.unknown_fields(data["aluminium"], set(ALUMINIUM_FIELDS), "aluminium")
        aluminium = {
            key: parser.quantity(data["aluminium"].get(key), f"aluminium.{key}", dimension)
            for key, dimension in ALUMINIUM_FIELDS.items()
            if key != "net_anode_consumption"
        }
        aluminium["net_anode_consumption"] = net_anode(parser, data["aluminium"].get("net_anode_consumption"))
    elif data.get("aluminium") is not None:
        parser.fail("aluminium", "invalid_shape", "应为对象")
    outputs = {}
    raw_outputs = data.get("outputs")
    if raw_outputs is None:
        raw_outputs = {}
    elif not isinstance(raw_outputs, dict):
        parser.fail("outputs", "invalid_shape", '应为对象，如 {"electricity_supplied": {...}}')
        raw_outputs = {}
    for key, raw in raw_outputs.items():
        if key not in OUTPUT_DIMENSIONS:
            parser.fail(f"outputs.{key}", "unknown_output", f"未知产出类别 {str(key)[:80]}")
        elif quantity := parser.quantity(raw, f"outputs.{key}", OUTPUT_DIMENSIONS[key]):
            outputs[key] = quantity
    request = CalculationRequest(
        methodology=methodology if isinstance(methodology, str) else "",
        year=year,
        month=month,
        fuels=fuels,
        purchased_electricity=parser.optional(data, "purchased_electricity", "", "electricity"),
        grid_factor=parser.optional(data, "grid_factor", "", "grid_factor"),
        purchased_heat=parser.optional(data, "purchased_heat", "", "heat"),
        heat_factor=parser.optional(data, "heat_factor", "", "heat_factor"),
        clinker=clinker,
        outputs=outputs,
        clinker_facility_electricity=parser.optional(data, "clinker_facility_electricity", "", "electricity"),
        aluminium=aluminium,
        steel=parser.steel(data.get("steel")),
        **{name: parse_block(parser, name, data.get(name)) for name in SECTOR_BLOCKS},
    )
    if parser.errors:
        raise CalculationInputError({path.lstrip("."): errors for path, errors in parser.errors.items()})
    return request
