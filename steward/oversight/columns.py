"""Metric columns other domains fill through projectors, and the engagement scope each belongs to.

A domain that projects a Metric with one of these keys gets a column in the steward portfolio (for stewards
whose engagement covers the scope) and a distribution on the bureau dashboard. See docs/oversight.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MetricColumn:
    key: str
    label: str
    scope: str  # "carbon" or "environmental"
    kind: str  # "value" (summed / shown as a number) or "label" (a grade or position, counted per label)
    annual: bool  # month 0 = the whole year


METRIC_COLUMNS = (
    MetricColumn("annual_report_status", _("年度报告"), "carbon", "label", True),
    MetricColumn("compliance_position", _("履约缺口（tCO2）"), "carbon", "value", True),
    MetricColumn("carbon_efficiency_grade", _("碳效等级"), "carbon", "label", True),
    MetricColumn("exceedances", _("超标次数"), "environmental", "value", False),
)
COLUMNS_BY_KEY = {column.key: column for column in METRIC_COLUMNS}
