"""The annual GHG emission report PDF (年度温室气体排放报告), rendered from a report version's canonical JSON.

Structure after the reporting guideline (《企业温室气体排放核算与报告指南》 report template): the reporting
unit, the accounting boundary and emission sources, activity data and parameters with their sources,
emissions, output and intensities, the data-quality statement (rule-pack findings, acknowledgements and
waivers, the monthly seals), and the declaration and signature page. The PDF depends only on the payload
and its hash, so the same version always renders to the same bytes.
"""

from __future__ import annotations

from reportlab.platypus import PageBreak

from reports import pdf
from steward.carbon.models import DataSource, MeasuredParameter, OutputRecord

DATA_SOURCES = dict(DataSource.choices)
PARAMETERS = dict(MeasuredParameter.Name.choices)
OUTPUTS = dict(OutputRecord.Kind.choices)
ORIGINS = {"measured": "实测", "default": "缺省值", "factor": "因子库"}
SEVERITIES = {"blocking": "阻断", "warning": "警告", "info": "提示"}
DECLARATION = (
    "本单位承诺：本报告所载排放数据及相关信息真实、准确、完整，核算方法符合国家温室气体排放核算与报告指南，"
    "原始记录和管理台账保存不少于五年。如有虚报、瞒报，愿承担相应法律责任。"
)


def _cover(payload: dict, sha256: str) -> list:
    enterprise = payload["enterprise"]
    return [
        pdf.spacer(40),
        pdf.text(f"{payload['year']}年度温室气体排放报告", "title"),
        pdf.text(enterprise["name"], "subtitle"),
        pdf.spacer(20),
        pdf.key_values(
            [
                ("报告主体（盖章）", enterprise["name"]),
                ("统一社会信用代码", enterprise["credit_code"]),
                ("报告年度", f"{payload['year']}年1月1日至12月31日"),
                ("报告版本", f"第{payload['version']}版"),
                ("核算方法", payload["methodology"]),
                ("年度排放总量", f"{payload['total_tco2']} tCO2"),
                ("报告内容哈希（SHA-256）", sha256),
            ]
        ),
        PageBreak(),
    ]


def _unit_and_boundary(payload: dict) -> list:
    enterprise = payload["enterprise"]
    facilities = sorted({source["facility"] for source in payload["sources"]})
    return [
        pdf.heading("一、重点排放单位基本情况"),
        pdf.key_values(
            [
                ("单位名称", enterprise["name"]),
                ("统一社会信用代码", enterprise["credit_code"]),
                ("所属行业", enterprise["industry"]),
                ("所在区域", enterprise["jurisdiction"]),
                ("地址", enterprise["address"]),
            ]
        ),
        pdf.heading("二、核算边界和排放源"),
        pdf.text("核算边界为法人边界内的下列核算设施：" + "、".join(facilities) + "。"),
        pdf.table(
            [["排放源编号", "排放源名称", "类别", "所属设施", "活动数据单位"]]
            + [[s["code"], s["name"], s["kind"], s["facility"], s["unit"]] for s in payload["sources"]],
            widths=[1.2, 2.2, 1.4, 2.2, 1],
        ),
    ]


def _parameters(record: dict) -> str:
    parts = []
    for parameter in record["parameters"]:
        name = PARAMETERS.get(parameter["name"], parameter["name"])
        evidence = f"（检测报告 {parameter['evidence'][:12]}…）" if parameter.get("evidence") else ""
        parts.append(f"{name} {parameter['value']} {parameter['unit']}{evidence}")
    return "；".join(parts)


def _activity(payload: dict) -> list:
    names = {source["code"]: source["name"] for source in payload["sources"]}
    rows = [["月份", "排放源", "活动数据", "单位", "数据来源", "实测参数"]]
    for record in sorted(payload["activity"], key=lambda r: (r["month"], r["source"])):
        rows.append(
            [
                f"{record['month']}月",
                names.get(record["source"], record["source"]),
                record["quantity"],
                record["unit"],
                DATA_SOURCES.get(record["data_source"], record["data_source"]),
                _parameters(record) or "—",
            ]
        )
    return [
        pdf.heading("三、活动数据及来源"),
        pdf.text("下表为各月锁定存证中的活动数据及实测参数（取自各月存证版本，非实时数据）。"),
        pdf.table(rows, widths=[0.7, 2, 1.3, 0.8, 1.3, 3.4], numeric_columns=[2]),
    ]


def _inputs(payload: dict) -> list:
    rows = [["月份", "排放项", "参数", "数值", "单位", "来源"]]
    for month in payload["months"]:
        for line in month["lines"]:
            for value in line["inputs"]:
                source = ORIGINS.get(value.get("origin", ""), value.get("origin", ""))
                if value.get("source") or value.get("row_id"):
                    source += f"：{value.get('source') or ''} {value.get('row_id') or ''}".rstrip()
                rows.append(
                    [
                        f"{month['month']}月",
                        line["label"],
                        value["name"],
                        value["value"],
                        value["unit"],
                        source,
                    ]
                )
    return [
        pdf.heading("四、排放因子和计算参数及来源"),
        pdf.table(rows, widths=[0.7, 2, 1.6, 1.3, 1, 2.8], numeric_columns=[3]),
    ]


