"""Consistency: figures that must agree with each other do."""

from decimal import Decimal

from steward.formatting import quantity
from steward.quality.registry import BLOCKING, WARNING, rule
from steward.quality.rules.common import GUIDE_DQ, GUIDE_POWER, POWER, coal_sources, figure, percent
from steward.quality.text import Message

SOURCE_RANK = {"production_metering": 1, "inventory_ledger": 2, "settlement_voucher": 3}


@rule(
    "DQ-K01",
    title="发电量不小于供电量",
    category="consistency",
    severity=BLOCKING,
    clause=f"{GUIDE_POWER} 供电量 = 发电量 − 厂用电量",
    methodologies=POWER,
)
def generation_covers_supply(context):
    generated, supplied = (
        context.outputs.get("electricity_generated"),
        context.outputs.get("electricity_supplied"),
    )
    if generated is not None and supplied is not None and supplied > generated:
        return [
            (
                "month",
                Message(
                    "供电量 %(supplied)s 大于发电量 %(generated)s",
                    supplied=figure(supplied, "MWh"),
                    generated=figure(generated, "MWh"),
                ),
            )
        ]
    return []


@rule(
    "DQ-K02",
    title="厂用电率在合理区间",
    category="consistency",
    severity=WARNING,
    clause="核查要点：燃煤机组厂用电率约 3%–12%",
    methodologies=POWER,
)
def station_use_band(context):
    generated, supplied = (
        context.outputs.get("electricity_generated"),
        context.outputs.get("electricity_supplied"),
    )
    if not generated or supplied is None or supplied > generated:
        return []
    station_use = 1 - supplied / generated
    if Decimal("0.03") <= station_use <= Decimal("0.12"):
        return []
    return [
        ("month", Message("厂用电率 %(rate)s 超出 %(band)s", rate=f"{station_use * 100:.1f}%", band="3%–12%"))
    ]


@rule(
    "DQ-K03",
    title="数据来源优先级不得低于上年",
    category="consistency",
    severity=WARNING,
    clause="生态环境部问答：数据获取优先级不得降低（生产系统计量 > 购销存台账 > 结算凭证）",
)
def data_source_not_downgraded(context):
    found = []
    for source in context.sources:
        now, before = SOURCE_RANK.get(source.data_source), SOURCE_RANK.get(source.last_year_data_source)
        if now and before and now > before:
            found.append((source.code, Message("%(source)s 数据来源较去年同期降级", source=source.name)))
    return found


@rule(
    "DQ-K04",
    title="核算结果可由本月数据算出",
    category="consistency",
    severity=BLOCKING,
    clause=f"{GUIDE_DQ} 规范性",
)
def records_compute(context):
    has_data = any(source.quantity is not None for source in context.sources)
    return (
        [("month", Message("本月数据无法完成核算，请检查单位和参数"))]
        if has_data and context.result is None
        else []
    )


@rule(
    "DQ-K05",
    title="燃煤库存平衡：期初库存 + 购入 − 期末库存 ≈ 消耗量",
    category="consistency",
    severity=WARNING,
    clause=f"{GUIDE_DQ} 真实性：购销存台账与入炉煤量交叉核对",
    parameters={"tolerance": Decimal("0.02")},
)
def coal_mass_balance(context, *, tolerance: Decimal):
    found = []
    for source in coal_sources(context):
        if source.stock is None or not source.quantity:
            continue
        implied = source.stock.implied_consumption
        gap = (source.quantity - implied) / source.quantity
        if abs(gap) > tolerance:
            found.append(
                (
                    source.code,
                    Message(
                        "%(source)s 消耗量 %(consumed)s 与库存平衡 %(implied)s"
                        "（%(opening)s + %(receipts)s − %(closing)s）相差 %(gap)s，超过 ±%(tolerance)s",
                        source=source.name,
                        consumed=figure(source.quantity, "t"),
                        implied=figure(implied, "t"),
                        opening=quantity(source.stock.opening, "t"),
                        receipts=quantity(source.stock.receipts, "t"),
                        closing=quantity(source.stock.closing, "t"),
                        gap=percent(gap),
                        tolerance=percent(tolerance),
                    ),
                )
            )
    return found
