"""The energy carriers of the bulk feeds, their units and the register's rule data, read from data/*.csv."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from steward.factors.loader import read_rows

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Carrier:
    code: str
    name_zh: str
    unit: str
    feed_kinds: tuple[str, ...]
    method: str  # grid, fuel or heat
    fuel_code: str
    to_library: Decimal | None
    heat_tco2_per_gj: Decimal | None
    source_document: str
    status: str
    note: str


@dataclass(frozen=True)
class GapRule:
    threshold: Decimal
    points: int
    source_document: str
    status: str


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def normalise_unit(text: str) -> str:
    return "".join(text.split()).lower().replace("³", "3")


@cache
def carriers() -> dict[str, Carrier]:
    return {
        row["carrier"]: Carrier(
            code=row["carrier"],
            name_zh=row["name_zh"],
            unit=row["unit"],
            feed_kinds=tuple(row["feed_kinds"].split()),
            method=row["method"],
            fuel_code=row["fuel_code"],
            to_library=_decimal(row["to_library"]),
            heat_tco2_per_gj=_decimal(row["heat_tco2_per_gj"]),
            source_document=row["source_document"],
            status="verified" if row["status"].strip() == "verified" else "to_verify",
            note=row["note"],
        )
        for row in read_rows(DATA_DIR / "carriers.csv")
    }


@cache
def carrier_names() -> dict[str, str]:
    """What a feed may write in its carrier column (code or Chinese name, lower case) → carrier code."""
    names = {}
    for carrier in carriers().values():
        names[carrier.code] = carrier.code
        names[carrier.name_zh] = carrier.code
    names.update(
        {"电": "electricity", "用电量": "electricity", "原煤": "coal", "热力": "heat", "蒸汽": "heat"}
    )
    return names


@cache
def units() -> dict[tuple[str, str], Decimal]:
    """(carrier, normalised unit) → factor into the carrier's unit."""
    return {
        (row["carrier"], normalise_unit(row["unit"])): Decimal(row["to_carrier_unit"])
        for row in read_rows(DATA_DIR / "carrier_units.csv")
    }


def units_of(carrier: str) -> list[str]:
    return [unit for code, unit in units() if code == carrier]


@cache
def gap_rule() -> GapRule:
    row = next(row for row in read_rows(DATA_DIR / "rules.csv") if row["rule"] == "quick_gap")
    return GapRule(
        threshold=Decimal(row["threshold"]),
        points=int(row["points"]),
        source_document=row["source_document"],
        status="verified" if row["status"].strip() == "verified" else "to_verify",
    )
