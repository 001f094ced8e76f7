"""The cement plant's monthly 存证 parameter set (CETS-AG-02.01-V01-2024, 环办气候函〔2024〕321号; the items
[R], see steward/carbon/parameter_sets.py): present, possible, plausible and consistent. These rules apply to
cement months only; the power rules (outputs, heat rate, station use, furnace coal) are scoped to power.

Plausibility bands are heuristics to tune with data [R]: clinker MgO up to 5.0 % (GB/T 21372 limit), raw meal
1.45–1.70 t per t clinker, raw-meal non-fuel carbon up to 1 %, dust leaving the kiln system up to 5 % of the
clinker, clinker output within ±25 % of the mean of the last three months.
"""

from decimal import Decimal

from steward.quality.registry import BLOCKING, WARNING, rule
from steward.quality.rules.common import (
    CEMENT,
    CLINKER,
    ELECTRICITY,
    FUEL,
    GUIDE_DQ,
    figure,
    labels,
    percent,
    relative_change,
    term,
)
from steward.quality.text import Message, Term

GUIDE_CEMENT = "水泥熟料生产核算指南（CETS-AG-02.01-V01-2024）"
CLAUSE_MONTHLY = f"{GUIDE_CEMENT} 月度存证"
NONCARBONATE = {"clinker_cao": "noncarbonate_cao", "clinker_mgo": "noncarbonate_mgo"}
DUSTS = ("kiln_dust", "bypass_dust")


def _clinker(context):
    return [source for source in context.sources_of(CLINKER) if source.quantity is not None]


def _value(source, name: str) -> Decimal | None:
    parameter = source.parameters.get(name)
    return None if parameter is None else parameter.base


@rule(
    "DQ-C09",
    title="已登记熟料生产过程排放源（熟料产量）",
    category="completeness",
    severity=BLOCKING,
    clause=CLAUSE_MONTHLY,
    methodologies=CEMENT,
)
def clinker_source_registered(context):
    if context.sources_of(CLINKER):
        return []  # a registered line without its month's figure is DQ-C01's finding
    return [("month", Message("尚未登记熟料生产过程排放源，无法填报熟料产量"))]


@rule(
    "DQ-C10",
    title="熟料非碳酸盐氧化钙、氧化镁含量已填报",
    category="completeness",
    severity=BLOCKING,
    clause=f"{CLAUSE_MONTHLY}：无电石渣、钢渣等非碳酸盐原料时填 0",
    methodologies=CEMENT,
)
def noncarbonate_parts_present(context):
    found = []
    for source in _clinker(context):
        missing = [name for name in NONCARBONATE.values() if name not in source.parameters]
        if missing:
            found.append(
                (
                    source.code,
                    Message(
                        "%(source)s 缺少%(missing)s（无非碳酸盐原料时填 0）",
                        source=source.name,
                        missing=labels(missing),
                    ),
                )
            )
    return found


@rule(
    "DQ-C11",
    title="生料量与生料非燃料碳含量成对填报",
    category="completeness",
    severity=BLOCKING,
    clause=f"{GUIDE_CEMENT} 生料中非燃料碳煅烧",
    methodologies=CEMENT,
)
def raw_meal_pair(context):
    found = []
    for source in _clinker(context):
        given = {name for name in ("raw_meal", "raw_meal_carbon") if name in source.parameters}
        if len(given) == 1:
            missing = ({"raw_meal", "raw_meal_carbon"} - given).pop()
            found.append(
                (
                    source.code,
                    Message(
                        "%(source)s 填报了%(given)s，但缺少%(missing)s",
                        source=source.name,
                        given=labels(sorted(given)),
                        missing=labels([missing]),
                    ),
                )
            )
    return found


@rule(
    "DQ-C12",
    title="生料非燃料碳已填报",
    category="completeness",
    severity=WARNING,
    clause=f"{GUIDE_CEMENT} 生料中非燃料碳煅烧",
    methodologies=CEMENT,
)
def raw_meal_present(context):
    return [
        (
            source.code,
            Message(
                "%(source)s 未填报生料消耗量及生料非燃料碳含量：生料中非燃料碳煅烧排放未计入",
                source=source.name,
            ),
        )
        for source in _clinker(context)
        if not {"raw_meal", "raw_meal_carbon"} & set(source.parameters)
    ]


