"""Metric columns other domains fill through projectors, and the engagement scope each belongs to.

A domain that projects a Metric with one of these keys gets a column in the steward portfolio (for stewards
whose engagement covers the scope) and a distribution on the bureau dashboard. See docs/oversight.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from steward.formatting import quantity


@dataclass(frozen=True)
class MetricColumn:
    key: str
    label: str
    scope: str  # "carbon" or "environmental"
    kind: str  # "value" (summed / shown as a number) or "label" (a grade or position, counted per label)
    annual: bool  # month 0 = the whole year
    choices: tuple[
        tuple[str, str], ...
    ] = ()  # stored label → text shown; listed in this order on the dashboard
    bureau_labels: tuple[str, ...] | None = None  # only rows with these labels reach the bureau (None: all)
    by_district: bool = False  # the dashboard also sums the value per district
    places: int | None = None  # decimals a cell shows (None: as stored, up to four, without trailing zeros)

    def text(self, label: str) -> str:
        return str(dict(self.choices).get(label, label))

    def shown(self, metric) -> str:
        """What a cell shows: the value (if any) and the label's text (a status, a grade, a position)."""
        parts = [] if metric.value is None else [quantity(metric.value, places=self.places)]
        if metric.label:
            parts.append(self.text(metric.label))
        return " · ".join(parts)


ANNUAL_STATUSES = (
    ("compiled", _("已汇编")),
    ("in_review", _("质量审核中")),
    ("awaiting_signature", _("待签署")),
    ("submitted", _("已报送主管部门")),
    ("accepted", _("主管部门已接收")),
    ("returned", _("已退回")),
)
POSITIONS = (("deficit", _("缺口")), ("surplus", _("盈余")))
GRADES = tuple((str(grade), f"{grade}") for grade in range(1, 6))
# stored as the grading table's labels (steward/factors/data/carbon_efficiency_grading_zj.csv)
LEVELS = (("低碳 low-carbon", _("低碳")), ("中碳 medium-carbon", _("中碳")), ("高碳 high-carbon", _("高碳")))
PERMIT_USE = (("ok", _("正常")), ("warning", _("预警")), ("exceeded", _("超许可量")))

METRIC_COLUMNS = (
    MetricColumn(
        "annual_report_status",
        _("年度报告"),
        "carbon",
        "label",
        True,
        choices=ANNUAL_STATUSES,
        bureau_labels=("submitted", "accepted"),  # drafts, reviews and signatures stay with the enterprise
    ),
    MetricColumn(
        "compliance_position", _("履约缺口（tCO2）"), "carbon", "value", True, choices=POSITIONS, places=2
    ),
    MetricColumn("carbon_efficiency_grade", _("碳效等级"), "carbon", "label", True, choices=GRADES),
    MetricColumn("carbon_efficiency_level", _("碳效水平"), "carbon", "label", True, choices=LEVELS),
    MetricColumn("exceedances", _("超标次数"), "environmental", "value", False, by_district=True),
    MetricColumn(
        "permitted_amount_use", _("许可排放量使用率（%）"), "environmental", "label", True, choices=PERMIT_USE
    ),
)
COLUMNS_BY_KEY = {column.key: column for column in METRIC_COLUMNS}
