"""The steward's portfolio cells read as the figures elsewhere: grouped, tonnes to the hundredth."""

from decimal import Decimal

from django.utils import translation

from frontend.templatetags.oversight_tags import metric_text
from steward.oversight.models import Metric


def test_a_compliance_position_reads_in_grouped_tonnes_and_a_count_without_decimals():
    with translation.override("zh-hans"):
        surplus = metric_text(
            Metric(key="compliance_position", value=Decimal("753500.9067"), label="surplus")
        )
        exceedances = metric_text(Metric(key="exceedances", value=Decimal("1.0000")))
        use = metric_text(Metric(key="permitted_amount_use", value=Decimal("87.5400"), label="warning"))
    assert surplus == "753,500.91 · 盈余"  # was 753500.9067 · 盈余
    assert exceedances == "1" and use == "87.54 · 预警"
