"""Plausibility: values within the bands real plants show (DOMAIN.md §1.8; heuristics to tune with data)."""

from decimal import Decimal

from steward.quality.registry import WARNING, rule
from steward.quality.rules.common import (
    CEMENT,
    CHANGE_LIMIT,
    CLINKER,
    GUIDE_DQ,
    GUIDE_POWER,
    POWER,
    coal_sources,
    percent,
    relative_change,
)
from steward.quality.text import Message, Term

TCE_GJ = Decimal("29.3076")  # GJ per tonne of standard coal equivalent


def out_of_band(
    sources, parameter: str, low: Decimal, high: Decimal, label: str, shown
) -> list[tuple[str, Message]]:
    """Findings for sources whose `parameter` lies outside [low, high]; `shown` formats values for people."""
    return [
        (
            s.code,
            Message(
                "%(source)s %(parameter)s %(value)s 超出 %(low)s–%(high)s",
                source=s.name,
                parameter=Term(label),
                value=shown(s.parameters[parameter].base),
                low=shown(low),
                high=shown(high),
            ),
        )
        for s in sources
        if parameter in s.parameters and not low <= s.parameters[parameter].base <= high
    ]


def changed_beyond_limit(context, previous_of, template: str) -> list[tuple[str, Message]]:
    """Sources whose quantity moved more than ±20% against `previous_of(source)`."""
    found = []
    for source in context.sources:
        change = (
            relative_change(source.quantity, previous_of(source)) if source.quantity is not None else None
        )
        if change is not None and abs(change) > CHANGE_LIMIT:
            found.append(
                (
                    source.code,
                    Message(template, source=source.name, change=percent(change)),
                )
            )
    return found


@rule(
    "DQ-P01",
    title="燃煤收到基碳含量与低位发热量之比在合理区间",
    category="plausibility",
    severity=WARNING,
    clause=f"{GUIDE_POWER}；核查要点：C_ar/NCV 约 0.024–0.030 tC/GJ，偏低为造假高发特征",
    methodologies=POWER,
)
def carbon_to_heat_ratio(context):
    found = []
    for source in coal_sources(context):
        carbon, ncv = source.parameters.get("carbon_content_ar"), source.parameters.get("ncv")
        if carbon and ncv and ncv.base:
            ratio = carbon.base / ncv.base
            if not Decimal("0.024") <= ratio <= Decimal("0.030"):
                found.append(
                    (
                        source.code,
                        Message(
                            "%(source)s C_ar/NCV = %(ratio)s tC/GJ，超出 %(band)s",
                            source=source.name,
                            ratio=f"{ratio:.5f}",
                            band="0.024–0.030",
                        ),
                    )
                )
    return found


@rule(
    "DQ-P02",
    title="燃煤收到基元素碳含量在合理区间",
    category="plausibility",
    severity=WARNING,
    clause=GUIDE_POWER,
)
def coal_carbon_band(context):
    return out_of_band(
        coal_sources(context),
        "carbon_content_ar",
        Decimal("0.35"),
        Decimal("0.80"),
        "收到基元素碳含量",
        percent,
    )


@rule(
    "DQ-P03", title="燃煤低位发热量在合理区间", category="plausibility", severity=WARNING, clause=GUIDE_POWER
)
def coal_ncv_band(context):
    return out_of_band(coal_sources(context), "ncv", Decimal(12), Decimal(30), "低位发热量（GJ/t）", str)


@rule("DQ-P04", title="碳氧化率在合理区间", category="plausibility", severity=WARNING, clause=GUIDE_DQ)
def oxidation_band(context):
    return out_of_band(context.sources, "oxidation_rate", Decimal("0.90"), Decimal(1), "碳氧化率", percent)


@rule(
    "DQ-P05",
    title="燃煤机组供电碳排放强度在合理区间",
    category="plausibility",
    severity=WARNING,
    clause="核查要点：燃煤机组约 0.78–1.0 tCO2/MWh",
    methodologies=POWER,
)
def implied_intensity_band(context):
    if not coal_sources(context) or not context.result or not context.outputs.get("electricity_supplied"):
        return []
    intensity = Decimal(context.result["total_tco2"]) / context.outputs["electricity_supplied"]
    if Decimal("0.78") <= intensity <= Decimal("1.0"):
        return []
    return [
        (
            "month",
            Message(
                "供电碳排放强度 %(intensity)s tCO2/MWh 超出燃煤机组常见区间 %(band)s",
                intensity=f"{intensity:.4f}",
                band="0.78–1.0",
            ),
        )
    ]


@rule(
    "DQ-P06",
    title="供电标准煤耗在合理区间",
    category="plausibility",
    severity=WARNING,
    clause="核查要点：燃煤机组供电煤耗约 270–340 gce/kWh",
    methodologies=POWER,
)
def heat_rate_band(context):
    supplied = context.outputs.get("electricity_supplied")
    coal = [s for s in coal_sources(context) if "ncv" in s.parameters]
    if not supplied or not coal:
        return []
    tce = sum(s.quantity * s.parameters["ncv"].base for s in coal) / TCE_GJ
    grams_per_kwh = tce * 1_000_000 / (supplied * 1000)
    if Decimal(270) <= grams_per_kwh <= Decimal(340):
        return []
    return [
        (
            "month",
            Message(
                "供电标准煤耗 %(rate)s gce/kWh 超出 %(band)s", rate=f"{grams_per_kwh:.1f}", band="270–340"
            ),
        )
    ]


@rule(
    "DQ-P07",
    title="环比变化超过 ±20% 须说明原因",
    category="plausibility",
    severity=WARNING,
    clause=f"{GUIDE_DQ} 波动核查",
)
def month_over_month(context):
    return changed_beyond_limit(
        context, lambda source: source.previous_quantity, "%(source)s 较上月变化 %(change)s，请说明原因"
    )


@rule(
    "DQ-P08",
    title="同比变化超过 ±20% 须说明原因",
    category="plausibility",
    severity=WARNING,
    clause=f"{GUIDE_DQ} 波动核查",
)
def year_over_year(context):
    return changed_beyond_limit(
        context, lambda source: source.last_year_quantity, "%(source)s 较去年同月变化 %(change)s，请说明原因"
    )


@rule(
    "DQ-P09",
    title="熟料氧化钙含量在合理区间",
    category="plausibility",
    severity=WARNING,
    clause="水泥熟料生产核算方法",
    methodologies=CEMENT,
)
def clinker_cao_band(context):
    return out_of_band(
        context.sources_of(CLINKER), "clinker_cao", Decimal("0.60"), Decimal("0.70"), "熟料 CaO", percent
    )
