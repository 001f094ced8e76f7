"""The factor library straight from the CSV files shipped in steward/factors/data/, without a database.

`manage.py calculate` uses it when no factor set is published yet (a fresh clone, before any migration), so
the calculator works from the first command. Its version names the files' content hash (`shipped-<sha8>`);
loading the same files into the database publishes the same rows (steward.factors.loader).
"""

from __future__ import annotations

from pathlib import Path

from steward.factors import loader
from steward.factors.models import FactorSet
from steward.factors.source import FactorSnapshot, FuelDefault, GridFactorRow


def shipped_snapshot(data_dir: Path = loader.DATA_DIR) -> FactorSnapshot:
    sha = loader.content_hash(data_dir)
    factor_set = FactorSet(version=f"shipped-{sha[:8]}", content_sha256=sha)  # never saved
    fuels = [
        (
            row.table,
            FuelDefault(
                fuel_code=row.fuel_code,
                name=row.name,
                unit=row.unit,
                ncv_gj_per_unit=row.ncv_gj_per_unit,
                carbon_content_tc_per_gj=row.carbon_content_tc_per_gj,
                oxidation_rate=row.oxidation_rate,
                row_id=row.row_id,
                source_document=row.source_document,
                status=row.status,
            ),
        )
        for row in loader._cn_fuels(factor_set, data_dir) + loader._ipcc_fuels(factor_set, data_dir)
    ]
    grid = [
        GridFactorRow(
            regime=row.regime,
            region=row.region,
            data_year=row.data_year,
            basis=row.basis,
            value_tco2_per_mwh=row.value_tco2_per_mwh,
            row_id=row.row_id,
            source_document=row.source_document,
            status=row.status,
        )
        for row in loader._grid(factor_set, data_dir)
        if row.scope == "national" and row.basis == "location"  # as FactorSnapshot.from_factor_set
    ]
    return FactorSnapshot(factor_set.version, fuels, grid)
