"""Timeliness: within the jurisdiction's window, and never for a month that has not ended."""

from steward.quality.registry import BLOCKING, WARNING, rule
from steward.quality.rules.common import GUIDE_POWER
from steward.quality.text import Message


@rule(
    "DQ-T01",
    title="在截止日期前填报",
    category="timeliness",
    severity=WARNING,
    clause=f"{GUIDE_POWER}：月度存证于月结束后 40 个自然日内完成（区县可更严）",
)
def filed_before_deadline(context):
    if context.checked_on > context.deadline:
        days = (context.checked_on - context.deadline).days
        return [
            (
                "month",
                Message(
                    "已超过截止日期 %(deadline)s（逾期 %(days)s 天）", deadline=context.deadline, days=days
                ),
            )
        ]
    return []


@rule("DQ-T02", title="不得填报尚未结束的月份", category="timeliness", severity=BLOCKING, clause="数据真实性")
def month_has_ended(context):
    return (
        [("month", Message("%(year)s年%(month)s月尚未结束", year=context.year, month=context.month))]
        if context.checked_on <= context.last_day
        else []
    )