@rule(
    "DQ-C13",
    title="熟料生产设施用电已单独填报",
    category="completeness",
    severity=WARNING,
    clause=f"{GUIDE_CEMENT} 熟料生产设施与企业层级两级报告",
    methodologies=CEMENT,
)
def facility_electricity_present(context):
    return [
        (
            source.code,
            Message("%(source)s 未填报其中熟料生产设施用电量：购入电力只计入企业层级", source=source.name),
        )
        for source in context.sources_of(ELECTRICITY)
        if source.quantity is not None and "clinker_facility_electricity" not in source.parameters
    ]


@rule(
    "DQ-C14",
    title="燃料低位发热量已实测",
    category="completeness",
    severity=WARNING,
    clause=f"{CLAUSE_MONTHLY}：燃料低位发热量及检测报告",
    methodologies=CEMENT,
)
def fuel_ncv_measured(context):
    return [
        (source.code, Message("%(source)s 缺少低位发热量实测值，将取因子库缺省值", source=source.name))
        for source in context.sources_of(FUEL)
        if source.quantity is not None and "ncv" not in source.parameters
    ]


@rule(
    "DQ-K06",
    title="非碳酸盐氧化钙、氧化镁不高于熟料中总含量",
    category="consistency",
    severity=BLOCKING,
    clause=f"{GUIDE_CEMENT}：非碳酸盐部分高于总含量将使过程排放为负",
    methodologies=CEMENT,
)
def noncarbonate_within_total(context):
    found = []
    for source in _clinker(context):
        for total, part in NONCARBONATE.items():
            whole, share = _value(source, total), _value(source, part)
            if whole is not None and share is not None and share > whole:
                found.append(
                    (
                        source.code,
                        Message(
                            "%(source)s 的%(part)s %(share)s 高于%(total)s %(whole)s",
                            source=source.name,
                            part=term(part),
                            share=percent(share),
                            total=term(total),
                            whole=percent(whole),
                        ),
                    )
                )
    return found


@rule(
    "DQ-K07",
    title="熟料生产设施用电不超过净购入电量",
    category="consistency",
    severity=BLOCKING,
    clause=f"{GUIDE_CEMENT} 熟料生产设施与企业层级两级报告",
    methodologies=CEMENT,
)
def facility_electricity_within_total(context):
    found = []
    for source in context.sources_of(ELECTRICITY):
        part = _value(source, "clinker_facility_electricity")
        if part is not None and source.quantity is not None and part > source.quantity:
            found.append(
                (
                    source.code,
                    Message(
                        "%(source)s 其中熟料生产设施用电 %(part)s 超过净购入电量 %(total)s",
                        source=source.name,
                        part=figure(part, "MWh"),
                        total=figure(source.quantity, "MWh"),
                    ),
                )
            )
    return found


@rule(
    "DQ-K08",
    title="熟料产量与产出数据一致",
    category="consistency",
    severity=WARNING,
    clause=f"{GUIDE_DQ} 一致性：同一数据只有一个数值",
    methodologies=CEMENT,
    parameters={"tolerance": Decimal("0.005")},
)
def clinker_output_agrees(context, *, tolerance: Decimal):
    reported = context.outputs.get("clinker_output")
    lines = _clinker(context)
    if reported is None or not lines:
        return []
    total = sum((source.quantity for source in lines), Decimal(0))
    change = relative_change(reported, total)
    if change is None or abs(change) <= tolerance:
        return []
    return [
        (
            "month",
            Message(
                "产出数据中熟料产量 %(reported)s 与熟料生产线合计 %(total)s 不一致",
                reported=figure(reported, "t"),
                total=figure(total, "t"),
            ),
        )
    ]


