"""Reading an uploaded template into raw rows: the metadata sheet, the header row, the data rows.

Only structure is checked here (template, version, enterprise, headers); the values are checked by
`validation.py`. Cells are read with openpyxl in read-only mode after `safety.check_workbook_bytes`, with
formulas as written (not their cached results), so a formula given as a figure is refused rather than
silently read as its last value or as empty. A damaged part (corrupt deflate stream, XML cut short, a
numeric cell holding text) becomes a Refusal naming the sheet and the row where reading stopped:
`open_workbook` and `sheet_rows` are used by every importer that reads a workbook.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.crypto import constant_time_compare
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from steward.carbon.parameter_sets import all_parameter_names
from steward.intake.columns import (
    BASE_COLUMNS,
    BY_KEY,
    DATA_SHEET,
    META_SHEET,
    TEMPLATE_ID,
    TEMPLATE_VERSION,
    header_index,
    normalise_header,
)
from steward.intake.safety import Refusal
from steward.intake.template import meta_signature

HEADER_SEARCH_ROWS = 10


@dataclass
class RawRow:
    number: int  # the sheet's row number, as Excel shows it
    values: dict[str, object]


@dataclass
class ParsedWorkbook:
    meta: dict[str, str]
    year: int
    months: list[int]
    letters: dict[str, str]  # column key → column letter in this file
    headers: dict[str, str] = field(default_factory=dict)  # column key → its header as this file writes it
    rows: list[RawRow] = field(default_factory=list)
    skipped_blank: int = 0

    @cached_property
    def parameter_keys(self) -> list[str]:
        """The measured-parameter columns this file has, in its order (any sector's; the row's set decides)."""
        names = all_parameter_names()
        return [key for key in self.letters if key in names]


def open_workbook(data: bytes):
    """The workbook in read-only mode; a file openpyxl cannot open is a Refusal."""
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for damaged files; all mean "not readable"
        raise Refusal("not_xlsx", f"无法读取工作簿（文件已损坏）：{type(error).__name__}。") from None


def sheet_rows(sheet, **options) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of a read-only sheet. Parsing is lazy, so a damaged part fails here, mid-sheet:
    the failure becomes a Refusal naming the sheet and the row that could not be read."""
    rows = sheet.iter_rows(values_only=True, **options)
    number = options.get("min_row", 1) - 1
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except Exception as error:  # zlib.error, XML syntax errors, ValueError of a mistyped cell, …
            raise Refusal(
                "unreadable_row",
                f"工作表“{sheet.title}”第 {number + 1} 行无法读取（文件已损坏，或数字格式的单元格中存放了文本）："
                f"{type(error).__name__}。",
                sheet=sheet.title,
                row=number + 1,
            ) from None
        number += 1
        yield number, cells


def read_workbook(data: bytes, *, enterprise) -> ParsedWorkbook:
    workbook = open_workbook(data)
    try:
        meta = _read_meta(workbook)
        year, months = _check_meta(meta, enterprise)
        if DATA_SHEET not in workbook.sheetnames:
            raise Refusal("missing_sheet", f"缺少工作表“{DATA_SHEET}”。", sheet=DATA_SHEET)
        return _read_rows(workbook[DATA_SHEET], meta, year, months)
    finally:
        workbook.close()


def _read_meta(workbook) -> dict[str, str]:
    if META_SHEET not in workbook.sheetnames:
        raise Refusal("not_template", "这不是本系统生成的模板（缺少模板信息），请先下载模板再填写。")
    meta = {}
    for _number, row in sheet_rows(workbook[META_SHEET], min_row=1, max_row=20, max_col=2):
        if row and row[0]:
            meta[str(row[0])] = "" if row[1] is None else str(row[1])
    return meta


def _check_meta(meta: dict[str, str], enterprise) -> tuple[int, list[int]]:
    if meta.get("template_id") != TEMPLATE_ID:
        raise Refusal("not_template", "这不是本系统的活动数据模板。", sheet=META_SHEET)
    version = meta.get("template_version", "")
    if version != TEMPLATE_VERSION:
        raise Refusal(
            "template_version",
            f"模板版本 {version or '未知'} 已不再使用（当前为 {TEMPLATE_VERSION}），请重新下载模板。",
            sheet=META_SHEET,
        )
    slug = meta.get("enterprise_slug", "")
    if slug != enterprise.slug:
        raise Refusal(
            "other_enterprise",
            "该模板属于其他企业，不能导入本企业工作区；请在本工作区下载模板。",
            sheet=META_SHEET,
        )
    try:
        year = int(meta.get("year", ""))
        months = [int(m) for m in meta.get("months", "").split(",")]
    except ValueError:
        raise Refusal("not_template", "模板信息已损坏，请重新下载模板。", sheet=META_SHEET) from None
    expected = meta_signature(version=version, slug=slug, year=year, months=meta.get("months", ""))
    if not constant_time_compare(expected, meta.get("signature", "")):
        raise Refusal("not_template", "模板信息已被修改，请重新下载模板。", sheet=META_SHEET)
    return year, months


def _read_rows(sheet, meta: dict[str, str], year: int, months: list[int]) -> ParsedWorkbook:
    rows = sheet_rows(sheet)
    index = header_index()
    header_row, letters, headers = 0, {}, {}
    for number, cells in rows:
        found = {index.get(normalise_header(v)): i for i, v in enumerate(cells) if v is not None}
        found.pop(None, None)
        if "source_code" in found:
            header_row, letters = number, {key: get_column_letter(i + 1) for key, i in found.items()}
            headers = {key: " ".join(str(cells[i]).split()) for key, i in found.items()}
            positions = found
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if not header_row:
        raise Refusal("header_missing", "找不到表头行（应含“排放源编号”）。", sheet=DATA_SHEET)
    missing = [c.header for c in BASE_COLUMNS if c.required and c.key not in positions]
    for key in ("quantity", "unit", "data_source"):
        if key not in positions:
            missing.append(BY_KEY[key].header)
    if missing:
        raise Refusal(
            "header_missing", f"表头缺少列：{'、'.join(missing)}。", sheet=DATA_SHEET, row=header_row
        )
    parsed = ParsedWorkbook(meta=meta, year=year, months=months, letters=letters, headers=headers)
    for number, cells in rows:
        values = {key: cells[i] if i < len(cells) else None for key, i in positions.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue  # empty trailing (or spacer) rows
        if _blank(values.get("quantity")):
            parsed.skipped_blank += 1
            continue
        parsed.rows.append(RawRow(number=number, values=values))
    return parsed


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
