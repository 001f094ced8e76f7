"""XLSX export of the fused inventory. Text cells that a spreadsheet would read as a formula are prefixed with
an apostrophe (formula injection: =, +, -, @, tab, carriage return)."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook

from steward.pollution.inventory import Inventory
from steward.pollution.pollutants import Pollutant

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value):
    if isinstance(value, str):
        return safe_text(value)
    return value


def inventory_xlsx(inventory: Inventory, enterprise_name: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"融合清单{inventory.year}"
    sheet.append([_cell(enterprise_name), f"{inventory.year}年 减污降碳融合清单"])
    for note in inventory.hidden:  # what this reader does not see, and why
        sheet.append(["说明", _cell(note)])
    carbon = ["CO2（t）"] if inventory.shows_carbon else []
    header = ["月份", "设施", "排放源", *carbon]
    header += [f"{Pollutant(p).label}（t）" for p in inventory.pollutants] + ["核算方法"]
    sheet.append(header)
    for row in inventory.rows:
        values = [row.month, row.facility, row.source] + ([row.tco2] if inventory.shows_carbon else [])
        values += [row.pollutants.get(p, Decimal(0)) for p in inventory.pollutants]
        values.append("、".join(sorted(row.methods)))
        sheet.append([_cell(value) for value in values])
    sheet.append(
        ["合计", "", ""]
        + ([inventory.row_total_tco2()] if inventory.shows_carbon else [])
        + [inventory.row_total(p) for p in inventory.pollutants]
        + [""]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
