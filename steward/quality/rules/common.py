from decimal import Decimal

from steward.carbon.methods.common import COAL_FUELS

POWER = ("cn_ets_power_2022",)
CEMENT = ("cn_cement_clinker",)
FUEL = "fuel_combustion"
CLINKER = "clinker_process"
ELECTRICITY = "purchased_electricity"
GUIDE_POWER = "发电设施核算指南（2022年修订版）"
GUIDE_DQ = "碳排放数据质量管理指南"
CHANGE_LIMIT = Decimal("0.20")


def coal_sources(context):
    return [s for s in context.sources_of(FUEL) if s.fuel_code in COAL_FUELS and s.quantity is not None]


def relative_change(new: Decimal, old: Decimal) -> Decimal | None:
    return None if not old else (new - old) / old


def percent(value: Decimal) -> str:
    return f"{value * 100:.1f}%"