def _band(context, shown, low: Decimal, high: Decimal, label: str, value_of) -> list[tuple[str, Message]]:
    """Clinker lines whose `value_of(source)` lies outside [low, high]; `shown` formats values for people."""
    found = []
    for source in _clinker(context):
        value = value_of(source)
        if value is not None and not low <= value <= high:
            found.append(
                (
                    source.code,
                    Message(
                        "%(source)s %(parameter)s %(value)s 超出 %(low)s–%(high)s",
                        source=source.name,
                        parameter=Term(label),
                        value=shown(value),
                        low=shown(low),
                        high=shown(high),
                    ),
                )
            )
    return found


@rule(
    "DQ-P10",
    title="熟料氧化镁含量在合理区间",
    category="plausibility",
    severity=WARNING,
    clause=f"{GUIDE_CEMENT}；GB/T 21372 熟料 MgO 不大于 5.0%",
    methodologies=CEMENT,
    parameters={"low": Decimal("0.005"), "high": Decimal("0.05")},
)
def clinker_mgo_band(context, *, low: Decimal, high: Decimal):
    return _band(context, percent, low, high, "熟料 MgO", lambda s: _value(s, "clinker_mgo"))


@rule(
    "DQ-P11",
    title="生料料耗比在合理区间",
    category="plausibility",
    severity=WARNING,
    clause=f"{GUIDE_CEMENT}；核查要点：生料消耗量约为熟料产量的 1.45–1.70 倍",
    methodologies=CEMENT,
    parameters={"low": Decimal("1.45"), "high": Decimal("1.70")},
)
def raw_meal_ratio_band(context, *, low: Decimal, high: Decimal):
    def ratio(source):
        raw = _value(source, "raw_meal")
        return None if raw is None or not source.quantity else raw / source.quantity

    return _band(context, lambda v: f"{v:.2f}", low, high, "生料料耗比（t/t 熟料）", ratio)


@rule(
    "DQ-P12",
    title="生料非燃料碳含量在合理区间",
    category="plausibility",
    severity=WARNING,
    clause=f"{GUIDE_CEMENT}；核查要点：生料非燃料碳通常低于 1%",
    methodologies=CEMENT,
    parameters={"low": Decimal(0), "high": Decimal("0.01")},
)
def raw_meal_carbon_band(context, *, low: Decimal, high: Decimal):
    return _band(context, percent, low, high, "生料非燃料碳含量", lambda s: _value(s, "raw_meal_carbon"))


@rule(
    "DQ-P13",
    title="窑头粉尘与旁路放风粉尘占熟料比例在合理区间",
    category="plausibility",
    severity=WARNING,
    clause=f"{GUIDE_CEMENT}；核查要点：出窑系统粉尘通常不超过熟料产量的 5%",
    methodologies=CEMENT,
    parameters={"low": Decimal(0), "high": Decimal("0.05")},
)
def dust_share_band(context, *, low: Decimal, high: Decimal):
    def share(source):
        dusts = [_value(source, name) for name in DUSTS if name in source.parameters]
        return None if not dusts or not source.quantity else sum(dusts, Decimal(0)) / source.quantity

    return _band(context, percent, low, high, "粉尘占熟料比例", share)


@rule(
    "DQ-P14",
    title="熟料产量与近三个月均值相比变化超过 ±25% 须说明原因",
    category="plausibility",
    severity=WARNING,
    clause=f"{GUIDE_DQ} 波动核查",
    methodologies=CEMENT,
    parameters={"limit": Decimal("0.25")},
)
def clinker_against_recent_months(context, *, limit: Decimal):
    found = []
    for source in _clinker(context):
        recent = [value for value in source.recent_quantities if value is not None]
        if not recent:
            continue
        mean = sum(recent, Decimal(0)) / len(recent)
        change = relative_change(source.quantity, mean)
        if change is not None and abs(change) > limit:
            found.append(
                (
                    source.code,
                    Message(
                        "%(source)s 熟料产量 %(value)s 较前 %(months)s 个月均值 %(mean)s 变化 %(change)s，请说明原因",
                        source=source.name,
                        value=figure(source.quantity, "t"),
                        months=len(recent),
                        mean=figure(mean, "t"),
                        change=percent(change),
                    ),
                )
            )
    return found
