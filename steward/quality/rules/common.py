from decimal import Decimal

from steward.carbon.methods.common import COAL_FUELS
from steward.carbon.models import MeasuredParameter
from steward.formatting import quantity
from steward.quality.text import Term, Terms

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


def parameter_label(name: str) -> str:
    """A measured parameter as findings name it for people (ncv → 低位发热量)."""
    return str(dict(MeasuredParameter.Name.choices).get(name, name))


def term(name: str) -> Term:
    """A measured parameter's label inside a message, translated where the message is shown."""
    return Term(parameter_label(name))


def labels(names) -> Terms:
    return Terms.of(parameter_label(name) for name in names)


def figure(value, unit: str) -> str:
    """A quantity in a finding's message: grouped, the unit's decimals, never exponent notation."""
    return f"{quantity(value, unit)} {unit}"
