"""Helpers shared by the intake tests: fill a generated template the way a user would."""

import io
import zipfile

from openpyxl import load_workbook

from steward.intake.columns import COLUMNS, DATA_SHEET

YEAR = (
    2019  # no demo data: every figure is new (and a past year: periods after the current month are refused)
)
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


def rewrite_member(data: bytes, member: str, transform) -> bytes:
    """The same workbook with one part's bytes replaced by `transform(bytes)` (a valid ZIP around them)."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            body = source.read(entry)
            target.writestr(entry, transform(body) if entry.filename == member else body)
    return buffer.getvalue()


def corrupt_deflate(data: bytes, member: str) -> bytes:
    """The same archive with the start of one part's deflate stream overwritten (an invalid block type:
    zlib.error while inflating, not a CRC mismatch)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    entry = archive.getinfo(member)
    local = data[entry.header_offset : entry.header_offset + 30]
    name_and_extra = int.from_bytes(local[26:28], "little") + int.from_bytes(local[28:30], "little")
    start = entry.header_offset + 30 + name_and_extra
    return data[:start] + b"\xff" * 16 + data[start + 16 :]


def sheet_part(data: bytes, title: str) -> str:
    """The ZIP member holding the sheet `title` (openpyxl writes sheetN.xml in workbook order)."""
    names = load_workbook(io.BytesIO(data), read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(title) + 1}.xml"
