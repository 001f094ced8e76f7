"""The monthly activity-data template, generated per enterprise from its own sources and meters.

Sheets: 填报说明 (notes), 活动数据 (one row per source and month, Chinese headers, units and drop-downs, and
the measured-parameter columns of the enterprise's sector: `columns.template_columns`; a row's cells outside its
source's parameter set are shaded),
代码表 (hidden lists behind the drop-downs) and _meta (very hidden: template id and version, enterprise,
period, signed with the server key so an edited or foreign template is recognised on upload).
"""

from __future__ import annotations

from django.core import signing
from django.utils import timezone, translation
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reports import xlsx
from steward.carbon.models import DataSource, EmissionSource
from steward.carbon.parameter_sets import PARAMETER_SET_TITLES
from steward.carbon.selectors import methodology_for
from steward.carbon.unit_rules import source_dimension
from steward.carbon.units import DIMENSIONS
from steward.intake.columns import (
    DATA_SHEET,
    LISTS_SHEET,
    META_SHEET,
    NOTES_SHEET,
    PERCENT,
    TEMPLATE_ID,
    TEMPLATE_VERSION,
    Column,
    template_columns,
)

SIGNER_SALT = "steward.intake.template"
HEADER_ROW = 2  # row 1 is the merged title
NOT_FOR_THIS_ROW = PatternFill("solid", fgColor="E7E6E6")  # a parameter outside the row's source's set


def meta_signature(*, version: str, slug: str, year: int, months: str) -> str:
    return signing.Signer(salt=SIGNER_SALT).signature(f"{TEMPLATE_ID}|{version}|{slug}|{year}|{months}")


def months_label(months: list[int]) -> str:
    return ",".join(str(month) for month in months)


def build_template(*, enterprise, year: int, months: list[int]) -> bytes:
    """An .xlsx for `months` of `year` with one row per source and month, pre-filled with code and unit.

    Every cell goes through the spreadsheet guard (reports/xlsx.py): the enterprise's name opens two sheets and
    must neither run as a formula nor, holding a control character, break the template. The workbook is Chinese
    whatever the downloader's language (drop-downs and headers are read back as written)."""
    with translation.override("zh-hans"):
        return _build(enterprise, year, months)


def _build(enterprise, year: int, months: list[int]) -> bytes:
    sources = list(EmissionSource.objects.select_related("facility").prefetch_related("meters"))
    methodology = methodology_for(enterprise)
    columns = template_columns(methodology, {source.kind for source in sources})
    workbook = xlsx.workbook()
    notes = workbook.active
    notes.title = NOTES_SHEET
    _write_notes(notes, enterprise, year, months, columns, methodology)
    sheet = workbook.create_sheet(DATA_SHEET)
    _write_header(sheet, enterprise, year, months, columns)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    labels = [str(label) for label in DataSource.labels]
    for row, label in enumerate(labels, start=1):
        lists.cell(row=row, column=1, value=label)
    row = HEADER_ROW + 1
    unit_lists: dict[str, list[int]] = {}
    for source in sources:
        units = list(DIMENSIONS[source_dimension(source)].factors)
        meters = "、".join(f"{m.name} {m.serial_number}" for m in source.meters.all())
        for month in months:
            values = {
                "source_code": source.code,
                "source_name": source.name,
                "meters": meters,
                "year": year,
                "month": month,
                "unit": source.unit,
            }
            for index, column in enumerate(columns, start=1):
                cell = sheet.cell(row=row, column=index, value=values.get(column.key))
                if column.kinds and source.kind not in column.kinds:
                    cell.fill = NOT_FOR_THIS_ROW
            unit_lists.setdefault(",".join(units), []).append(row)
            row += 1
    last = max(row - 1, HEADER_ROW + 1)
    for units_label, rows in unit_lists.items():
        _unit_list(sheet, rows, units_label, columns)
    _validations(sheet, last, len(labels), columns)
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    label = months_label(months)
    for key, value in (
        ("template_id", TEMPLATE_ID),
        ("template_version", TEMPLATE_VERSION),
        ("enterprise_slug", enterprise.slug),
        ("enterprise_credit_code", enterprise.credit_code),
        ("year", str(year)),
        ("months", label),
        ("generated_at", timezone.now().isoformat()),
        (
            "signature",
            meta_signature(version=TEMPLATE_VERSION, slug=enterprise.slug, year=year, months=label),
        ),
    ):
        meta.append([key, value])
    workbook.active = 1
    return xlsx.to_bytes(workbook)


