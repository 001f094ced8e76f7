"""The monthly parameter sets of steel, electrolytic aluminium, flat glass, chemicals and paper
(steward/carbon/parameter_sets.py): present, possible and consistent. Each rule applies to its sectors' months.

Grounds: what the method cannot compute without (DQ-C15, DQ-C16), what is impossible (contents summing above
100 %, sulphur and ash of 100 % or more, more carbon leaving than entering, outlet COD above inlet, an abatement
efficiency without its use rate: DQ-K09–K13, which the methods also refuse; anaerobic treatments whose B0 or MCF
differ, which one month's block cannot hold: DQ-K15), and one heuristic: steel carbon fixed
in products above the carbon-bearing inputs (DQ-K14, a warning: the fuels carry carbon into the process too) and
the aluminium net anode consumption band 350–550 kg/t Al (DQ-P15, typical prebaked-anode figures are about 400–450
kg/t [R]; heuristic, to verify and tune with data). A lab-backed value without its report is DQ-E01, as for every
sector.
"""

from decimal import Decimal

from steward.carbon.parameter_sets import ALUMINIUM, CHEMICALS, GLASS, PAPER, STEEL, parameter_set
from steward.carbon.sector_records import CARBONATE_OF_CONTENT
from steward.quality.registry import BLOCKING, WARNING, rule
from steward.quality.rules.common import figure, labels, percent
from steward.quality.text import Message

SECTORS = (ALUMINIUM, STEEL, GLASS, CHEMICALS, PAPER)
CARBONATE_SECTORS = (GLASS, CHEMICALS, PAPER)
CLAUSE_SECTORS = "各行业核算指南（钢铁、电解铝 2024；平板玻璃、化工、造纸 GB/T 32151 及 2013–2015 行业指南）"
CARBONATE = "carbonate_use"
INPUT, OUTPUT, WASTE = "carbon_input", "carbon_output", "carbon_waste"
ELECTROLYSIS = "aluminium_electrolysis"
N2O_KINDS = ("nitric_acid_process", "adipic_acid_process")
WASTEWATER = "anaerobic_wastewater"
ONE = Decimal(1)


def _entered(context, kind: str):
    return [source for source in context.sources_of(kind) if source.quantity is not None]


def _value(source, name: str) -> Decimal | None:
    parameter = source.parameters.get(name)
    return None if parameter is None else parameter.base


def _carbon_t(context, kinds) -> Decimal:
    """Σ Q × C of the entered materials with a carbon content (t of carbon)."""
    return sum(
        (
            source.quantity * _value(source, "carbon_content")
            for kind in kinds
            for source in _entered(context, kind)
            if _value(source, "carbon_content") is not None
        ),
        Decimal(0),
    )


@rule(
    "DQ-C15",
    title="行业过程排放源的必填参数已填报",
    category="completeness",
    severity=BLOCKING,
    clause=f"{CLAUSE_SECTORS}：缺少则该排放源无法核算",
    methodologies=SECTORS,
)
def required_process_parameters(context):
    found = []
    for source in context.sources:
        if source.quantity is None or source.kind == "fuel_combustion":
            continue
        specs = parameter_set(context.methodology, source.kind)
        missing = [spec.name for spec in specs if spec.required and spec.name not in source.parameters]
        if missing:
            found.append(
                (
                    source.code,
                    Message("%(source)s 缺少%(missing)s", source=source.name, missing=labels(missing)),
                )
            )
    return found


@rule(
    "DQ-C16",
    title="含碳酸盐原料已填报碳酸盐含量",
    category="completeness",
    severity=BLOCKING,
    clause=f"{CLAUSE_SECTORS}：碳酸盐分解排放按各碳酸盐含量计算",
    methodologies=(GLASS, CHEMICALS),
)
def carbonate_content_present(context):
    return [
        (
            source.code,
            Message("%(source)s 未填报任何碳酸盐含量：无法计算碳酸盐分解排放", source=source.name),
        )
        for source in _entered(context, CARBONATE)
        if not set(CARBONATE_OF_CONTENT) & set(source.parameters)
    ]


@rule(
    "DQ-K09",
    title="同一原料的碳酸盐含量合计不超过 100%",
    category="consistency",
    severity=BLOCKING,
    clause=f"{CLAUSE_SECTORS}：各碳酸盐为同一原料的质量分数",
    methodologies=CARBONATE_SECTORS,
)
def carbonate_contents_within_whole(context):
    found = []
    for source in _entered(context, CARBONATE):
        total = sum((_value(source, name) or Decimal(0) for name in CARBONATE_OF_CONTENT), Decimal(0))
        if total > ONE:
            found.append(
                (
                    source.code,
                    Message(
                        "%(source)s 的碳酸盐含量合计 %(total)s，超过 100%%",
                        source=source.name,
                        total=percent(total),
                    ),
                )
            )
    return found


@rule(
    "DQ-K10",
    title="阳极含硫量与灰分之和小于 100%",
    category="consistency",
    severity=BLOCKING,
    clause="铝冶炼核算指南（CETS-AG-04.01-V01-2024）：E = P × NC × (1 − S − A) × 44/12",
    methodologies=(ALUMINIUM,),
)
def anode_sulphur_and_ash_below_whole(context):
    found = []
    for source in _entered(context, ELECTROLYSIS):
        sulphur, ash = _value(source, "anode_sulphur"), _value(source, "anode_ash")
        if sulphur is not None and ash is not None and sulphur + ash >= ONE:
            found.append(
                (
                    source.code,
                    Message(
                        "%(source)s 阳极含硫量 %(sulphur)s 与灰分 %(ash)s 之和不小于 100%%",
                        source=source.name,
                        sulphur=percent(sulphur),
                        ash=percent(ash),
                    ),
                )
            )
    return found


