"""The carbon-efficiency report PDF (工业碳效评价报告): L, level, K and grade with the thresholds used,
rendered from the payload of steward.compliance.documents."""

from __future__ import annotations

from reports import pdf

STATUS = {"verified": "已核实", "to_verify": "待核实"}


def _band_rows(bands: list[dict], kind_label: str) -> list[list[str]]:
    return [
        [
            kind_label,
            band["label"],
            f"({band['lower_exclusive'] or '−∞'}, {band['upper_inclusive'] or '+∞'}]",
            band["colour"] or "—",
            f"阈值{STATUS[band['threshold_status']]}，颜色{STATUS[band['colour_status']]}"
            if band["colour"]
            else f"阈值{STATUS[band['threshold_status']]}",
        ]
        for band in bands
    ]


def render(payload: dict) -> bytes:
    enterprise, grading = payload["enterprise"], payload["grading"]
    story = [
        pdf.text(f"{payload['year']}年度工业碳效评价报告", "title"),
        pdf.text(enterprise["name"], "subtitle"),
        pdf.spacer(6),
    ]
    if grading is None:
        story.append(pdf.text("缺少工业增加值或排放数据，无法评价。"))
    else:
        story += [
            pdf.heading("一、评价结果"),
            pdf.key_values(
                [
                    ("碳效等级", f"{grading['grade']}级（{grading['grade_label']}）"),
                    ("颜色", f"{grading['colour']}（{STATUS[grading['colour_status']]}）"),
                    ("碳效水平", grading["level"]),
                    (
                        "性质",
                        "预估（全年数据尚未齐全，排放量取预测中值）"
                        if payload["provisional"]
                        else "按全年排放量评价",
                    ),
                ]
            ),
            pdf.heading("二、计算过程"),
            pdf.key_values(
                [
                    ("排放量（tCO2）", grading["emissions_t"]),
                    ("自发零碳电力抵扣（tCO2）", grading["zero_carbon_t"]),
                    ("工业增加值（万元）", grading["value_added_10k"]),
                    ("单位增加值碳排放 L（tCO2/万元）", grading["l_value"]),
                    (
                        "行业平均值（tCO2/万元）",
                        f"{grading['industry_average_l']}（{grading['industry_average_source']}）",
                    ),
                    ("碳效值 K = L ÷ 行业平均值", grading["k_value"]),
                ]
            ),
        ]
    rows = [["类别", "名称", "区间", "颜色", "核实状态"]]
    rows += _band_rows(payload["levels"], "碳效水平（L）") + _band_rows(payload["grades"], "碳效等级（K）")
    story += [
        pdf.heading("三、分级标准"),
        pdf.table(rows, widths=[1.2, 1.6, 1.2, 1, 1.6]),
        pdf.text(
            "依据：湖州《规上工业企业碳效等级评价方法》；DB33/T 1347-2023。颜色对应关系待核实。", "small"
        ),
    ]
    return pdf.build_pdf(
        story,
        title=f"{payload['year']}年度工业碳效评价报告",
        furniture=pdf.furniture(
            f"{payload['year']}年度工业碳效评价报告", enterprise["name"], sha256=pdf.content_hash(payload)
        ),
        author=enterprise["name"],
    )
