"""The 碳效 target basis: the target grade's upper K bound × the industry average L of the latest register
grading run × the year's value added."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from steward.budget import services
from tenants.models import User

pytestmark = pytest.mark.django_db
D = Decimal


def inspector():
    return User.objects.get(username="city.inspector")


@pytest.fixture
def industry_pair(graded_pair):
    """Two register enterprises of one industry without a workspace, graded for 2025 from January:

    A: 1,000 MWh × 0.5306 tCO2/MWh (the 2025 grid factor) = 530.6 t, 1,000 万元 → L 0.5306
    B: 2,000 MWh = 1,061.2 t, 1,000 万元 → L 1.0612
    industry average L = (530.6 + 1,061.2) ÷ (1,000 + 1,000) = 0.7959 tCO2/万元

    A's statistics feed has January–June at 1,000 万元 each (6,000 万元 reported); only January has energy, so
    only January enters the grade."""
    return graded_pair({month: ("4000", "1000") for month in range(1, 7)})


def test_the_grade_target_budget_equals_the_hand_computed_figure(industry_pair):
    """Grade 3 (K ∈ (0.8, 1.2]) for A in 2025:

    value added = 6,000 万元 reported over 6 months × 12 ÷ 6 = 12,000 万元 (a forecast, said in the note)
    budget      = 1.2 × 0.7959 tCO2/万元 × 12,000 万元 = 0.95508 × 12,000 = 11,460.96 tCO2"""
    a, _b, run = industry_pair
    budget = services.set_budget(entry=a, year=2025, basis="grade", target_grade=3, by=inspector())
    assert budget.initial_tco2 == D("11460.9600")
    assert (budget.target_grade, budget.target_k) == (3, D("1.2"))
    assert budget.industry_average_l == D("0.7959") and budget.grading_run == run
    assert budget.value_added_10k_cny == D("12000")
    assert budget.intensity_target is None
    assert budget.basis_note == (
        "碳效 3 级目标：K 上限 1.2 × 行业平均 0.7959 tCO2/万元（2025年名录碳效评价）"
        "× 工业增加值（统计部门已报送 6 个月，按月均推算全年）"
    )


def test_without_a_run_of_the_year_the_previous_years_industry_average_is_used(industry_pair, feed):
    """2026 has no grading run: the 2025 run's 0.7959 is used and the note says so. A's 2026 statistics:
    January–June at 100 万元 → 1,200 万元 for the year; grade 1 (K ≤ 0.6): 0.6 × 0.7959 × 1,200 = 573.048 t."""
    a, _b, run = industry_pair
    feed(
        [[a.credit_code, 2026, month, "400", "100"] for month in range(1, 7)],
        kind="statistics_output",
        year=2026,
        name="stats-2026.csv",
    )
    budget = services.set_budget(entry=a, year=2026, basis="grade", target_grade=1, by=inspector())
    assert budget.initial_tco2 == D("573.0480")
    assert budget.grading_run == run
    assert "2025年名录碳效评价，2026年尚无评价" in budget.basis_note


def test_the_worst_grade_cannot_be_a_target(industry_pair):
    a, _b, _run = industry_pair
    with pytest.raises(ValidationError) as error:
        services.set_budget(entry=a, year=2025, basis="grade", target_grade=5, by=inspector())
    assert error.value.code == "target_grade_unbounded"
    assert "5 级没有碳效值 K 的上限" in error.value.messages[0] and "1–4 级" in error.value.messages[0]
    for missing in (None, 9):
        with pytest.raises(ValidationError) as error:
            services.set_budget(entry=a, year=2025, basis="grade", target_grade=missing, by=inspector())
        assert error.value.code == "target_grade_required"
    assert not a.budgets.exists()


def test_an_industry_never_graded_has_no_grade_target(industry_pair, feed):
    a, _b, _run = industry_pair
    other = next(
        e for e in a.__class__.objects.filter(enterprise__isnull=True).exclude(industry_id=a.industry_id)
    )
    feed([[other.credit_code, 2025, 1, "400", "100"]], kind="statistics_output", name="other.csv")
    with pytest.raises(ValidationError) as error:
        services.set_budget(entry=other, year=2025, basis="grade", target_grade=2, by=inspector())
    assert error.value.code == "no_industry_average"
