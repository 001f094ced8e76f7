"""Completeness: every source and every parameter the methodology needs is there."""

from steward.quality.registry import BLOCKING, WARNING, rule
from steward.quality.rules.common import (
    CEMENT,
    CLINKER,
    FUEL,
    GUIDE_DQ,
    GUIDE_POWER,
    POWER,
    coal_sources,
    labels,
)
from steward.quality.text import Message

LAB_CROSS_CHECK = ("hydrogen_ad", "sulphur_ad", "moisture_ar")


@rule(
    "DQ-C01",
    title="每个排放源均有本月数据",
    category="completeness",
    severity=BLOCKING,
    clause=f"{GUIDE_DQ} 完整性",
)
def every_source_has_data(context):
    return [
        (s.code, Message("%(source)s 缺少本月活动数据", source=s.name))
        for s in context.sources
        if s.quantity is None
    ]


@rule(
    "DQ-C02",
    title="燃煤元素碳含量已实测",
    category="completeness",
    severity=WARNING,
    clause=f"{GUIDE_POWER} 表1 / 月度存证",
    methodologies=POWER,
)
def coal_carbon_measured(context):
    found = []
    for source in coal_sources(context):
        has_ar = "carbon_content_ar" in source.parameters
        has_ad = {"carbon_content_ad", "moisture_ar", "moisture_ad"} <= set(source.parameters)
        if not (has_ar or has_ad):
            found.append(
                (
                    source.code,
                    Message("%(source)s 未提供元素碳检测结果，将按高限缺省值计算", source=source.name),
                )
            )
    return found


@rule(
    "DQ-C03",
    title="燃煤低位发热量已实测",
    category="completeness",
    severity=WARNING,
    clause=f"{GUIDE_POWER} 表1",
    methodologies=POWER,
)
def coal_ncv_measured(context):
    return [
        (s.code, Message("%(source)s 缺少低位发热量实测值", source=s.name))
        for s in coal_sources(context)
        if "ncv" not in s.parameters
    ]


@rule(
    "DQ-C04",
    title="检测报告同时给出氢、全硫、水分",
    category="completeness",
    severity=WARNING,
    clause="气候司问答：检测报告须同时给出低位发热量、氢、全硫、水分",
    methodologies=POWER,
)
def lab_cross_check_parameters(context):
    found = []
    for source in coal_sources(context):
        if "carbon_content_ar" in source.parameters or "carbon_content_ad" in source.parameters:
            missing = [name for name in LAB_CROSS_CHECK if name not in source.parameters]
            if missing:
                found.append(
                    (
                        source.code,
                        Message(
                            "%(source)s 检测结果缺少交叉核验参数：%(missing)s",
                            source=source.name,
                            missing=labels(missing),
                        ),
                    )
                )
    return found


@rule(
    "DQ-C05",
    title="发电量与供电量已填报",
    category="completeness",
    severity=BLOCKING,
    clause=f"{GUIDE_POWER} 月度存证",
    methodologies=POWER,
)
def power_outputs_present(context):
    missing = {"electricity_generated": "缺少发电量", "electricity_supplied": "缺少供电量"}
    return [("month", Message(text)) for name, text in missing.items() if name not in context.outputs]


@rule(
    "DQ-C06",
    title="运行小时数已填报",
    category="completeness",
    severity=WARNING,
    clause=f"{GUIDE_POWER} 月度存证",
    methodologies=POWER,
)
def running_hours_present(context):
    return [] if "running_hours" in context.outputs else [("month", "缺少机组运行小时数")]


@rule(
    "DQ-C07",
    title="熟料产量与氧化钙、氧化镁含量已填报",
    category="completeness",
    severity=BLOCKING,
    clause="水泥熟料生产核算方法",
    methodologies=CEMENT,
)
def clinker_data_present(context):
    found = []
    for source in context.sources_of(CLINKER):
        missing = [n for n in ("clinker_cao", "clinker_mgo") if n not in source.parameters]
        if source.quantity is not None and missing:
            found.append(
                (
                    source.code,
                    Message(
                        "%(source)s 缺少熟料成分：%(missing)s", source=source.name, missing=labels(missing)
                    ),
                )
            )
    return found


@rule(
    "DQ-C08",
    title="燃料燃烧源已指定燃料品种",
    category="completeness",
    severity=BLOCKING,
    clause=f"{GUIDE_DQ} 完整性",
)
def fuel_sources_name_their_fuel(context):
    return [
        (s.code, Message("%(source)s 未指定燃料品种", source=s.name))
        for s in context.sources_of(FUEL)
        if not s.fuel_code
    ]
