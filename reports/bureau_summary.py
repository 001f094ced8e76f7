"""The bureau's monthly summary as a PDF (reportlab, built-in CID font STSong-Light for Chinese)."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"


def _styles() -> tuple[ParagraphStyle, ParagraphStyle]:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, spaceAfter=8)
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15)
    return title, body


def _rate(value) -> str:
    return "—" if value is None else f"{value}%"


def _table(rows: list[list[str]]) -> Table:
    table = Table(rows, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#ecfdf5")),
            ]
        )
    )
    return table


def build(board, *, bureau_name: str) -> bytes:
    """One page of figures from the read model for the month in `board.filters`."""
    title, body = _styles()
    period = f"{board.filters.year}年{board.filters.month}月"
    story = [
        Paragraph(f"{bureau_name} 重点企业月度存证监管摘要（{period}）", title),
        Paragraph(
            f"重点企业 {board.enterprises} 家；已建存证 {board.filings} 份，已提交 {board.submitted} 份，"
            f"已锁定 {board.locked} 份；按时提交率 {_rate(board.timeliness_rate)}，审核通过率 "
            f"{_rate(board.approval_rate)}，退回率 {_rate(board.return_rate)}；逾期未提交 {board.overdue} 份。",
            body,
        ),
        Paragraph(f"已锁定数据的排放总量：{board.total_tco2:.2f} tCO2。", body),
        Spacer(1, 10),
        Paragraph("分行业排放", body),
        _table(
            [["行业", "存证数", "排放量（tCO2）"]]
            + [
                [row["industry__name_zh"], str(row["filings"]), f"{row['tco2'] or 0:.2f}"]
                for row in board.by_industry
            ]
        ),
        Spacer(1, 10),
        Paragraph("分区域", body),
        _table(
            [["区域", "存证数", "已提交", "排放量（tCO2）"]]
            + [
                [
                    row["jurisdiction__name_zh"],
                    str(row["filings"]),
                    str(row["submitted"]),
                    f"{row['tco2'] or 0:.2f}",
                ]
                for row in board.by_district
            ]
        ),
        Spacer(1, 10),
        Paragraph("数据来源：平台监管读模型（仅含已提交、已锁定存证的数据）。", body),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=f"监管摘要 {period}").build(story)
    return buffer.getvalue()
