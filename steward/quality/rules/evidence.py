"""Evidence: measured values are backed by qualified lab reports whose files are intact."""

from decimal import Decimal

from steward.carbon.parameter_sets import lab_parameter_names
from steward.quality.registry import BLOCKING, WARNING, rule
from steward.quality.rules.common import ELECTRICITY, GUIDE_DQ, GUIDE_POWER, figure, term
from steward.quality.text import Message

MEASURED_FROM_LAB = {
    "ncv",
    "carbon_content_ar",
    "carbon_content_ad",
    "moisture_ar",
    "moisture_ad",
    "hydrogen_ad",
    "sulphur_ad",
    "carbon_content_per_heat",
    "clinker_cao",
    "clinker_mgo",
    "noncarbonate_cao",
    "noncarbonate_mgo",
    "raw_meal_carbon",
} | lab_parameter_names()  # the sectors' lab-backed process values (steward/carbon/parameter_sets.py)


def lab_parameters(context):
    for source in context.sources:
        for parameter in source.parameters.values():
            if parameter.name in MEASURED_FROM_LAB:
                yield source, parameter


@rule(
    "DQ-E01", title="实测参数附有检测报告", category="evidence", severity=BLOCKING, clause=f"{GUIDE_DQ} 证据"
)
def measured_parameters_have_reports(context):
    return [
        (s.code, Message("%(source)s 的%(parameter)s没有关联检测报告", source=s.name, parameter=term(p.name)))
        for s, p in lab_parameters(context)
        if p.lab_report is None
    ]


@rule(
    "DQ-E02",
    title="检测机构具有 CMA 或 CNAS 资质编号",
    category="evidence",
    severity=BLOCKING,
    clause=f"{GUIDE_POWER}：检测报告须加盖 CMA 或 CNAS 标识",
)
def reports_are_accredited(context):
    found = set()
    for source, parameter in lab_parameters(context):
        report = parameter.lab_report
        if report and (
            report.accreditation not in {"CMA", "CNAS"} or not report.accreditation_number.strip()
        ):
            found.add((source.code, report.report_number))
    return [
        (code, Message("检测报告 %(report)s 缺少 CMA/CNAS 资质编号", report=number))
        for code, number in sorted(found)
    ]


@rule(
    "DQ-E03",
    title="检测报告采样期覆盖本月",
    category="evidence",
    severity=BLOCKING,
    clause=f"{GUIDE_POWER} 月缩分样",
)
def reports_cover_the_month(context):
    found = set()
    for source, parameter in lab_parameters(context):
        report = parameter.lab_report
        if report and (report.sampling_start > context.first_day or report.sampling_end < context.last_day):
            found.add((source.code, report.report_number, report.sampling_start, report.sampling_end))
    return [
        (
            code,
            Message(
                "检测报告 %(report)s 采样期 %(start)s—%(end)s 未覆盖本月", report=number, start=start, end=end
            ),
        )
        for code, number, start, end in sorted(found)
    ]


@rule(
    "DQ-E04", title="检测报告文件完整", category="evidence", severity=BLOCKING, clause=f"{GUIDE_DQ} 证据存证"
)
def report_files_are_intact(context):
    found = set()
    for source, parameter in lab_parameters(context):
        report = parameter.lab_report
        if report and report.evidence_intact is False:
            found.add((source.code, report.report_number))
    return [
        (code, Message("检测报告 %(report)s 的文件哈希与存证不一致", report=number))
        for code, number in sorted(found)
    ]


@rule(
    "DQ-E05",
    title="外购电量以电网结算单为依据",
    category="evidence",
    severity=WARNING,
    clause=f"{GUIDE_DQ} 证据",
)
def electricity_from_the_bill(context):
    return [
        (s.code, Message("%(source)s 的数据来源不是电网结算凭证", source=s.name))
        for s in context.sources_of(ELECTRICITY)
        if s.quantity is not None and s.data_source != "settlement_voucher"
    ]


@rule(
    "DQ-E06",
    title="外购电量与所附电网结算单一致",
    category="evidence",
    severity=BLOCKING,
    clause=f"{GUIDE_POWER} 净购入电量以电网结算单为准；核查要点：外购电量须与电费单一致",
    parameters={"tolerance": Decimal("0.005")},
)
def electricity_matches_the_bill(context, *, tolerance: Decimal):
    found = []
    for source in context.sources_of(ELECTRICITY):
        if source.quantity is None:
            continue
        if source.bill is None:
            if source.data_source == "settlement_voucher":
                found.append(
                    (
                        source.code,
                        Message(
                            "%(source)s 以结算凭证为来源，但未附电网结算单及结算电量", source=source.name
                        ),
                    )
                )
            continue
        billed = source.bill.quantity
        gap = (source.quantity - billed) / billed if billed else Decimal(1 if source.quantity else 0)
        if abs(gap) > tolerance:
            found.append(
                (
                    source.code,
                    Message(
                        "%(source)s 填报 %(entered)s，结算单 %(bill)s 为 %(billed)s，相差 %(gap)s，超过 ±%(tolerance)s",
                        source=source.name,
                        entered=figure(source.quantity, "MWh"),
                        bill=source.bill.bill_number,
                        billed=figure(billed, "MWh"),
                        gap=f"{gap * 100:.2f}%",
                        tolerance=f"{tolerance * 100:.1f}%",
                    ),
                )
            )
    return found
