"""The bureau dashboard table as an XLSX workbook (openpyxl).

Cells that a spreadsheet would read as a formula (starting with = + - @ or a tab/CR) are written as text with
a leading apostrophe-equivalent (a quote prefix), so an enterprise name cannot run code in Excel
(OWASP "CSV/formula injection").
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook

from steward.filing.models import FilingStatus

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
STATUS_LABELS = dict(FilingStatus.choices)


def safe_text(value: str) -> str:
    """Text that no spreadsheet will evaluate."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def build(rows: Iterable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("月度存证")
    sheet.append(
        [
            _("企业"),
            _("统一社会信用代码"),
            _("区域"),
            _("行业"),
            _("年份"),
            _("月份"),
            _("状态"),
            _("版本"),
            _("截止日期"),
            _("首次提交时间"),
            _("逾期提交"),
            _("退回次数"),
            _("排放量（tCO2）"),
            _("排放强度"),
        ]
    )
    for fact in rows:
        submitted = fact.is_submitted
        sheet.append(
            [
                safe_text(fact.enterprise.name_zh),
                safe_text(fact.enterprise.credit_code),
                safe_text(fact.jurisdiction.name_zh),
                safe_text(fact.industry.name_zh),
                fact.year,
                fact.month,
                str(STATUS_LABELS.get(fact.status, fact.status)) if submitted else _("未提交"),
                fact.version,
                fact.deadline,
                fact.first_submitted_at.replace(tzinfo=None) if fact.first_submitted_at else None,
                _("是") if fact.submitted_late else _("否"),
                fact.returned_count if submitted else None,
                fact.total_tco2,
                fact.intensity,
            ]
        )
    for cell in sheet["M"][1:] + sheet["N"][1:]:
        cell.number_format = "0.0000"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
