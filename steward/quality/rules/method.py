"""Method conformity: the data follow the control plan and the instruments are fit for use."""

from steward.carbon.labels import INPUT_LABELS as FACTOR_LABELS
from steward.carbon.models import MeasuredParameter
from steward.quality.plans import ACTIVITY
from steward.quality.registry import BLOCKING, INFO, WARNING, rule
from steward.quality.rules.common import GUIDE_DQ, POWER, coal_sources
from steward.quality.text import Message, Term

PLAN = "数据质量控制计划"


@rule(
    "DQ-M01",
    title="计划要求实测的参数未实测",
    category="method_conformity",
    severity=BLOCKING,
    clause=f"{PLAN}：计划规定实测而使用缺省值属不符合项",
)
def planned_measurements_made(context):
    found = []
    for source in context.sources:
        if source.quantity is None:
            continue  # a source without its figure is DQ-C01's finding, not a missing measurement
        for parameter, method in source.planned_methods.items():
            # The plan's "quantity" is the activity figure itself, entered as the record's quantity.
            if method == "measured" and parameter != ACTIVITY and parameter not in source.parameters:
                label = dict(MeasuredParameter.Name.choices).get(parameter, parameter)
                found.append(
                    (
                        source.code,
                        Message(
                            "%(source)s 的%(parameter)s按控制计划应实测，但未提供",
                            source=source.name,
                            parameter=Term(str(label)),
                        ),
                    )
                )
    return found


@rule(
    "DQ-M02",
    title="计量器具在检定/校准有效期内",
    category="method_conformity",
    severity=BLOCKING,
    clause="《碳排放权交易管理暂行条例》第十一条：使用经检定或校准的计量器具",
)
def meters_calibrated(context):
    found = []
    for source in context.sources:
        for meter in source.meters:
            if not meter.calibrated_on <= context.first_day or meter.calibration_due_on < context.last_day:
                found.append(
                    (
                        source.code,
                        Message(
                            "计量器具 %(meter)s（%(serial)s）在本月不在检定/校准有效期内",
                            meter=meter.name,
                            serial=meter.serial_number,
                        ),
                    )
                )
    return found


@rule(
    "DQ-M03",
    title="使用了待核实的因子或缺省值",
    category="method_conformity",
    severity=INFO,
    clause=f"{GUIDE_DQ} 因子来源",
)
def unconfirmed_factors(context):
    if not context.result:
        return []
    found = []
    for warning in context.result.get("warnings", []):
        if warning["code"] not in {"unconfirmed_factor", "default_used"}:
            continue
        what = FACTOR_LABELS.get(warning.get("parameter", ""), warning.get("parameter", ""))
        label = warning.get("label") or warning["line"]
        if warning["code"] == "default_used":
            found.append(
                (
                    warning["line"],
                    Message("%(line)s：%(input)s使用缺省值", line=Term(label), input=Term(what)),
                )
            )
        else:
            found.append(
                (
                    warning["line"],
                    Message(
                        "%(line)s：%(input)s取自因子库中尚待核实的数值", line=Term(label), input=Term(what)
                    ),
                )
            )
    return found


@rule(
    "DQ-M04",
    title="燃煤消耗量以入炉煤计量为准",
    category="method_conformity",
    severity=WARNING,
    clause="生态环境部问答：优先采用每日入炉煤计量；采用入厂煤的须在报告中说明原因",
    methodologies=POWER,
)
def furnace_coal_metering(context):
    return [
        (s.code, Message("%(source)s 的消耗量未采用生产系统（入炉煤）计量，请说明原因", source=s.name))
        for s in coal_sources(context)
        if s.data_source != "production_metering"
    ]
