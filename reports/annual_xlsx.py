"""The annual data as a spreadsheet (openpyxl), safe to open in Excel or WPS.

Every cell goes through the product's one spreadsheet guard (reports/xlsx.py), so a source name like
"=HYPERLINK(…)" typed by anyone stays text. Figures are written as numbers (Decimal), not text.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.styles import Font

from reports import xlsx
from reports.annual_report import SEVERITIES, lateness
from steward.carbon import labels
from steward.carbon.models import DataSource, OutputRecord
from steward.formatting import beijing

DATA_SOURCES = dict(DataSource.choices)
OUTPUTS = dict(OutputRecord.Kind.choices)


def _number(text: str) -> Decimal:
    return Decimal(text)


def _sheet(workbook, title: str, header: list[str], rows: list[list[object]]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, _name in enumerate(header):
        sheet.column_dimensions[chr(ord("A") + index)].width = 18


def _moment(iso: str | None) -> str:
    import datetime

    return beijing(datetime.datetime.fromisoformat(iso)) if iso else ""


def render(payload: dict, payload_sha256: str = "") -> bytes:
    workbook = xlsx.workbook()
    workbook.remove(workbook.active)
    enterprise = payload["enterprise"]
    _sheet(
        workbook,
        "汇总",
        ["项目", "数值", "单位"],
        [
            ["企业名称", enterprise["name"], ""],
            ["统一社会信用代码", enterprise["credit_code"], ""],
            ["报告年度", payload["year"], ""],
            ["报告版本", payload["version"], ""],
            [
                "核算方法",
                labels.methodology_label(
                    payload.get("methodology", ""), payload.get("methodology_version", "")
                ),
                "",
            ],
            ["汇编时间（北京时间）", _moment(payload.get("compiled_at")), ""],
            ["报告内容哈希（SHA-256）", payload_sha256, ""],
            ["年度排放总量", _number(payload["total_tco2"]), "tCO2"],
        ]
        + [[line["label"], _number(line["tco2"]), "tCO2"] for line in payload["lines"]]
        + [[OUTPUTS.get(k, k), _number(v["value"]), v["unit"]] for k, v in payload["outputs"].items()]
        + [[i["label"], _number(i["value"]), i["unit"]] for i in payload["intensities"]],
    )
    _sheet(
        workbook,
        "各月排放",
        [
            "月份",
            "排放量（tCO2）",
            "截止日期",
            "首次提交（北京时间）",
            "报送情况",
            "存证版本",
            "因子库版本",
            "存证哈希",
        ],
        [
            [
                m["month"],
                _number(m["total_tco2"]),
                m.get("deadline") or "",
                _moment(m.get("submitted_at")),
                lateness(m),
                m["filing_version"],
                m["factor_set"],
                m["seal"],
            ]
            for m in payload["months"]
        ],
    )
    names = {source["code"]: source["name"] for source in payload["sources"]}
    _sheet(
        workbook,
        "活动数据",
        ["月份", "排放源编号", "排放源", "活动数据", "单位", "数据来源"],
        [
            [
                r["month"],
                r["source"],
                names.get(r["source"], ""),
                _number(r["quantity"]),
                r["unit"],
                DATA_SOURCES.get(r["data_source"], r["data_source"]),
            ]
            for r in sorted(payload["activity"], key=lambda r: (r["month"], r["source"]))
        ],
    )
    _sheet(
        workbook,
        "质量发现",
        ["月份", "规则", "级别", "对象", "说明", "企业确认", "管家豁免"],
        [
            [
                f["month"],
                f["rule_id"],
                SEVERITIES.get(f["severity"], "提示"),
                f["item"],
                f["message"],
                f["acknowledgement"],
                f["waiver_reason"],
            ]
            for f in payload["quality"]["findings"]
        ],
    )
    return xlsx.to_bytes(workbook)
