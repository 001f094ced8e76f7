"""Load the reference lists (jurisdictions, industries) from their CSV files, keeping each row's status."""

from __future__ import annotations

import csv
from pathlib import Path

from tenants.models import Industry, Jurisdiction

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(filename: str) -> list[dict[str, str]]:
    with open(DATA_DIR / filename, encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def load_jurisdictions() -> int:
    rows = _rows("huzhou_jurisdictions.csv")
    # Parents first, so each child's parent row exists.
    for row in sorted(rows, key=lambda row: row["parent_code"] != ""):
        Jurisdiction.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "kind": row["kind"],
                "parent_id": row["parent_code"] or None,
                "status": row["status"],
            },
        )
    return len(rows)


def load_industries() -> int:
    rows = _rows("industries_gbt4754.csv")
    for row in rows:
        Industry.objects.update_or_create(
            code=row["code"],
            defaults={"name_zh": row["name_zh"], "name_en": row["name_en"], "status": row["status"]},
        )
    return len(rows)
