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
