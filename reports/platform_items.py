"""A locked month's national-platform 存证 items as a spreadsheet, in the platform's order.

Every cell goes through reports/xlsx.py. Values are numbers (Decimal) shown with exactly the decimals they were
sealed with, never in exponent form; an item the month did not seal stays empty and says so.
"""

from __future__ import annotations

from openpyxl.styles import Font

from reports import xlsx

HEADER = ["序号", "平台条目序号", "条目", "对应排放源", "数值", "单位", "核实状态", "依据"]
WIDTHS = [6, 12, 26, 26, 18, 10, 10, 60]


def _number_format(plain: str) -> str:
    places = len(plain.partition(".")[2])
    return "#,##0" + ("." + "0" * places if places else "")


def filename(handoff) -> str:
    return f"{handoff.enterprise_name}-{handoff.year}年{handoff.month:02d}月-全国平台存证填报数据-第{handoff.filing.version}版.xlsx"


def render(handoff) -> bytes:
    book = xlsx.workbook()
    sheet = book.active
    sheet.title = "存证填报数据"
    filing = handoff.filing
    for label, value in (
        ("企业名称", handoff.enterprise_name),
        ("统一社会信用代码", handoff.credit_code),
        ("行业", handoff.sector_name),
        ("核算月份", f"{handoff.year}年{handoff.month}月"),
        ("存证版本", filing.version),
        ("存证哈希", filing.seal),
        ("平台存证期限", handoff.due_on),
    ):
        sheet.append([label, value])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.cell(sheet.max_row, 2).number_format = "yyyy-mm-dd"
    sheet.append([])
    sheet.append(HEADER)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for item in handoff.items:
        sheet.append(
            [
                item.line,
                item.position,
                item.name,
                item.subject,
                item.value if item.value is not None else "本月存证中无此项",
                item.unit,
                item.status_name,
                item.source,
            ]
        )
        if item.value is not None:
            sheet.cell(sheet.max_row, 5).number_format = _number_format(item.plain)
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    return xlsx.to_bytes(book)
