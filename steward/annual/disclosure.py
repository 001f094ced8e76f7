"""信息公开: the yearly public-disclosure form of a key emitter, generated from its accepted annual report and
issued through the copy-of-record store as a PDF and an XLSX (same content).

The 2024 cement guideline (CETS-AG-02.01-V01-2024) and the power guideline each carry a disclosure format in
an annex; its exact rows were not read here (DOMAIN.md §2.x says only that "a disclosure format" exists), so
the sections below follow the usual structure of those annexes and are marked to_verify in the document:
basic information, emissions (total, direct, indirect, the compliance figure, by source), production and
intensity, the method and data quality, and the report's submission. Every figure comes from the accepted
version's payload, never from current records, so the form states what the bureau accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from steward.annual.models import AnnualReport, ReportStatus
from steward.carbon.labels import methodology_label
from steward.carbon.models import OutputRecord
from steward.carbon.trace import INDIRECT_CATEGORIES
from steward.documents import copy_of_record
from steward.documents.models import IssuedDocument
from steward.formatting import beijing, quantity
from tenants.access import WorkspaceAccess

DISCLOSURE_PDF = "annual_disclosure"
DISCLOSURE_XLSX = "annual_disclosure_xlsx"
FORMAT_STATUS = "to_verify"
FORMAT_BASIS = "CETS-AG-02.01-V01-2024 等核算指南附件“信息公开格式”（格式条目待核实）"


def _may_view(grant: WorkspaceAccess, document: IssuedDocument) -> bool:
    """A public form: whoever may see the enterprise's submitted data may read it."""
    return grant.allows("view_carbon") or grant.allows("view_submitted_filings")


copy_of_record.register_kind(DISCLOSURE_PDF, "温室气体排放信息公开表", _may_view)
copy_of_record.register_kind(DISCLOSURE_XLSX, "温室气体排放信息公开表（XLSX）", _may_view)


@dataclass(frozen=True)
class Section:
    heading: str
    rows: list[tuple[str, str]]


def _tonnes(value) -> str:
    return f"{quantity(value, 'tCO2')} tCO2"


def sections(report: AnnualReport) -> list[Section]:
    """The form's content, in order, from the accepted version's payload."""
    if report.status != ReportStatus.ACCEPTED:
        raise ValidationError(
            _("信息公开表只能依据主管部门已接收的年度报告生成。"), code="report_not_accepted"
        )
    payload = report.payload
    enterprise = payload["enterprise"]
    lines = payload["lines"]
    indirect = sum(float(line["tco2"]) for line in lines if line.get("category") in INDIRECT_CATEGORIES)
    direct = sum(float(line["tco2"]) for line in lines if line.get("category") not in INDIRECT_CATEGORIES)
    output_labels = dict(OutputRecord.Kind.choices)
    return [
        Section(
            _("一、基本信息"),
            [
                (_("重点排放单位名称"), enterprise["name"]),
                (_("统一社会信用代码"), enterprise["credit_code"]),
                (_("所在地区"), enterprise["jurisdiction"]),
                (_("所属行业"), enterprise["industry"]),
                (_("生产经营场所地址"), enterprise.get("address") or "—"),
                (_("报告年度"), _("%(year)s年") % {"year": payload["year"]}),
            ],
        ),
        Section(
            _("二、温室气体排放量"),
            [
                (_("排放总量"), _tonnes(payload["total_tco2"])),
                (_("直接排放（化石燃料燃烧、工业过程）"), _tonnes(direct)),
                (_("间接排放（净购入电力、热力）"), _tonnes(indirect)),
                (_("纳入配额清缴的排放量（直接排放）"), _tonnes(direct)),
                *[(line["label"], _tonnes(line["tco2"])) for line in lines],
            ],
        ),
        Section(
            _("三、生产经营数据"),
            [
                (
                    str(output_labels.get(kind, kind)),
                    f"{quantity(item['value'], item['unit'])} {item['unit']}",
                )
                for kind, item in payload["outputs"].items()
            ]
            + [
                (item["label"], f"{quantity(item['value'])} {item['unit']}")
                for item in payload["intensities"]
            ],
        ),
        Section(
            _("四、核算方法与数据质量"),
            [
                (_("核算方法"), methodology_label(payload["methodology"])),
                (_("月度数据"), _("%(n)s 个月均已审核并锁定存证") % {"n": len(payload["months"])}),
                (_("数据质量规则包"), "、".join(payload["quality"]["rule_pack_versions"]) or "—"),
            ],
        ),
        Section(
            _("五、报告报送"),
            [
                (_("报告版本"), _("第%(version)s版") % {"version": report.version}),
                (_("报送时间"), beijing(report.submitted_at)),
                (_("主管部门接收时间"), beijing(report.decided_at)),
                (_("报告内容哈希（SHA-256）"), report.payload_sha256),
            ],
        ),
    ]


def document_subject(report: AnnualReport) -> str:
    return f"{report.year}-v{report.version}"


def issue(*, enterprise, report: AnnualReport, by) -> tuple[IssuedDocument, IssuedDocument]:
    """Render and issue the form as PDF and XLSX (the same accepted version gives the same documents)."""
    from reports import disclosure, xlsx

    content = sections(report)
    title = _("%(year)s年度温室气体排放信息公开表") % {"year": report.year}
    common = {"subject": document_subject(report), "by": by}
    name = f"{enterprise.slug}-{report.year}年度信息公开表"
    pdf = copy_of_record.issue_document(
        kind=DISCLOSURE_PDF,
        content=disclosure.render_pdf(title, enterprise.name_zh, content, FORMAT_BASIS),
        filename=f"{name}.pdf",
        generator=disclosure.pdf.GENERATOR,
        **common,
    )
    xlsx = copy_of_record.issue_document(
        kind=DISCLOSURE_XLSX,
        content=disclosure.render_xlsx(title, enterprise.name_zh, content, FORMAT_BASIS),
        filename=f"{name}.xlsx",
        content_type=xlsx.CONTENT_TYPE,
        generator="carbon-steward reports/disclosure.py 1",
        **common,
    )
    return pdf, xlsx


def issued(report: AnnualReport) -> dict[str, IssuedDocument | None]:
    subject = document_subject(report)
    return {
        "pdf": copy_of_record.latest_document(DISCLOSURE_PDF, subject),
        "xlsx": copy_of_record.latest_document(DISCLOSURE_XLSX, subject),
    }
