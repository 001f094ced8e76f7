"""Helpers shared by the intake tests: fill a generated template the way a user would."""

import io
import zipfile

from openpyxl import load_workbook

from steward.intake.columns import DATA_SHEET, header_index, normalise_header

YEAR = (
    2019  # no demo data: every figure is new (and a past year: periods after the current month are refused)
)
HEADER_ROW = 2


def template_columns(sheet) -> dict[str, int]:
    """column key → column number, read from the template's header row (its parameter columns vary by sector)."""
    index = header_index()
    return {
        index[normalise_header(cell.value)]: cell.column
        for cell in sheet[HEADER_ROW]
        if normalise_header(cell.value) in index
    }


def headers(template: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(template))[DATA_SHEET]
    return [cell.value for cell in sheet[HEADER_ROW]]


def fill(template: bytes, values: dict | None = None, edit=None, *, every_row: bool = True) -> bytes:
    """Fill every row of a template: quantity and data source, with `values[(code, month)]` overrides (by column
    key: "quantity", "clinker_cao" …). With every_row=False only the rows named in `values` are filled."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook[DATA_SHEET]
    column = template_columns(sheet)
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        code = sheet.cell(row=row, column=column["source_code"]).value
        month = sheet.cell(row=row, column=column["month"]).value
        if code is None or (not every_row and (code, month) not in (values or {})):
            continue
        cells = {"quantity": 100 + month, "data_source": "结算凭证"} | (values or {}).get((code, month), {})
        for key, value in cells.items():
            sheet.cell(row=row, column=column[key], value=value)
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