def _emissions(payload: dict) -> list:
    total = payload["total_tco2"]
    months = [
        [
            f"{m['month']}月",
            m["total_tco2"],
            f"第{m['filing_version']}版",
            m["factor_set"],
            m["seal"][:16] + "…",
        ]
        for m in payload["months"]
    ]
    outputs = [
        [OUTPUTS.get(kind, kind), value["value"], value["unit"]] for kind, value in payload["outputs"].items()
    ]
    intensities = [
        [i["label"], i["value"], i["unit"], f"{total} tCO2 ÷ {i['denominator']} {i['denominator_unit']}"]
        for i in payload["intensities"]
    ]
    return [
        pdf.heading("五、温室气体排放量"),
        pdf.table(
            [["排放项", "类别", "年度排放量（tCO2）"]]
            + [[line["label"], line["category"], line["tco2"]] for line in payload["lines"]]
            + [["合计", "", total]],
            widths=[3, 2, 2],
            numeric_columns=[2],
        ),
        pdf.heading("各月排放量（各月锁定存证的计算结果之和）", 2),
        pdf.table(
            [["月份", "排放量（tCO2）", "存证版本", "因子库版本", "存证哈希"]] + months,
            widths=[0.8, 1.6, 1, 1.6, 2.4],
            numeric_columns=[1],
        ),
        pdf.heading("六、生产数据和排放强度"),
        pdf.table([["产出", "年度合计", "单位"]] + outputs, widths=[3, 2, 1], numeric_columns=[1]),
        pdf.table(
            [["强度指标", "数值", "单位", "计算"]] + intensities,
            widths=[2, 1.2, 1.2, 3.5],
            numeric_columns=[1],
        )
        if intensities
        else pdf.text("本年度无可计算排放强度的产出数据。"),
    ]


def _quality(payload: dict) -> list:
    quality = payload["quality"]
    findings = quality["findings"]
    rows = [["月份", "规则", "级别", "对象", "说明", "确认/豁免"]]
    for f in findings:
        handled = "；".join(
            part
            for part in (
                f"企业确认：{f['acknowledgement']}" if f["acknowledgement"] else "",
                f"管家豁免：{f['waiver_reason']}" if f["waiver_reason"] else "",
            )
            if part
        )
        rows.append(
            [
                f"{f['month']}月",
                f["rule_id"],
                SEVERITIES.get(f["severity"], f["severity"]),
                f["item"],
                f["message"],
                handled or "—",
            ]
        )
    waived = sum(1 for f in findings if f["waiver_reason"])
    acknowledged = sum(1 for f in findings if f["acknowledgement"] and not f["waiver_reason"])
    story = [
        pdf.heading("七、数据质量控制情况说明"),
        pdf.text(
            f"本报告由{len(payload['months'])}个已锁定的月度存证汇编而成，各月存证经管家质量审核后锁定并以 SHA-256 "
            f"存证哈希链接。适用规则包：{'、'.join(quality['rule_pack_versions']) or '—'}。"
            f"规则包检查共发现 {len(findings)} 项，其中企业确认说明 {acknowledged} 项、管家豁免 {waived} 项，"
            "无未处理的阻断问题。"
        ),
    ]
    if findings:
        story.append(pdf.table(rows, widths=[0.7, 0.9, 0.6, 1.4, 3.2, 3]))
    return story


def _signature_page(payload: dict, sha256: str) -> list:
    return [
        PageBreak(),
        pdf.heading("八、声明与签署"),
        pdf.text(DECLARATION),
        pdf.spacer(8),
        pdf.key_values(
            [
                ("报告主体", payload["enterprise"]["name"]),
                ("报告内容哈希（SHA-256）", sha256),
                ("签署人", "以平台电子签署记录为准"),
                ("签署方式", "签署人查看本文件后重新输入密码并确认声明；签署记录绑定本文件的 SHA-256"),
            ]
        ),
    ]


def render(payload: dict, *, payload_sha256: str) -> bytes:
    """The report PDF of one version's payload."""
    enterprise = payload["enterprise"]["name"]
    story = (
        _cover(payload, payload_sha256)
        + _unit_and_boundary(payload)
        + _activity(payload)
        + _inputs(payload)
        + _emissions(payload)
        + _quality(payload)
        + _signature_page(payload, payload_sha256)
    )
    title = f"{payload['year']}年度温室气体排放报告"
    return pdf.build_pdf(
        story,
        title=title,
        author=enterprise,
        subject=f"{title}（第{payload['version']}版）",
        furniture=pdf.PageFurniture(
            header_left=f"{title}（第{payload['version']}版）",
            header_right=enterprise,
            footer_left=f"内容哈希 {payload_sha256[:16]}",
        ),
    )
