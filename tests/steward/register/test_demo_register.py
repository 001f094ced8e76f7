"""The demo register: generated Huzhou enterprises with valid credit codes, the platform's own linked, a year of
feeds imported once however often it is loaded."""

import pytest

from steward.register.demo import load_demo_register
from steward.register.models import EnergyRecord, FeedBatch, GradingRun, OutputRecord, RegisteredEnterprise
from steward.register.selectors import grade_distribution
from tenants.credit_code import validate_credit_code
from tenants.models import Enterprise

pytestmark = pytest.mark.django_db


def test_the_demo_register_loads_once_with_a_year_of_feeds():
    counts = load_demo_register(40, year=2025)
    enterprises = Enterprise.objects.count()
    assert counts == {
        "registered": 40 + enterprises,
        "year": 2025,
        "batches_created": 4,
        "graded": 40 + enterprises,
    }
    for entry in RegisteredEnterprise.objects.all():
        validate_credit_code(entry.credit_code)
    assert RegisteredEnterprise.objects.filter(enterprise__isnull=False).count() == enterprises
    assert len({e.jurisdiction_id for e in RegisteredEnterprise.objects.filter(enterprise__isnull=True)}) == 7
    assert EnergyRecord.objects.count() == (40 + enterprises) * 12 * 6
    assert OutputRecord.objects.count() == (40 + enterprises) * 12
    assert load_demo_register(40, year=2025)["batches_created"] == 0
    assert FeedBatch.objects.count() == 4
    assert GradingRun.objects.filter(year=2025).count() == 1  # loaded twice, graded once


def test_the_demo_grades_spread_over_all_five_grades():
    load_demo_register(60, year=2025)
    counts = {row.grade: row.enterprises for row in grade_distribution(2025) if row.grade}
    assert set(counts) == {1, 2, 3, 4, 5}


def test_the_demo_cement_plant_has_one_month_far_from_its_sealed_figure_in_the_queue():
    from steward.demo.period import last_month
    from steward.factors.source import FactorSnapshot
    from steward.oversight.risk import spot_check_queue
    from steward.register.carriers import gap_rule
    from steward.register.demo import OFF_MONTH
    from steward.register.selectors import sealed_comparison

    year = last_month()[0] - 1  # the demo cement plant's fully sealed year (also on 1 January)
    load_demo_register(10)
    cement = Enterprise.objects.get(slug="wx-cement")
    rows = sealed_comparison(year, FactorSnapshot.current(), enterprise_ids=[cement.pk])
    assert len(rows) == 12
    flagged = [row.month for row in rows if abs(row.gap) > gap_rule().threshold]
    assert flagged == [OFF_MONTH]
    queue = spot_check_queue({cement.jurisdiction_id}, year, OFF_MONTH)
    (item,) = [item for item in queue if item.fact.enterprise_id == cement.pk]
    assert any(reason.text.startswith("速算") for reason in item.reasons)
