"""The one way the product writes a spreadsheet: every cell of every XLSX builder passes `cell_value`.

`workbook()` returns an openpyxl workbook whose sheets guard what is written through `append`, `cell(...,
value=)` and `sheet["A1"] = …`; `to_bytes()` checks every cell once more before saving, so a value assigned
some other way is neutralised too. The guard, for text:

- drops the characters XML 1.0 cannot carry (C0 controls other than tab, line feed and carriage return,
  U+FFFE/U+FFFF, lone surrogates): openpyxl raises IllegalCharacterError on them, so one U+0007 in an
  enterprise name used to make the whole export a 500 for everyone;
- writes text that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return)
  with a leading apostrophe, as text, so "=HYPERLINK(…)" typed into a name stays words (OWASP "CSV/formula
  injection").

Numbers, dates and booleans are written as they are, so figures stay numbers (Decimal, never float text).
"""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0 (and so openpyxl) refuses: C0 controls except \t \n \r, the two non-characters, surrogates.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
FIXED_TIME = datetime.datetime(2000, 1, 1)  # document properties do not tell when or where it was made
PLAIN_VALUES = (bool, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)


def safe_text(value: str) -> str:
    """Text that every spreadsheet stores and none evaluates."""
    text = UNWRITABLE.sub("", value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell_value(value: object) -> object:
    """What a builder's value becomes in a cell: numbers, dates and None unchanged, anything else as safe text."""
    if value is None or isinstance(value, PLAIN_VALUES):
        return value
    if isinstance(value, str | Promise):
        return safe_text(str(value))
    return value  # openpyxl's own objects (a Cell being moved, rich text) are checked again by to_bytes


class GuardedWorksheet(Worksheet):
    """A worksheet whose writing methods pass every value through `cell_value`."""

    def append(self, iterable):
        if isinstance(iterable, dict):
            return super().append({key: cell_value(value) for key, value in iterable.items()})
        return super().append([cell_value(value) for value in iterable])

    def cell(self, row, column, value=None):
        return super().cell(row, column, value=cell_value(value))

    def __setitem__(self, key, value):
        self[key].value = cell_value(value)


class GuardedWorkbook(Workbook):
    def __init__(self) -> None:
        super().__init__()
        self._sheets = [GuardedWorksheet(self)]
        self.properties.creator = "carbon-steward"
        self.properties.created = self.properties.modified = FIXED_TIME

    def create_sheet(self, title=None, index=None):
        sheet = GuardedWorksheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet


def workbook() -> Workbook:
    """A new workbook with one (guarded) sheet, like openpyxl's `Workbook()`."""
    return GuardedWorkbook()


def to_bytes(book: Workbook) -> bytes:
    """The .xlsx bytes, after a last pass that leaves no formula and no unguarded text in any cell."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or isinstance(cell.value, str):
                    text = cell.value if isinstance(cell.value, str) else str(getattr(cell.value, "text", ""))
                    cell.value = safe_text(text)
                    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
