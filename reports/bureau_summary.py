"""The bureau's monthly summary as a PDF, laid out by the shared toolkit (reports/pdf.py: embedded Noto Sans SC,
deterministic output, numbered pages)."""

from __future__ import annotations

from reports import pdf


def _rate(value) -> str:
    return "—" if value is None else f"{value}%"


def build(board, *, bureau_name: str) -> bytes:
    """One page of figures from the read model for the month in `board.filters`."""
    period = f"{board.filters.year}年{board.filters.month}月"
    title = f"{bureau_name} 重点企业月度存证监管摘要（{period}）"
    story = [
        pdf.text(title, "title"),
        pdf.text(
            f"重点企业 {board.enterprises} 家；已建存证 {board.filings} 份，已提交 {board.submitted} 份，"
            f"已锁定 {board.locked} 份；按时提交率 {_rate(board.timeliness_rate)}，审核通过率 "
            f"{_rate(board.approval_rate)}，退回率 {_rate(board.return_rate)}；逾期未报送 {board.overdue} 个月份。"
        ),
        pdf.text(f"已锁定数据的排放总量：{board.total_tco2:.2f} tCO2。"),
        pdf.heading("分行业排放", 2),
        pdf.table(
            [["行业", "存证数", "排放量（tCO2）"]]
            + [
                [row["industry__name_zh"], str(row["filings"]), f"{row['tco2'] or 0:.2f}"]
                for row in board.by_industry
            ],
            widths=[3, 1, 1.5],
            numeric_columns=[1, 2],
        ),
        pdf.heading("分区域", 2),
        pdf.table(
            [["区域", "存证数", "已提交", "排放量（tCO2）"]]
            + [
                [
                    row["jurisdiction__name_zh"],
                    str(row["filings"]),
                    str(row["submitted"]),
                    f"{row['tco2'] or 0:.2f}",
                ]
                for row in board.by_district
            ],
            widths=[3, 1, 1, 1.5],
            numeric_columns=[1, 2, 3],
        ),
        pdf.spacer(),
        pdf.text("数据来源：平台监管读模型（仅含已提交、已锁定存证的数据）。", "small"),
    ]
    return pdf.build_pdf(
        story,
        title=f"监管摘要 {period}",
        author=bureau_name,
        furniture=pdf.PageFurniture(f"重点企业月度存证监管摘要（{period}）", bureau_name),
    )
