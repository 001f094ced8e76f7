"""XLSX export of the fused inventory; every cell goes through the spreadsheet guard (reports/xlsx.py)."""

from __future__ import annotations

from decimal import Decimal

from reports import xlsx
from steward.pollution.inventory import Inventory
from steward.pollution.pollutants import Pollutant


def inventory_xlsx(inventory: Inventory, enterprise_name: str) -> bytes:
    workbook = xlsx.workbook()
    sheet = workbook.active
    sheet.title = f"融合清单{inventory.year}"
    sheet.append([enterprise_name, f"{inventory.year}年 减污降碳融合清单"])
    for note in inventory.hidden:  # what this reader does not see, and why
        sheet.append(["说明", note])
    carbon = ["CO2（t）"] if inventory.shows_carbon else []
    header = ["月份", "设施", "排放源", *carbon]
    header += [f"{Pollutant(p).label}（t）" for p in inventory.pollutants] + ["核算方法"]
    sheet.append(header)
    for row in inventory.rows:
        values = [row.month, row.facility, row.source] + ([row.tco2] if inventory.shows_carbon else [])
        values += [row.pollutants.get(p, Decimal(0)) for p in inventory.pollutants]
        values.append("、".join(sorted(row.methods)))
        sheet.append(values)
    sheet.append(
        ["合计", "", ""]
        + ([inventory.row_total_tco2()] if inventory.shows_carbon else [])
        + [inventory.row_total(p) for p in inventory.pollutants]
        + [""]
    )
    return xlsx.to_bytes(workbook)
