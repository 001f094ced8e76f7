"""Helpers shared by the intake tests: fill a generated template the way a user would."""

import io

from openpyxl import load_workbook

from steward.intake.columns import COLUMNS, DATA_SHEET

YEAR = 2019  # no demo data: every figure is new
COLUMN = {column.key: index for index, column in enumerate(COLUMNS, start=1)}


def fill(template: bytes, values: dict | None = None, edit=None) -> bytes:
    """Fill every row of a template: quantity and data source, with `values[(code, month)]` overrides."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook[DATA_SHEET]
    for row in range(3, sheet.max_row + 1):
        code = sheet.cell(row=row, column=COLUMN["source_code"]).value
        month = sheet.cell(row=row, column=COLUMN["month"]).value
        if code is None:
            continue
        cells = {"quantity": 100 + month, "data_source": "结算凭证"} | (values or {}).get((code, month), {})
        for key, value in cells.items():
            sheet.cell(row=row, column=COLUMN[key], value=value)
    if edit:
        edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
