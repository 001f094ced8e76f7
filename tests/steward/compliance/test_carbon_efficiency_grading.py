"""Carbon-efficiency level and grade against the grading table as loaded from the shipped CSV."""

from decimal import Decimal as D

import pytest

from steward.compliance.grading import grade_enterprise
from steward.compliance.selectors import grading_bands

pytestmark = pytest.mark.django_db


@pytest.fixture
def bands():
    return grading_bands()


def grade(k: str, bands) -> int:
    # L = k × 1.0 with an industry average of 1.0, so K equals the given value exactly.
    levels, grades = bands
    return grade_enterprise(
        emissions_t=D(k) * 1000,
        zero_carbon_t=D(0),
        value_added_10k=D(1000),
        industry_average_l=D(1),
        levels=levels,
        grades=grades,
    ).grade.grade


@pytest.mark.parametrize(
    ("k", "expected"),
    [
        ("0.5", 1),
        ("0.6", 1),
        ("0.6001", 2),
        ("0.8", 2),
        ("0.8001", 3),
        ("1.2", 3),
        ("1.2001", 4),
        ("2.0", 4),
        ("2.0001", 5),
    ],
)
def test_grade_boundaries(bands, k, expected):
    assert grade(k, bands) == expected


@pytest.mark.parametrize(
    ("l_value", "expected"),
    [
        ("0.6", "低碳 low-carbon"),
        ("0.6001", "中碳 medium-carbon"),
        ("2.0", "中碳 medium-carbon"),
        ("2.0001", "高碳 high-carbon"),
    ],
)
def test_level_boundaries(bands, l_value, expected):
    levels, grades = bands
    result = grade_enterprise(
        emissions_t=D(l_value) * 10000,
        zero_carbon_t=D(0),
        value_added_10k=D(10000),
        industry_average_l=D(1),
        levels=levels,
        grades=grades,
    )
    assert result.level.label == expected


def test_worked_grade_with_zero_carbon_deduction(bands):
    levels, grades = bands
    result = grade_enterprise(
        emissions_t=D("125000"),
        zero_carbon_t=D("5000"),
        value_added_10k=D("100000"),
        industry_average_l=D("1.5"),
        levels=levels,
        grades=grades,
    )
    # L = (125,000 − 5,000) ÷ 100,000 = 1.2 → medium; K = 1.2 ÷ 1.5 = 0.8 → grade 2 (light green, to verify)
    assert result.l_value == D("1.2") and result.level.label.startswith("中碳")
    assert result.k_value == D("0.8") and result.grade.grade == 2
    assert result.grade.colour == "light green" and result.grade.colour_status == "to_verify"
    assert result.grade.threshold_status == "verified"


def test_zero_value_added_is_refused(bands):
    levels, grades = bands
    with pytest.raises(ValueError):
        grade_enterprise(
            emissions_t=D(1),
            zero_carbon_t=D(0),
            value_added_10k=D(0),
            industry_average_l=D(1),
            levels=levels,
            grades=grades,
        )
