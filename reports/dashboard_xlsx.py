"""The bureau dashboard as an XLSX workbook (openpyxl): an overview sheet with the page's figures (cards, per
industry, per district, the projected metrics such as grades and compliance positions) and a sheet with every
row of the table.

Every cell goes through the product's one spreadsheet guard (reports/xlsx.py): an enterprise name cannot run
as a formula in Excel, and a control character in it cannot break the export.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from reports import xlsx
from steward.formatting import BEIJING, beijing
from steward.oversight.dashboard import STATE_LABELS, bureau_state, filters_sentence

TONNES = "#,##0.00"


def _overview(sheet, board, scope: str, generated) -> None:
    filters = board.filters
    period = f"{filters.year}年{filters.month}月" if filters.month else f"{filters.year}年"
    sheet.append(
        [_("监管看板"), scope, period, _("生成时间 %(moment)s（北京时间）") % {"moment": beijing(generated)}]
    )
    # the filters the workbook was exported with, on the first sheet
    sheet.append([_("筛选条件"), filters_sentence(filters)])
    for label, value, number_format in (
        (_("重点企业"), board.enterprises, "0"),
        (_("已建存证"), board.filings, "0"),
        (_("已提交"), board.submitted, "0"),
        # rates as fractions with a percent format, so a spreadsheet can compute with them
        (_("按时提交率"), _fraction(board.timeliness_rate), "0.0%"),
        (_("审核通过率"), _fraction(board.approval_rate), "0.0%"),
        (_("退回率"), _fraction(board.return_rate), "0.0%"),
        (_("逾期未报送"), board.overdue, "0"),
        (_("已锁定排放量（tCO2）"), board.total_tco2, TONNES),
    ):
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=2).number_format = number_format
    for title, rows, name_key in (
        (_("分行业排放"), board.by_industry, "industry__name_zh"),
        (_("分区域"), board.by_district, "jurisdiction__name_zh"),
    ):
        sheet.append([])
        sheet.append([title, _("已提交"), _("已建存证"), _("排放量（tCO2）")])
        for row in rows:
            sheet.append([str(row[name_key]), row["submitted"], row["filings"], row["tco2"]])
            sheet.cell(row=sheet.max_row, column=4).number_format = TONNES
    for metric in board.metrics.values():
        sheet.append([])
        sheet.append([str(metric["label"]), _("企业数"), _("合计")])
        if metric["by_district"]:
            for row in metric["by_district"]:
                sheet.append([str(row["name"]), row["enterprises"], row["total"]])
        else:
            for group in metric["groups"]:
                sheet.append([str(group["text"] or "—"), group["enterprises"], group["total"]])
    sheet.column_dimensions["A"].width = 28


def _fraction(percent: Decimal | None) -> Decimal | None:
    return percent / 100 if percent is not None else None


def build(rows: Iterable, board=None, scope: str = "", generated=None) -> bytes:
    """`board` (steward.oversight.dashboard.Dashboard) adds the overview sheet, shown first, naming the
    filters and the generation time (`generated`, shown in Beijing time)."""
    workbook = xlsx.workbook()
    sheet = workbook.active
    if board is not None:
        sheet.title = _("概览")
        _overview(sheet, board, scope, generated or timezone.now())
        sheet = workbook.create_sheet(_("月度存证"))
    else:
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
        sheet.append(
            [
                fact.enterprise.name_zh,
                fact.enterprise.credit_code,
                fact.jurisdiction.name_zh,
                fact.industry.name_zh,
                fact.year,
                fact.month,
                # the bureau's names: 未报送 / 审核中 / 已退回 / 已存证 / 逾期
                str(STATE_LABELS[getattr(fact, "state", None) or bureau_state(fact, timezone.localdate())]),
                fact.version,
                fact.deadline,
                # Excel has no time zones: the moment as read in Beijing
                fact.first_submitted_at.astimezone(BEIJING).replace(tzinfo=None)
                if fact.first_submitted_at
                else None,
                _("是") if fact.submitted_late else _("否"),
                fact.returned_count,
                fact.total_tco2,
                fact.intensity,
            ]
        )
    for cell in sheet["M"][1:]:
        cell.number_format = TONNES
    for cell in sheet["N"][1:]:
        cell.number_format = "0.0000"
    if board is not None:
        _late_annual_reports(workbook.create_sheet(_("年度报告逾期")), board)
    return xlsx.to_bytes(workbook)


def _late_annual_reports(sheet, board) -> None:
    """Every late annual report of the view, most days late first (the page shows the first of them)."""
    sheet.append([_("企业"), _("统一社会信用代码"), _("区域"), _("情况"), _("逾期天数"), _("截止日期")])
    for item in board.annual.listed:
        enterprise = item["enterprise"]
        sheet.append(
            [
                enterprise.name_zh,
                enterprise.credit_code,
                enterprise.jurisdiction.name_zh,
                _("逾期报送") if item["submitted"] else _("逾期未报送"),
                item["days_late"],
                item["due"],
            ]
        )
    sheet.column_dimensions["A"].width = 28