def _col(columns: tuple[Column, ...], key: str) -> int:
    return next(index for index, column in enumerate(columns, start=1) if column.key == key)


def _write_notes(
    sheet, enterprise, year: int, months: list[int], columns: tuple[Column, ...], methodology: str
) -> None:
    period = f"{year}年{months[0]}月" if len(months) == 1 else f"{year}年{months[0]}–{months[-1]}月"
    lines = [
        f"{enterprise.name_zh} 活动数据填报模板（{period}）",
        f"模板版本 {TEMPLATE_VERSION}；仅可导入本企业工作区，请勿修改表头和隐藏工作表。",
        "每个排放源每月一行；“活动数据”留空的行不会导入。",
        "数字可为文本、带千位分隔符或全角数字；百分数填 0–100 的数值。",
        "上传后先生成检查报告，确认无误后才保存；与现有数据不同的值将生成新版本，原因为“导入批次 #编号”。",
    ]
    if title := PARAMETER_SET_TITLES.get(methodology):
        lines.append(
            f"实测参数列按本行业的月度存证参数生成：{title}；灰色单元格不适用于该行的排放源，请留空。"
        )
    for line in lines:
        sheet.append([line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 100
    sheet.append([])
    sheet.append(["列", "说明"])
    for column in columns:
        sheet.append([column.header, column.note])


def _write_header(sheet, enterprise, year: int, months: list[int], columns: tuple[Column, ...]) -> None:
    sheet.cell(row=1, column=1, value=f"{enterprise.name_zh} {year}年 活动数据")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A1"].alignment = Alignment(horizontal="center")
    fill = PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.comment = Comment(column.note, "碳管家")
        sheet.column_dimensions[get_column_letter(index)].width = 14 if index > 3 else 22
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)


def _unit_list(sheet, rows: list[int], units_label: str, columns: tuple[Column, ...]) -> None:
    """One drop-down per kind of source (mass, gas volume, electricity …), over the rows of that kind."""
    validation = DataValidation(type="list", formula1=f'"{units_label}"', allow_blank=False)
    validation.error, validation.errorTitle = "请从列表中选择单位", "单位"
    sheet.add_data_validation(validation)
    letter = get_column_letter(_col(columns, "unit"))
    for row in rows:
        validation.add(f"{letter}{row}")


def _validations(sheet, last: int, label_count: int, columns: tuple[Column, ...]) -> None:
    def column_range(key: str) -> str:
        letter = get_column_letter(_col(columns, key))
        return f"{letter}{HEADER_ROW + 1}:{letter}{last}"

    source = DataValidation(type="list", formula1=f"{LISTS_SHEET}!$A$1:$A${label_count}", allow_blank=True)
    source.error, source.errorTitle = "请从列表中选择数据来源", "数据来源"
    month = DataValidation(type="whole", operator="between", formula1="1", formula2="12")
    month.error = "月份应为 1–12"
    quantity = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    quantity.error = "活动数据应为非负数"
    percent = DataValidation(
        type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True
    )
    percent.error = "百分数应在 0–100 之间"
    parameters = [column for column in columns if column.is_parameter]
    for validation, keys in (
        (source, ["data_source"]),
        (month, ["month"]),
        (quantity, ["quantity"] + [column.key for column in parameters if column.unit != PERCENT]),
        (percent, [column.key for column in parameters if column.unit == PERCENT]),
    ):
        sheet.add_data_validation(validation)
        for key in keys:
            validation.add(column_range(key))
