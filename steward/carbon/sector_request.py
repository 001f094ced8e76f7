"""The request blocks of the reporting-only sectors (平板玻璃, 化工, 造纸): their shape, parsed with the calculation
request's parser so every problem is named by its field path like any other (steward/carbon/request.py).

    "glass":     {"carbonates": [CARBONATE, …], "carbon_powder": {"quantity": t, "carbon_content": fraction}}
    "chemicals": {"inputs": [MATERIAL, …], "outputs": [MATERIAL + "kind": product|waste, …],
                  "carbonates": [CARBONATE, …], "nitric_acid": [N2O, …], "adipic_acid": [N2O, …]}
    "paper":     {"carbonates": [CARBONATE (CaCO3), …],
                  "wastewater": {"volume": t, "cod_in", "cod_out": kg/m3 | mg/L, optional "sludge_cod": kg COD as
                                 mass, "ch4_recovered": mass, "b0": fraction (kg CH4/kg COD), "mcf": fraction}}

CARBONATE = {"carbonate": "CaCO3" | …, "quantity": t, optional "purity", "calcination_fraction" (fractions), "label"}
MATERIAL  = {"material": text, "quantity": t, "carbon_content": fraction, optional "label"}; a gas by volume:
            "quantity" in 10^4 Nm3 (Nm3, m3 …) and "carbon_content" in tC/10^4 Nm3 (kgC/Nm3)
N2O       = {"production": t, "n2o_factor": kg N2O/t, optional "abatement_efficiency", "abatement_use"
             (fractions), "label"}
"""

from __future__ import annotations

from dataclasses import dataclass

from steward.carbon.units import ALL_UNITS

# Chemical formula → (Chinese name, tCO2 released per t of the pure carbonate). Stoichiometric: 44.01 / M for one
# CO3 group (88.02 / M for dolomite), to three decimals as the Chinese sector guidelines tabulate them (IPCC 2006
# Vol. 3 Table 2.1 gives 0.43971, 0.52197, 0.41492, 0.47732 …). The chemistry is exact; that each guideline uses
# these rounded values is recalled, so they are traced with status to_verify (steward/carbon/methods/carbonates.py).
CARBONATES = {
    "CaCO3": ("碳酸钙（石灰石）", "0.440"),
    "MgCO3": ("碳酸镁（菱镁矿）", "0.522"),
    "Na2CO3": ("碳酸钠（纯碱）", "0.415"),
    "CaMg(CO3)2": ("白云石", "0.477"),
    "BaCO3": ("碳酸钡", "0.223"),
    "K2CO3": ("碳酸钾", "0.318"),
    "Li2CO3": ("碳酸锂", "0.596"),
    "SrCO3": ("碳酸锶", "0.298"),
    "NaHCO3": ("碳酸氢钠", "0.524"),
    "FeCO3": ("碳酸亚铁（菱铁矿）", "0.380"),
}
CARBONATE_FIELDS = {"carbonate", "quantity", "purity", "calcination_fraction", "label"}
MATERIAL_FIELDS = {"material", "quantity", "carbon_content", "label"}
OUTPUT_KINDS = {"product": "含碳产品", "waste": "含碳废物"}
N2O_FIELDS = {"production", "n2o_factor", "abatement_efficiency", "abatement_use", "label"}
WASTEWATER_FIELDS = {
    "volume": "mass",  # t of wastewater (1 t = 1 m³, the statistics' 万吨)
    "cod_in": "concentration",
    "cod_out": "concentration",
    "sludge_cod": "mass",  # COD removed with the sludge
    "ch4_recovered": "mass",  # CH4 recovered (flared or used), deducted
    "b0": "fraction",  # maximum CH4 producing capacity, kg CH4 per kg COD
    "mcf": "fraction",  # methane correction factor of the anaerobic treatment
}
WASTEWATER_REQUIRED = ("volume", "cod_in", "cod_out")
BLOCK_FIELDS = {
    "glass": {"carbonates", "carbon_powder"},
    "chemicals": {"inputs", "outputs", "carbonates", "nitric_acid", "adipic_acid"},
    "paper": {"carbonates", "wastewater"},
}


@dataclass(frozen=True)
class CarbonateItem:
    index: int
    carbonate: str
    quantity: object  # Quantity
    purity: object | None = None
    calcination_fraction: object | None = None
    label: str = ""


@dataclass(frozen=True)
class MaterialItem:
    index: int
    material: str
    quantity: object
    carbon_content: object
    kind: str = "product"
    label: str = ""


@dataclass(frozen=True)
class N2OItem:
    index: int
    production: object
    n2o_factor: object
    abatement_efficiency: object | None = None
    abatement_use: object | None = None
    label: str = ""


def _label(parser, raw: dict, path: str) -> str:
    label = raw.get("label", "")
    if not isinstance(label, str):
        parser.fail(f"{path}.label", "invalid_shape", "应为字符串")
        return ""
    return label[:80]


def _items(parser, raw, path: str, read) -> tuple:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        parser.fail(path, "invalid_shape", "应为数组")
        return ()
    return tuple(
        item for index, entry in enumerate(raw) if (item := read(parser, entry, f"{path}[{index}]", index))
    )


def _object(parser, raw, path: str, allowed: set[str]) -> dict | None:
    if not isinstance(raw, dict):
        parser.fail(path, "invalid_shape", "应为对象")
        return None
    parser.unknown_fields(raw, allowed, path)
    return raw