@rule(
    "DQ-K11",
    title="产品和废物带出的碳不多于原料投入的碳",
    category="consistency",
    severity=BLOCKING,
    clause="化工生产核算要求（GB/T 32151.10）原料碳平衡：结果为负即有原料漏填或记成了燃料",
    methodologies=(CHEMICALS,),
)
def chemical_carbon_balance(context):
    return _carbon_out_above_in(context, "产品和废物带出的碳 %(out)s 多于原料投入的碳 %(entered)s")


def _carbon_out_above_in(context, text: str) -> list:
    """One month finding when the carbon leaving in products and wastes exceeds the carbon-bearing inputs."""
    carbon_in, carbon_out = _carbon_t(context, (INPUT,)), _carbon_t(context, (OUTPUT, WASTE))
    if carbon_out <= carbon_in:
        return []
    return [("month", Message(text, out=figure(carbon_out, "t"), entered=figure(carbon_in, "t")))]


@rule(
    "DQ-K12",
    title="厌氧处理出口 COD 不高于进口 COD",
    category="consistency",
    severity=BLOCKING,
    clause="造纸行业核算指南（2015）废水厌氧处理：出口浓度高于进口将使甲烷排放为负",
    methodologies=(PAPER,),
)
def cod_falls_through_treatment(context):
    found = []
    for source in _entered(context, WASTEWATER):
        cod_in, cod_out = _value(source, "cod_in"), _value(source, "cod_out")
        if cod_in is not None and cod_out is not None and cod_out > cod_in:
            found.append(
                (
                    source.code,
                    Message(
                        "%(source)s 出口 COD %(out)s 高于进口 COD %(entered)s",
                        source=source.name,
                        out=figure(cod_out, "kg/m3"),
                        entered=figure(cod_in, "kg/m3"),
                    ),
                )
            )
    return found


@rule(
    "DQ-K13",
    title="N2O 尾气处理的去除效率与使用率成对填报",
    category="consistency",
    severity=BLOCKING,
    clause="化工生产核算要求（GB/T 32151.10）硝酸、己二酸生产 N2O：E = P × EF × (1 − η × μ)",
    methodologies=(CHEMICALS,),
)
def abatement_pair(context):
    found = []
    names = ("abatement_efficiency", "abatement_use")
    for kind in N2O_KINDS:
        for source in _entered(context, kind):
            given = [name for name in names if name in source.parameters]
            if len(given) == 1:
                missing = [name for name in names if name not in given]
                found.append(
                    (
                        source.code,
                        Message(
                            "%(source)s 填报了%(given)s，但缺少%(missing)s",
                            source=source.name,
                            given=labels(given),
                            missing=labels(missing),
                        ),
                    )
                )
    return found


@rule(
    "DQ-K14",
    title="钢铁产品固碳不超过含碳物料输入（启发式）",
    category="consistency",
    severity=WARNING,
    clause="钢铁生产核算指南（按工序碳平衡）；启发式：燃料也带入碳，须核实",
    methodologies=(STEEL,),
)
def steel_fixed_carbon_within_inputs(context):
    return _carbon_out_above_in(
        context, "产品固碳 %(out)s 多于含碳物料输入 %(entered)s：过程排放为负，请核对是否漏填含碳输入"
    )


@rule(
    "DQ-P15",
    title="阳极净耗在合理区间（启发式）",
    category="plausibility",
    severity=WARNING,
    clause="铝冶炼核算指南（CETS-AG-04.01-V01-2024）；启发式：预焙阳极净耗约 400–450 kg/t 铝，待核实",
    methodologies=(ALUMINIUM,),
    parameters={"low": Decimal("350"), "high": Decimal("550")},
)
def net_anode_band(context, *, low: Decimal, high: Decimal):
    found = []
    for source in _entered(context, ELECTROLYSIS):
        value = _value(source, "net_anode_consumption")
        if value is not None and not low <= value <= high:
            found.append(
                (
                    source.code,
                    Message(
                        "%(source)s 阳极净耗 %(value)s 超出 %(low)s–%(high)s",
                        source=source.name,
                        value=figure(value, "kg/t"),
                        low=figure(low, "kg/t"),
                        high=figure(high, "kg/t"),
                    ),
                )
            )
    return found


@rule(
    "DQ-K15",
    title="多个废水厌氧处理的 B0、MCF 一致",
    category="consistency",
    severity=BLOCKING,
    clause="造纸行业核算指南（2015）废水厌氧处理：本月只能按一组 B0、MCF 合并计算",
    methodologies=(PAPER,),
)
def wastewater_factors_agree(context):
    treatments = _entered(context, WASTEWATER)
    factors = {(_value(s, "methane_capacity"), _value(s, "methane_correction")) for s in treatments}
    if len(factors) <= 1:
        return []
    return [
        (
            "month",
            Message(
                "本月 %(count)s 个废水厌氧处理的最大产甲烷能力或甲烷修正因子不同，无法合并计算：请统一取值",
                count=len(treatments),
            ),
        )
    ]
