"""The factor library straight from the CSV files shipped in steward/factors/data/, without a database.

`manage.py calculate` uses it when no factor set is published yet (a fresh clone, before any migration), so
the calculator works from the first command. Its version names the files' content hash (`shipped-<sha8>`);
loading the same files into the database publishes the same rows (steward.factors.loader).
"""

from __future__ import annotations

from pathlib import Path

from steward.factors import loader
from steward.factors.models import FactorSet
from steward.factors.source import FactorSnapshot


def shipped_snapshot(data_dir: Path = loader.DATA_DIR) -> FactorSnapshot:
    sha = loader.content_hash(data_dir)
    factor_set = FactorSet(version=f"shipped-{sha[:8]}", content_sha256=sha)  # never saved
    return FactorSnapshot.from_rows(
        factor_set.version,
        loader._cn_fuels(factor_set, data_dir) + loader._ipcc_fuels(factor_set, data_dir),
        loader._grid(factor_set, data_dir),
    )


_fuel_names: dict[str, str] | None = None

# The IPCC table names its fuels in English only; people read them in Chinese as the national guidelines do.
IPCC_NAMES_ZH = {
    "other_bituminous_coal": "其他烟煤",
    "sub_bituminous_coal": "次烟煤",
    "coke_oven_coke": "焦炉焦炭",
    "blast_furnace_gas": "高炉煤气",
    "motor_gasoline": "车用汽油",
    "gas_diesel_oil": "柴油（瓦斯油）",
    "residual_fuel_oil": "残渣燃料油",
    "other_kerosene": "其他煤油",
    "petroleum_coke": "石油焦",
    "refinery_gas": "炼厂干气",
}


def fuel_name(fuel_code: str) -> str:
    """The Chinese name of a fuel code (`bituminous_coal` → 烟煤) from the shipped library; the code itself
    when the library has no such fuel."""
    global _fuel_names
    if _fuel_names is None:
        factor_set = FactorSet(version="names", content_sha256="")
        names: dict[str, str] = dict(IPCC_NAMES_ZH)
        for row in loader._cn_fuels(factor_set, loader.DATA_DIR) + loader._ipcc_fuels(
            factor_set, loader.DATA_DIR
        ):
            names.setdefault(row.fuel_code, row.name)
        _fuel_names = names
    return _fuel_names.get(fuel_code, fuel_code)


def fuel_choices() -> list[tuple[str, str]]:
    """Every fuel of the shipped library as (code, name), by name: a fuel is picked by its name, never typed."""
    fuel_name("")  # fills the names
    return sorted((_fuel_names or {}).items(), key=lambda item: item[1])
