"""The bureau's summary as a PDF, laid out by the shared toolkit (reports/pdf.py: embedded Noto Sans SC,
deterministic output, numbered pages, the shared header and footer).

It is the dashboard's view as it stands: the same filters (year, month or the whole year, district,
industry, regime, state, enterprise), named on the first page, the same figures. Numbers go through
steward/formatting.py (thousands grouped, 万吨 for city-scale totals); the footer names the generation time
in Beijing time.
"""

from __future__ import annotations

from reports import pdf
from steward import formatting
from steward.oversight.dashboard import describe_filters

SOURCE = (
    "数据来源：各企业已提交和已存证的月度数据；排放量仅计已存证（锁定）的月份，草稿和未提交的月份不计入。"
)


def _rate(value) -> str:
    return "—" if value is None else f"{formatting.quantity(value, places=1)}%"


def _count(value) -> str:
    return formatting.quantity(value or 0, places=0)


def period_of(filters) -> str:
    return f"{filters.year}年{filters.month}月" if filters.month else f"{filters.year}年"


def build(board, *, bureau_name: str, generated=None) -> bytes:
    """The figures of `board` (steward.oversight.dashboard.Dashboard) for its filters; `generated`: the
    moment of generation (printed in Beijing time)."""
    period = period_of(board.filters)
    kind = "月度" if board.filters.month else "年度"
    title = f"重点企业{kind}存证监管摘要（{period}）"
    story = [
        pdf.text(f"{bureau_name} {title}", "title"),
        pdf.heading("筛选条件", 2),
        pdf.key_values(describe_filters(board.filters)),
        pdf.heading("总体情况", 2),
        pdf.key_values(
            [
                ("重点企业", f"{_count(board.enterprises)} 家"),
                ("已建存证", f"{_count(board.filings)} 份"),
                ("已提交", f"{_count(board.submitted)} 份"),
                ("已存证（锁定）", f"{_count(board.locked)} 份"),
                ("按时提交率", _rate(board.timeliness_rate)),
                ("审核通过率", _rate(board.approval_rate)),
                ("退回率", _rate(board.return_rate)),
                ("逾期未报送", f"{_count(board.overdue)} 个月份"),
                ("已存证数据的排放总量", formatting.wan_tonnes(board.total_tco2) + " CO2"),
            ]
        ),
        pdf.heading("分行业排放", 2),
        pdf.table(
            [["行业", "存证数", "已提交", "排放量"]]
            + [
                [
                    row["industry__name_zh"],
                    _count(row["filings"]),
                    _count(row["submitted"]),
                    formatting.wan_tonnes(row["tco2"] or 0),
                ]
                for row in board.by_industry
            ],
            widths=[3, 1, 1, 1.8],
            numeric_columns=[1, 2, 3],
        )
        if board.by_industry
        else pdf.text("所选条件下无存证数据。"),
        pdf.heading("分区县", 2),
        pdf.table(
            [["区县", "存证数", "已提交", "排放量"]]
            + [
                [
                    row["jurisdiction__name_zh"],
                    _count(row["filings"]),
                    _count(row["submitted"]),
                    formatting.wan_tonnes(row["tco2"] or 0),
                ]
                for row in board.by_district
            ],
            widths=[3, 1, 1, 1.8],
            numeric_columns=[1, 2, 3],
        )
        if board.by_district
        else pdf.text("所选条件下无存证数据。"),
        pdf.spacer(),
        pdf.text(SOURCE, "small"),
    ]
    return pdf.build_pdf(
        story,
        title=f"监管摘要 {period}",
        author=bureau_name,
        furniture=pdf.furniture(title, bureau_name, generated=generated),
    )
