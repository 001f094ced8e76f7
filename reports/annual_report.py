"""The annual GHG emission report PDF (年度温室气体排放报告), rendered from a report version's canonical JSON.

Structure after the reporting guideline (《企业温室气体排放核算与报告指南》 report template): 一、基本情况
(enterprise, credit code, address and district, industry, reporting year, contact); 二、核算边界; 三、排放源;
四、活动数据及来源; 五、排放因子及来源 (measured or default, with the factor's document); 六、排放量 (by
source and in total, direct and indirect separately, with the monthly trend chart); 七、生产数据和排放强度;
八、数据质量管理 (control plan version, findings acknowledged or waived, with reasons); 九、声明与签署 (the
designated signatory's name and position, the signing-time line and the enterprise seal box).

Codes never reach the page: methodologies, categories, traced input names and factor rows are printed by
their Chinese names (steward/carbon/labels.py).

Which hash the PDF prints: the signature binds to the SHA-256 of this PDF's bytes, which cannot be printed
inside the same bytes. The PDF therefore prints the payload's content hash (SHA-256 of the canonical JSON it
is rendered from, `payload_sha256`) on the cover, the signature page and every footer; the platform's
signature record names the PDF's own SHA-256. The PDF depends only on the payload and its hash, so the same
version always renders to the same bytes (steward/annual/tasks.py re-renders and compares).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from reportlab.platypus import KeepTogether, PageBreak, Table, TableStyle

from reports import citations, pdf
from steward import formatting
from steward.carbon import labels
from steward.carbon.models import DataSource, MeasuredParameter, OutputRecord

DATA_SOURCES = dict(DataSource.choices)
PARAMETERS = dict(MeasuredParameter.Name.choices)
OUTPUTS = dict(OutputRecord.Kind.choices)
SEVERITIES = {"blocking": "阻断", "warning": "警告", "info": "提示"}
# The rule packs' own codes (DQ-T01) are the guideline's clause numbers; they stay, the severities are named.
DECLARATION = (
    "本单位承诺：本报告所载排放数据及相关信息真实、准确、完整，核算方法符合国家温室气体排放核算与报告指南，"
    "原始记录和管理台账保存不少于五年。如有虚报、瞒报，愿承担相应法律责任。"
)
SECTIONS = (
    "一、基本情况",
    "二、核算边界",
    "三、排放源",
    "四、活动数据及来源",
    "五、排放因子及来源",
    "六、温室气体排放量",
    "七、生产数据和排放强度",
    "八、数据质量管理",
    "九、声明与签署",
)


def _t(value, unit: str = "tCO2") -> str:
    return formatting.quantity(value, unit)


def _moment(iso: str | None) -> str:
    return formatting.beijing(datetime.datetime.fromisoformat(iso)) if iso else "—"


def _methodology(payload: dict) -> str:
    return labels.methodology_label(payload["methodology"], payload.get("methodology_version", ""))


def _direct_indirect(payload: dict) -> tuple[Decimal, Decimal]:
    direct = indirect = Decimal(0)
    for line in payload["lines"]:
        if line.get("category") in labels.INDIRECT_CATEGORIES:
            indirect += Decimal(line["tco2"])
        else:
            direct += Decimal(line["tco2"])
    return direct, indirect


def _people(people: list[dict]) -> str:
    return "；".join(
        " ".join(part for part in (p["name"], p.get("position"), p.get("phone"), p.get("email")) if part)
        for p in people
    )


def _cover(payload: dict, sha256: str) -> list:
    enterprise = payload["enterprise"]
    direct, indirect = _direct_indirect(payload)
    return [
        pdf.spacer(30),
        pdf.text(f"{payload['year']}年度温室气体排放报告", "title"),
        pdf.text(enterprise["name"], "subtitle"),
        pdf.spacer(16),
        pdf.key_values(
            [
                ("报告主体", enterprise["name"]),
                ("统一社会信用代码", enterprise["credit_code"]),
                ("报告年度", f"{payload['year']}年1月1日至12月31日"),
                ("报告版本", f"第{payload['version']}版"),
                ("核算方法", _methodology(payload)),
                ("直接排放量", f"{_t(direct)} tCO2"),
                ("间接排放量（净购入电力、热力）", f"{_t(indirect)} tCO2"),
                ("报告内容哈希（SHA-256）", sha256),
            ]
        ),
        pdf.spacer(4),
        pdf.text(
            "报告内容哈希为本报告所依据的年度数据（规范化 JSON）的 SHA-256；电子签署记录另行载明本 PDF 文件的 "
            "SHA-256（文件自身的哈希无法印在文件之内）。",
            "small",
        ),
        PageBreak(),
    ]


def _basic(payload: dict) -> list:
    enterprise = payload["enterprise"]
    return [
        pdf.heading(SECTIONS[0]),
        pdf.key_values(
            [
                ("单位名称", enterprise["name"]),
                ("统一社会信用代码", enterprise["credit_code"]),
                ("地址", enterprise["address"]),
                ("所在区县", enterprise["jurisdiction"]),
                ("所属行业", enterprise["industry"]),
                ("报告年度", f"{payload['year']}年"),
                ("联系人", _people(enterprise.get("contacts", [])) or "—"),
                ("核算方法", _methodology(payload)),
            ]
        ),
    ]


def _boundary_and_sources(payload: dict) -> list:
    facilities = sorted({source["facility"] for source in payload["sources"]})
    return [
        pdf.heading(SECTIONS[1]),
        pdf.text(
            "核算边界为本单位法人边界，包括下列核算设施：" + "、".join(facilities) + "。"
            "核算范围包括化石燃料燃烧和工业生产过程的直接排放，以及净购入电力、热力的间接排放。"
        ),
        pdf.heading(SECTIONS[2]),
        pdf.table(
            [["排放源编号", "排放源名称", "类别", "所属设施", "活动数据单位"]]
            + [[s["code"], s["name"], s["kind"], s["facility"], s["unit"]] for s in payload["sources"]],
            widths=[1.2, 2.2, 1.4, 2.2, 1],
        ),
    ]


def _parameters(record: dict) -> str:
    parts = []
    for parameter in record["parameters"]:
        name = PARAMETERS.get(parameter["name"], "实测参数")
        evidence = f"（检测报告 {parameter['evidence'][:12]}…）" if parameter.get("evidence") else ""
        value = formatting.quantity(parameter["value"], parameter["unit"])
        parts.append(f"{name} {value} {parameter['unit']}{evidence}")
    return "；".join(parts)


def _activity(payload: dict) -> list:
    names = {source["code"]: source["name"] for source in payload["sources"]}
    rows = [["月份", "排放源", "活动数据", "单位", "数据来源", "实测参数"]]
    for record in sorted(payload["activity"], key=lambda r: (r["month"], r["source"])):
        rows.append(
            [
                f"{record['month']}月",
                names.get(record["source"], record["source"]),
                formatting.quantity(record["quantity"], record["unit"]),
                record["unit"],
                DATA_SOURCES.get(record["data_source"], "其他"),
                _parameters(record) or "—",
            ]
        )
    return [
        pdf.heading(SECTIONS[3]),
        pdf.text("下表为各月锁定存证中的活动数据及实测参数（取自各月存证版本，非实时数据）。"),
        pdf.table(rows, widths=[0.7, 2, 1.4, 0.7, 1.3, 3.4], numeric_columns=[2]),
    ]


def _factor_source(value: dict) -> str:
    origin = labels.origin_label(value.get("origin", ""))
    parts = [origin]
    if value.get("row_id"):
        parts.append(labels.factor_row_label(value["row_id"]))
    if value.get("source"):
        parts.append(f"依据：{citations.zh(value['source'])}")
    if value.get("status") in labels.FACTOR_STATUS_LABELS and value.get("origin") != "measured":
        parts.append(labels.FACTOR_STATUS_LABELS[value["status"]])
    return "；".join(parts)


def _factors(payload: dict) -> list:
    """The parameters and factors each line used, once per distinct value and source (a factor that is the
    same all year is one row, with the months it applied to)."""
    seen: dict[tuple, list[int]] = {}
    for month in payload["months"]:
        for line in month["lines"]:
            for value in line["inputs"]:
                if value.get("origin") == "measured" and value["name"] in ("FC", "AD", "Q_clinker", "Q"):
                    continue  # activity data: section 四
                key = (line["label"], value["name"], value["value"], value["unit"], _factor_source(value))
                seen.setdefault(key, []).append(month["month"])
    rows = [["排放项", "参数", "数值", "单位", "来源（实测/缺省值及依据文件）", "适用月份"]]
    for (line, name, value, unit, source), months in seen.items():
        rows.append(
            [
                line,
                labels.input_label(name),
                formatting.quantity(value, unit),
                labels.UNIT_LABELS.get(unit, unit),
                source,
                _months(months),
            ]
        )
    return [
        pdf.heading(SECTIONS[4]),
        pdf.table(rows, widths=[1.8, 1.4, 1, 0.8, 3.4, 1.2], numeric_columns=[2]),
    ]


def _months(months: list[int]) -> str:
    if months == list(range(1, 13)):
        return "全年"
    return "、".join(f"{m}月" for m in months)


def lateness(month: dict) -> str:
    """A month's filing as the bureau reads it: on time or N days late, measured from the month's own
    deadline to its own first submission (never from today, never from another month's deadline)."""
    if not month.get("deadline"):
        return "—"
    deadline = datetime.date.fromisoformat(month["deadline"])
    if not month.get("submitted_at"):
        return "未记录提交时间"
    submitted = datetime.datetime.fromisoformat(month["submitted_at"]).astimezone(formatting.BEIJING).date()
    days = (submitted - deadline).days
    return "按期提交" if days <= 0 else f"逾期 {days} 天提交"


def _emissions(payload: dict) -> list:
    total = payload["total_tco2"]
    direct, indirect = _direct_indirect(payload)
    lines = sorted(payload["lines"], key=lambda line: line.get("category") in labels.INDIRECT_CATEGORIES)
    months = [
        [
            f"{m['month']}月",
            _t(m["total_tco2"]),
            m.get("deadline") or "—",
            _moment(m.get("submitted_at")),
            lateness(m),
            f"第{m['filing_version']}版",
            m["seal"][:12] + "…",
        ]
        for m in payload["months"]
    ]
    cement = payload["methodology"] == "cn_cement_clinker"
    ets = (
        "全国碳市场履约口径（水泥熟料生产）仅计直接排放（化石燃料燃烧和熟料生产过程），"
        f"为 {_t(direct)} tCO2；净购入电力隐含排放单独报告，不计入履约排放量。"
        if cement
        else "直接排放与间接排放分别报告。"
    )
    return [
        pdf.heading(SECTIONS[5]),
        pdf.table(
            [["排放项", "类别", "年度排放量（tCO2）"]]
            + [
                [line["label"], labels.category_label(line.get("category", "")), _t(line["tco2"])]
                for line in lines
            ]
            + [
                ["直接排放小计", "", _t(direct)],
                ["间接排放小计", "", _t(indirect)],
                ["排放总量（直接＋间接）", "", _t(total)],
            ],
            widths=[3, 2, 2],
            numeric_columns=[2],
        ),
        pdf.text(ets),
        pdf.heading("各月排放量及报送情况", 2),
        pdf.bar_chart(
            [f"{m['month']}月" for m in payload["months"]],
            [Decimal(m["total_tco2"]) for m in payload["months"]],
            caption="各月排放量（tCO2）",
        ),
        pdf.table(
            [
                [
                    "月份",
                    "排放量（tCO2）",
                    "截止日期",
                    "首次提交（北京时间）",
                    "报送情况",
                    "存证版本",
                    "存证哈希",
                ]
            ]
            + months,
            widths=[0.6, 1.4, 1.1, 1.5, 1.3, 0.8, 1.4],
            numeric_columns=[1],
        ),
    ]


def _outputs(payload: dict) -> list:
    total = payload["total_tco2"]
    outputs = [
        [OUTPUTS.get(kind, "产出"), formatting.quantity(value["value"], value["unit"]), value["unit"]]
        for kind, value in payload["outputs"].items()
    ]
    intensities = [
        [
            i["label"],
            formatting.quantity(i["value"], i["unit"]),
            i["unit"],
            f"{_t(total)} tCO2 ÷ {formatting.quantity(i['denominator'], i['denominator_unit'])} "
            f"{i['denominator_unit']}",
        ]
        for i in payload["intensities"]
    ]
    return [
        pdf.heading(SECTIONS[6]),
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
    months_by_id = {m["month"]: m for m in payload["months"]}
    rows = [["月份", "规则", "级别", "说明", "企业说明/管家豁免理由"]]
    for f in findings:
        handled = "；".join(
            part
            for part in (
                f"企业说明：{f['acknowledgement']}" if f["acknowledgement"] else "",
                f"管家豁免：{f['waiver_reason']}" if f["waiver_reason"] else "",
            )
            if part
        )
        message = f["message"]
        if f["rule_id"] == "DQ-T01" and f["month"] in months_by_id:
            # the check's wording counts days to the day it ran; the report states the month's own lateness
            message = f"截止日期 {months_by_id[f['month']].get('deadline') or '—'}，{lateness(months_by_id[f['month']])}"
        rows.append(
            [f"{f['month']}月", f["rule_id"], SEVERITIES.get(f["severity"], "提示"), message, handled or "—"]
        )
    waived = sum(1 for f in findings if f["waiver_reason"])
    acknowledged = sum(1 for f in findings if f["acknowledgement"] and not f["waiver_reason"])
    plans = quality.get("control_plans") or []
    plan_text = (
        "；".join(
            f"第{p['version']}版（{p['effective_from']} 起施行，适用{_months(p['months'])}）" for p in plans
        )
        if plans
        else "本年度未登记数据质量控制计划版本"
    )
    story = [
        pdf.heading(SECTIONS[7]),
        pdf.key_values(
            [
                ("数据质量控制计划", plan_text),
                ("质量检查规则包版本", "、".join(quality["rule_pack_versions"]) or "—"),
                (
                    "检查结果",
                    f"共发现 {len(findings)} 项，其中企业说明 {acknowledged} 项、管家豁免 {waived} 项，"
                    "无未处理的阻断问题。",
                ),
            ]
        ),
        pdf.text(
            f"本报告由{len(payload['months'])}个已锁定的月度存证汇编而成，各月存证经管家质量审核后锁定，"
            "并以 SHA-256 存证哈希链接。"
        ),
    ]
    if findings:
        story.append(pdf.table(rows, widths=[0.6, 0.8, 0.6, 3.6, 3.2]))
    return story


def _signature_page(payload: dict, sha256: str) -> list:
    signatories = payload["enterprise"].get("signatories") or []
    signer = signatories[0] if signatories else {}
    block = pdf.key_values(
        [
            ("报告主体", payload["enterprise"]["name"]),
            ("签署人姓名", signer.get("name") or "＿＿＿＿＿＿"),
            ("职务", signer.get("position") or "＿＿＿＿＿＿"),
            ("签署时间（北京时间）", "电子签署时由平台记录：＿＿＿＿年＿＿月＿＿日 ＿＿:＿＿"),
            ("报告内容哈希（SHA-256）", sha256),
            (
                "签署方式",
                "签署人查看本文件后重新输入密码并确认声明；签署后平台另行出具《电子签署记录》，载明签署人、"
                "职务、签署时间（北京时间）和本 PDF 文件的 SHA-256。",
            ),
        ]
    )
    seal = Table(
        [[pdf.text("签署人（签字）：\n\n\n日期：＿＿＿＿年＿＿月＿＿日"), pdf.SealBox("企业盖章")]],
        colWidths=[pdf.TEXT_WIDTH * 0.6, pdf.TEXT_WIDTH * 0.4],
    )
    seal.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [
        PageBreak(),
        pdf.heading(SECTIONS[8]),
        pdf.text(DECLARATION),
        pdf.spacer(6),
        KeepTogether([block, pdf.spacer(10), seal]),
    ]


def render(payload: dict, *, payload_sha256: str) -> bytes:
    """The report PDF of one version's payload."""
    enterprise = payload["enterprise"]["name"]
    story = (
        _cover(payload, payload_sha256)
        + _basic(payload)
        + _boundary_and_sources(payload)
        + _activity(payload)
        + _factors(payload)
        + _emissions(payload)
        + _outputs(payload)
        + _quality(payload)
        + _signature_page(payload, payload_sha256)
    )
    title = f"{payload['year']}年度温室气体排放报告"
    compiled = payload.get("compiled_at")
    return pdf.build_pdf(
        story,
        title=title,
        author=enterprise,
        subject=f"{title}（第{payload['version']}版）",
        furniture=pdf.furniture(
            f"{title}（第{payload['version']}版）",
            enterprise,
            generated=datetime.datetime.fromisoformat(compiled) if compiled else None,
            sha256=payload_sha256,
        ),
    )


def render_signature_record(payload: dict, *, payload_sha256: str, signature: dict) -> bytes:
    """The signed declaration as issued after signing (年度报告电子签署记录): who signed (name, position), when
    (Beijing time), and the SHA-256 of the report PDF they signed. A separate document, so the signed PDF's
    bytes, and the signature's binding to them, stay as they were.

    `signature`: name, position, signed_at (datetime), document_sha256, statement."""
    enterprise = payload["enterprise"]["name"]
    title = f"{payload['year']}年度温室气体排放报告 电子签署记录"
    story = [
        pdf.text(title, "title"),
        pdf.text(enterprise, "subtitle"),
        pdf.spacer(6),
        pdf.heading("签署声明"),
        pdf.text(signature["statement"]),
        pdf.spacer(4),
        pdf.key_values(
            [
                ("报告主体", enterprise),
                ("统一社会信用代码", payload["enterprise"]["credit_code"]),
                ("报告", f"{payload['year']}年度温室气体排放报告（第{payload['version']}版）"),
                ("签署人姓名", signature["name"]),
                ("职务", signature["position"]),
                ("签署时间（北京时间）", formatting.beijing(signature["signed_at"])),
                ("所签署报告文件的 SHA-256", signature["document_sha256"]),
                ("报告内容哈希（SHA-256）", payload_sha256),
                ("签署方式", "签署人查看报告文件后重新输入密码并确认声明（平台电子签署）"),
            ]
        ),
        pdf.spacer(10),
        pdf.SealBox("企业盖章"),
    ]
    return pdf.build_pdf(
        story,
        title=title,
        author=enterprise,
        furniture=pdf.furniture(
            title,
            enterprise,
            generated=signature["signed_at"],
            sha256=signature["document_sha256"],
            hash_label="报告文件哈希",
        ),
    )
