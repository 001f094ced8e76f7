"""Load the reference tables shipped in steward/factors/data/ into a new FactorSet, keeping each row's source
and verification status. Loading unchanged files again publishes nothing."""

from __future__ import annotations

import csv
import hashlib
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from steward.factors.models import FactorSet, FuelFactor, GridFactor

DATA_DIR = Path(__file__).resolve().parent / "data"
CN_TABLE = "fuel_defaults_cn_guidelines.csv"
IPCC_TABLE = "fuel_defaults_ipcc2006.csv"
GRID_TABLE = "grid_factors_cn.csv"
CN_SOURCE = "NDRC 2013-15 sector guidelines / GB/T 32150-2015 Annex B / GB/T 2589 (NCV)"
IPCC_SOURCE = "IPCC 2006 Guidelines Vol.2 Ch.1 Tables 1.2-1.4"
PER_THOUSAND = Decimal("0.001")


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def content_hash(data_dir: Path = DATA_DIR) -> str:
    digest = hashlib.sha256()
    for name in (CN_TABLE, IPCC_TABLE, GRID_TABLE):
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()


def _status(text: str) -> str:
    return "verified" if text.strip().startswith("verified") else "to_verify"


def _cn_fuels(factor_set: FactorSet, data_dir: Path) -> list[FuelFactor]:
    rows = []
    for row in read_rows(data_dir / CN_TABLE):
        carbon = _decimal(row["carbon_content_tc_per_tj"])
        rows.append(
            FuelFactor(
                factor_set=factor_set,
                row_id=f"cn:{row['fuel_code']}",
                table="cn_guidelines",
                fuel_code=row["fuel_code"],
                name=row["fuel_name_zh"],
                unit=row["unit"],
                ncv_gj_per_unit=_decimal(row["ncv_gj_per_unit"]),
                carbon_content_tc_per_gj=carbon * PER_THOUSAND if carbon is not None else None,
                oxidation_rate=_decimal(row["oxidation_rate"]),
                source_document=CN_SOURCE,
                status=_status(row["status"]),
                note=row["note"],
            )
        )
    return rows


def _ipcc_fuels(factor_set: FactorSet, data_dir: Path) -> list[FuelFactor]:
    return [
        FuelFactor(
            factor_set=factor_set,
            row_id=f"ipcc:{row['fuel_code']}",
            table="ipcc2006",
            fuel_code=row["fuel_code"],
            name=row["fuel_name_en"],
            unit="t",
            ncv_gj_per_unit=_decimal(row["ncv_gj_per_t"]),
            carbon_content_tc_per_gj=Decimal(row["carbon_content_kgc_per_gj"]) * PER_THOUSAND,
            oxidation_rate=_decimal(row["oxidation_factor"]),
            source_document=IPCC_SOURCE,
            status=_status(row["status"]),
        )
        for row in read_rows(data_dir / IPCC_TABLE)
    ]


def _grid(factor_set: FactorSet, data_dir: Path) -> list[GridFactor]:
    return [
        GridFactor(
            factor_set=factor_set,
            row_id=f"grid:{row['regime']}:{row['region']}:{row['data_year']}:{row['basis']}",
            regime=row["regime"],
            scope=row["scope"],
            region=row["region"],
            data_year=int(row["data_year"]),
            basis=row["basis"],
            value_tco2_per_mwh=Decimal(row["value_tco2_per_mwh"]),
            source_document=row["source_document"],
            status=_status(row["status"]),
        )
        for row in read_rows(data_dir / GRID_TABLE)
    ]


@transaction.atomic
def load_factor_library(*, data_dir: Path = DATA_DIR, note: str = "") -> tuple[FactorSet, bool]:
    """Publish the tables as a new factor set unless identical content is already published."""
    sha = content_hash(data_dir)
    existing = FactorSet.objects.filter(content_sha256=sha).first()
    if existing:
        return existing, False
    factor_set = FactorSet.objects.create(
        version=f"{timezone.localdate():%Y.%m.%d}-{sha[:8]}", content_sha256=sha, note=note
    )
    FuelFactor.objects.bulk_create(_cn_fuels(factor_set, data_dir) + _ipcc_fuels(factor_set, data_dir))
    GridFactor.objects.bulk_create(_grid(factor_set, data_dir))
    return factor_set, True
