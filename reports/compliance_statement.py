"""The compliance statement PDF (配额清缴履约测算说明): allocation, emissions, position, relief and caps
applied, rendered from the payload of steward.compliance.documents (the same payload, the same bytes)."""

from __future__ import annotations

from reports import pdf
from steward import formatting

STATUS = {"verified": "已核实", "to_verify": "待核实"}
SOURCES = {"annual_report": "已受理的年度排放报告", "locked_months": "已锁定存证的月度数据"}
METHODS = {"seasonal": "季节曲线（上年同月 × 本年同期比值）", "run_rate": "平均月排放", "actual": "全年实际"}


def _t(value) -> str:
    """Tonnes as the notice prints them: grouped, to the hundredth (a forecast median is a long quotient)."""
    return formatting.tonnes(value)


def _policy(policy: dict | None) -> list:
    if policy is None:
        return [pdf.heading("一、履约规则"), pdf.text("该年度尚无履约规则参考数据。")]
    cap = policy["deficit_cap_share"]
    return [
        pdf.heading("一、履约规则"),
        pdf.key_values(
            [
                ("分配基础", "发电量" if policy["output_basis"] == "generation" else "供电量"),
                ("缺口上限", f"{cap} × 核查排放量" if cap is not None else "无"),
                ("燃气机组履约量不超过免费配额", "是" if policy["gas_capped_at_allocation"] else "否"),
                ("CCER抵销上限", f"{policy['ccer_cap_share']} × 应清缴配额"),
                ("清缴截止日期", policy["surrender_deadline"]),
                ("核实状态", STATUS[policy["status"]]),
                ("来源", policy["source_document"]),
            ]
        ),
    ]


def _allocation(allocation: dict | None) -> list:
    story = [pdf.heading("二、配额分配")]
    if allocation is None:
        return story + [pdf.text("尚未录入配额分配。")]
    story.append(
        pdf.key_values(
            [
                ("阶段及版本", f"{allocation['stage_label']} 第{allocation['version']}版"),
                (
                    "基准值集",
                    f"{allocation['benchmark_set']}（{STATUS.get(allocation['benchmark_status'], '')}）",
                ),
                ("配额（t）", _t(allocation["allocated_t"])),
                ("结转配额（t）", _t(allocation["carried_in_t"])),
            ]
        )
    )
    if not allocation["benchmark_covers_year"]:
        story.append(pdf.text("注意：所用基准值集并非针对本年度发布，配额仅供参考。", "small"))
    rows = [["步骤", "算式", "结果（t）"]] + [
        [
            s["label"],
            s["expression"],
            formatting.quantity(s["value"]) if formatting.as_decimal(s["value"]) is not None else s["value"],
        ]
        for s in allocation["trace"]
    ]
    story.append(pdf.table(rows, widths=[1.2, 3, 1.2], numeric_columns=[2]))
    return story


def _emissions_and_position(payload: dict) -> list:
    emissions, position, forecast = payload["emissions"], payload["position"], payload["forecast"]
    story = [
        pdf.heading("三、排放量"),
        pdf.key_values(
            [
                ("来源", SOURCES[emissions["source"]]),
                ("已锁定月份", "、".join(f"{m}月" for m in emissions["months"]) or "—"),
                ("排放量（tCO2）", _t(emissions["total_tco2"])),
                ("全年数据齐全", "是" if emissions["complete"] else "否（履约测算使用预测中值）"),
            ]
        ),
    ]
    if forecast:
        story += [
            pdf.heading("年内预测", 2),
            pdf.key_values(
                [
                    ("方法", METHODS[forecast["method"]]),
                    ("全年排放量区间（tCO2）", f"{_t(forecast['low_tco2'])} — {_t(forecast['high_tco2'])}"),
                    ("中值（tCO2）", _t(forecast["point_tco2"])),
                    ("预警", payload["warning_label"] or "无"),
                ]
            ),
        ]
    story.append(pdf.heading("四、履约测算"))
    if position is None:
        return story + [pdf.text("缺少配额或排放数据，无法测算。")]
    rows = [["步骤", "算式", "结果（t）"]] + [
        [
            s["label"],
            s["expression"],
            formatting.quantity(s["value"]) if formatting.as_decimal(s["value"]) is not None else s["value"],
        ]
        for s in position["steps"]
    ]
    story += [
        pdf.table(rows, widths=[1.2, 3, 1.2], numeric_columns=[2]),
        pdf.key_values(
            [
                ("盈缺（t）", _t(position["surplus_t"])),
                ("应清缴配额（t）", _t(position["obligation_t"])),
                (
                    "缺口上限减免（t）",
                    _t(position["relief_t"]) if position["deficit_cap_applied"] else "未适用",
                ),
                (
                    "燃气机组上限减免（t）",
                    _t(position["relief_t"]) if position["gas_cap_applied"] else "未适用",
                ),
                ("需补足配额（t）", _t(position["to_acquire_t"])),
                ("CCER抵销上限（t）", _t(position["ccer_cap_t"])),
            ]
        ),
    ]
    return story


def render(payload: dict) -> bytes:
    enterprise = payload["enterprise"]
    story = [
        pdf.text(f"{payload['year']}年度配额清缴履约测算说明", "title"),
        pdf.text(enterprise["name"], "subtitle"),
        pdf.spacer(6),
        pdf.key_values(
            [("统一社会信用代码", enterprise["credit_code"]), ("所在区域", enterprise["jurisdiction"])]
        ),
        *_policy(payload["policy"]),
        *_allocation(payload["allocation"]),
        *_emissions_and_position(payload),
        pdf.spacer(6),
        pdf.text(
            "标注“待核实”的规则和基准值尚未对照主管部门原文核实，本说明不构成主管部门的清缴通知。", "small"
        ),
    ]
    return pdf.build_pdf(
        story,
        title=f"{payload['year']}年度配额清缴履约测算说明",
        furniture=pdf.furniture(
            f"{payload['year']}年度配额清缴履约测算说明", enterprise["name"], sha256=pdf.content_hash(payload)
        ),
        author=enterprise["name"],
    )
