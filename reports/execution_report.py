"""排污许可执行报告 PDF, built from the content snapshotted at submission (so the copy of record shows exactly
what was reviewed), with the reports/pdf.py toolkit (embedded Chinese font, page x of y)."""

from __future__ import annotations

from decimal import Decimal

from reports.pdf import build_pdf, furniture, heading, key_values, spacer, table, text
from steward.formatting import beijing
from steward.pollution.accounting import Method
from steward.pollution.pollutants import Pollutant

STATUS_LABELS = {"ok": "正常", "warning": "预警", "exceeded": "超许可量"}


def _pollutant(code: str) -> str:
    return f"{Pollutant(code).label}（{code}）" if code in Pollutant.values else code


def _tonnes(value: str) -> Decimal:
    return Decimal(value).quantize(Decimal("0.001"))


def execution_report_pdf(report, enterprise, *, approved_by: str) -> bytes:
    content = report.content
    title = f"排污许可证执行报告 {content['period']}"
    story = [
        heading(title),
        key_values(
            [
                ("排污单位", enterprise.name_zh),
                ("统一社会信用代码", enterprise.credit_code),
                ("许可证编号", f"{content['permit']['number']}（第{content['permit']['version']}版）"),
                ("报告类型", report.get_frequency_display()),
                ("截止日期", report.deadline.isoformat()),
                ("提交时间（北京时间）", beijing(report.submitted_at)),
                ("审核人", approved_by),
                ("内容哈希（SHA-256）", report.content_sha256),
            ]
        ),
        spacer(),
        heading("一、实际排放量", 2),
        table(
            [["月份", "排放口", "污染物", "排放量（t）", "核算方法", "依据"]]
            + [
                [
                    r["month"],
                    r["outlet"],
                    _pollutant(r["pollutant"]),
                    _tonnes(r["tonnes"]),
                    Method.LABELS[r["method"]],
                    r["basis"],
                ]
                for r in content["results"]
            ],
            widths=[0.6, 0.8, 1.4, 1, 1, 3],
            numeric_columns=[3],
        ),
        spacer(),
        heading("二、许可排放量执行情况", 2),
        table(
            [["污染物", "累计排放量（t）", "许可排放量（t/a）", "状态"]]
            + [
                [
                    _pollutant(c["pollutant"]),
                    _tonnes(c["tonnes"]),
                    Decimal(c["permitted"]),
                    STATUS_LABELS[c["status"]],
                ]
                for c in content["cumulative"]
            ],
            numeric_columns=[1, 2],
        ),
        spacer(),
        heading("三、超标情况", 2),
    ]
    if content["exceedances"]:
        story.append(
            table(
                [["时间", "排放口", "污染物", "实测浓度", "折算浓度", "限值", "单位"]]
                + [
                    [
                        e["at"][:16].replace("T", " "),
                        e["outlet"],
                        _pollutant(e["pollutant"]),
                        Decimal(e["measured"]).quantize(Decimal("0.1")),
                        Decimal(e["compared"]).quantize(Decimal("0.1")),
                        Decimal(e["limit"]),
                        e["unit"],
                    ]
                    for e in content["exceedances"]
                ],
                widths=[1.6, 0.8, 1.6, 1, 1, 0.8, 0.8],
                numeric_columns=[3, 4, 5],
            )
        )
    else:
        story.append(text("报告期内未出现浓度超标。"))
    story += [spacer(), heading("四、燃料申报与碳排放数据核对", 2)]
    if content["fuels"]:
        story.append(
            table(
                [["排放源", "月份", "申报用量", "单位"]]
                + [[f["source"], f["month"], Decimal(f["quantity"]), f["unit"]] for f in content["fuels"]],
                numeric_columns=[2],
            )
        )
    story.append(text("；".join(content["reconciliation"]) or "申报燃料用量与碳排放月度数据一致。"))
    return build_pdf(
        story,
        title=title,
        furniture=furniture(
            title, enterprise.name_zh, generated=report.approved_at, sha256=report.content_sha256 or ""
        ),
        author=enterprise.name_zh,
        subject="排污许可执行报告",
    )