def carbonate_item(parser, raw, path: str, index: int) -> CarbonateItem | None:
    if (raw := _object(parser, raw, path, CARBONATE_FIELDS)) is None:
        return None
    code = raw.get("carbonate")
    if not isinstance(code, str) or code not in CARBONATES:
        parser.fail(
            f"{path}.carbonate",
            "unknown_carbonate",
            "未知碳酸盐：请用化学式 CaCO3、MgCO3、Na2CO3、CaMg(CO3)2、BaCO3、K2CO3、Li2CO3、SrCO3、NaHCO3、FeCO3",
        )
        code = None
    if raw.get("quantity") is None:
        parser.fail(f"{path}.quantity", "required", "缺少碳酸盐消耗量")
        return None
    quantity = parser.quantity(raw["quantity"], f"{path}.quantity", "mass")
    purity = parser.optional(raw, "purity", path, "fraction", default_unit="fraction")
    calcination = parser.optional(raw, "calcination_fraction", path, "fraction", default_unit="fraction")
    label = _label(parser, raw, path)
    if code is None or quantity is None:
        return None
    return CarbonateItem(index, code, quantity, purity, calcination, label)


def material_item(parser, raw, path: str, index: int, *, with_kind: bool) -> MaterialItem | None:
    allowed = MATERIAL_FIELDS | ({"kind"} if with_kind else set())
    if (raw := _object(parser, raw, path, allowed)) is None:
        return None
    material = raw.get("material")
    if not isinstance(material, str) or not material.strip():
        parser.fail(f"{path}.material", "required", "缺少物料名称")
    kind = raw.get("kind", "product")
    if not isinstance(kind, str):
        kind = ""
    if with_kind and kind not in OUTPUT_KINDS:
        parser.fail(f"{path}.kind", "invalid", f"产出类别应为：{'、'.join(OUTPUT_KINDS)}")
    # A gaseous raw material is metered by volume, its carbon content per volume (tC/10^4 Nm3).
    gas = isinstance(raw.get("quantity"), dict) and ALL_UNITS.get(raw["quantity"].get("unit")) == "gas_volume"
    quantity = parser.quantity(raw.get("quantity"), f"{path}.quantity", "gas_volume" if gas else "mass")
    carbon = parser.quantity(
        raw.get("carbon_content"),
        f"{path}.carbon_content",
        "carbon_per_volume" if gas else "fraction",
        default_unit=None if gas else "fraction",
    )
    label = _label(parser, raw, path)
    if quantity is None or carbon is None or not isinstance(material, str) or kind not in OUTPUT_KINDS:
        return None
    return MaterialItem(index, material[:80], quantity, carbon, kind if with_kind else "", label)


def n2o_item(parser, raw, path: str, index: int) -> N2OItem | None:
    if (raw := _object(parser, raw, path, N2O_FIELDS)) is None:
        return None
    production = parser.quantity(raw.get("production"), f"{path}.production", "mass")
    factor = parser.quantity(raw.get("n2o_factor"), f"{path}.n2o_factor", "specific_mass")
    efficiency = parser.optional(raw, "abatement_efficiency", path, "fraction", default_unit="fraction")
    use = parser.optional(raw, "abatement_use", path, "fraction", default_unit="fraction")
    label = _label(parser, raw, path)
    if production is None or factor is None:
        return None
    return N2OItem(index, production, factor, efficiency, use, label)


def carbon_powder(parser, raw) -> dict | None:
    if raw is None:
        return None
    if (raw := _object(parser, raw, "glass.carbon_powder", {"quantity", "carbon_content"})) is None:
        return None
    found = {
        key: parser.quantity(raw.get(key), f"glass.carbon_powder.{key}", dimension)
        for key, dimension in (("quantity", "mass"), ("carbon_content", "fraction"))
    }
    return found if None not in found.values() else None


def wastewater(parser, raw) -> dict | None:
    if raw is None:
        return None
    if (raw := _object(parser, raw, "paper.wastewater", set(WASTEWATER_FIELDS))) is None:
        return None
    for key in WASTEWATER_REQUIRED:
        if raw.get(key) is None:
            parser.fail(f"paper.wastewater.{key}", "required", "废水厌氧处理需要处理水量及进、出口 COD 浓度")
    found = {
        key: quantity
        for key, dimension in WASTEWATER_FIELDS.items()
        if (
            quantity := parser.optional(
                raw,
                key,
                "paper.wastewater",
                dimension,
                **({"default_unit": "fraction"} if dimension == "fraction" else {}),
            )
        )
    }
    return found if all(key in found for key in WASTEWATER_REQUIRED) else None


def parse_block(parser, name: str, raw) -> dict | None:
    """One sector block (`glass`, `chemicals`, `paper`) as a dict of parsed items, or None if absent."""
    if raw is None:
        return None
    if (raw := _object(parser, raw, name, BLOCK_FIELDS[name])) is None:
        return None
    block: dict = {"carbonates": _items(parser, raw.get("carbonates"), f"{name}.carbonates", carbonate_item)}
    if name == "glass":
        block["carbon_powder"] = carbon_powder(parser, raw.get("carbon_powder"))
    elif name == "chemicals":
        block["inputs"] = _items(
            parser, raw.get("inputs"), "chemicals.inputs",
            lambda p, r, path, i: material_item(p, r, path, i, with_kind=False),
        )  # fmt: skip
        block["outputs"] = _items(
            parser, raw.get("outputs"), "chemicals.outputs",
            lambda p, r, path, i: material_item(p, r, path, i, with_kind=True),
        )  # fmt: skip
        for key in ("nitric_acid", "adipic_acid"):
            block[key] = _items(parser, raw.get(key), f"chemicals.{key}", n2o_item)
    else:
        block["wastewater"] = wastewater(parser, raw.get("wastewater"))
    return block
