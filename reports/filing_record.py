"""The monthly filing record PDF (月度信息化存证记录) of a locked month: what was sealed, its seal and chain.

Rendered from the sealed payload of the locked version (not the live records), the seal and the previous
seal it chains to, the recomputed seal (so a reader sees it still matches), the findings with their
acknowledgements and waivers, and the timeline. This module only renders: the record is issued when the
month is locked (steward.filing.documents); a preview carries "预览，非存档文件" on every page.
"""

from __future__ import annotations

from django.utils import timezone

from reports import pdf
from steward.carbon.models import DataSource, EmissionSource, MeasuredParameter, OutputRecord
from steward.filing import seal
from steward.filing.models import FilingStatus, MonthlyFiling

DATA_SOURCES = dict(DataSource.choices)
PARAMETERS = dict(MeasuredParameter.Name.choices)
OUTPUTS = dict(OutputRecord.Kind.choices)


class NotLocked(ValueError):
    """Only a locked (sealed) month has a filing record."""


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else "—"


def _records(payload: dict) -> list:
    names = dict(EmissionSource.objects.values_list("code", "name"))
    rows = [["排放源", "版本", "活动数据", "单位", "数据来源", "实测参数及检测报告哈希"]]
    for record in payload["records"]:
        parameters = "；".join(
            f"{PARAMETERS.get(p['name'], p['name'])} {p['value']} {p['unit']}"
            + (f"（{p['evidence'][:16]}…）" if p.get("evidence") else "")
            for p in record["parameters"]
        )
        rows.append(
            [
                names.get(record["source"], record["source"]),
                f"第{record['version']}版",
                record["quantity"],
                record["unit"],
                DATA_SOURCES.get(record["data_source"], record["data_source"]),
                parameters or "—",
            ]
        )
    return [
        pdf.heading("二、存证数据"),
        pdf.table(rows, widths=[2, 0.8, 1.3, 0.8, 1.3, 3.6], numeric_columns=[2]),
    ]


def render(filing: MonthlyFiling, *, enterprise_name: str, preview: bool = False) -> bytes:
    """The record's PDF; `preview` marks every page as not a document of record."""
    if filing.status != FilingStatus.LOCKED or not filing.seal:
        raise NotLocked(f"{filing} is not locked")
    payload = filing.sealed_payload
    recomputed = seal.seal_of(payload, filing.previous_seal)
    result = payload["result"] or {}
    title = f"{filing.year}年{filing.month}月 月度信息化存证记录"
    story = [pdf.text(pdf.PREVIEW_LABEL, "subtitle")] if preview else []
    story += [
        pdf.text(title, "title"),
        pdf.text(enterprise_name, "subtitle"),
        pdf.heading("一、存证信息"),
        pdf.key_values(
            [
                ("存证期间", f"{filing.year}年{filing.month}月"),
                (
                    "存证版本",
                    f"第{filing.version}版"
                    + (f"（重开原因：{filing.reopen_reason}）" if filing.supersedes_id else ""),
                ),
                ("截止日期", filing.deadline.isoformat()),
                ("提交时间", _local(filing.submitted_at)),
                ("锁定时间", _local(filing.locked_at)),
                ("规则包版本", filing.rule_pack_version),
                ("存证哈希（SHA-256）", filing.seal),
                ("前序哈希（链）", filing.previous_seal),
                ("哈希复核", "一致" if recomputed == filing.seal else f"不一致（重算为 {recomputed}）"),
                ("月度排放量（tCO2）", result.get("total_tco2")),
                ("因子库版本", result.get("factor_set")),
            ]
        ),
        *_records(payload),
        pdf.heading("三、产出数据"),
        pdf.table(
            [["产出", "版本", "数值", "单位"]]
            + [
                [OUTPUTS.get(o["kind"], o["kind"]), f"第{o['version']}版", o["value"], o["unit"]]
                for o in payload["outputs"]
            ],
            widths=[2, 1, 2, 1],
            numeric_columns=[2],
        ),
        pdf.heading("四、检查发现及处理"),
        pdf.table(
            [["规则", "级别", "对象", "说明", "确认/豁免"]]
            + [
                [
                    f.rule_id,
                    f.severity,
                    f.item,
                    f.message,
                    f.waiver_reason and f"豁免：{f.waiver_reason}" or f.acknowledgement,
                ]
                for f in filing.findings.all()
            ],
            widths=[0.9, 0.8, 1.4, 3.4, 3],
        ),
        pdf.heading("五、处理记录"),
        pdf.table(
            [["时间", "动作", "操作人", "说明"]]
            + [
                [_local(e.at), e.get_action_display(), e.actor.display_name or e.actor.username, e.comment]
                for e in filing.events.select_related("actor")
            ],
            widths=[1.8, 1.6, 1.2, 4.4],
        ),
    ]
    return pdf.build_pdf(
        story,
        title=title,
        author=enterprise_name,
        furniture=pdf.furniture(
            title,
            enterprise_name,
            generated=filing.locked_at,  # the record is the month as sealed at that moment
            sha256=filing.seal,
            hash_label="存证哈希",
            watermark=pdf.PREVIEW_LABEL if preview else "",
        ),
    )


def filename(enterprise, filing: MonthlyFiling, *, preview: bool = False) -> str:
    suffix = "-预览" if preview else ""
    return f"{enterprise.slug}-{filing.year}年{filing.month}月存证记录-第{filing.version}版{suffix}.pdf"
