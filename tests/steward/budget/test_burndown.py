"""The burn-down and its warnings as plain functions (no database): pro-rata linear and seasonal, the months'
sources, each rule of data/warning_rules.csv at its threshold."""

from decimal import Decimal

from steward.budget import burndown
from steward.budget.burndown import QUICK, SEALED, burn_down, warning_rules

D = Decimal


def months(values: dict[int, str], source=QUICK):
    return {month: (D(value), source) for month, value in values.items()}


def test_linear_pro_rata_and_cumulative_with_each_months_source():
    actual = {1: (D("90"), SEALED), 2: (D("100"), QUICK), 3: (D("95"), SEALED)}
    burn = burn_down(D("1200"), actual)
    assert burn.as_of == 3
    assert [row.source for row in burn.rows[:4]] == [SEALED, QUICK, SEALED, None]
    assert burn.cumulative == D("285")
    assert burn.planned == D("300")
    assert burn.projected == D("1140")
    assert burn.level == "ok"
    assert burn.sources == {SEALED: 2, QUICK: 1}


def test_seasonal_profile_follows_last_years_months_and_falls_back_to_linear_without_twelve():
    reference = {month: D("200") if month <= 6 else D("100") for month in range(1, 13)}
    burn = burn_down(D("1800"), months({1: "200"}), profile="seasonal", reference=reference)
    assert burn.profile == "seasonal"
    assert burn.rows[0].planned == D("200")  # 200 of 1,800 last year → 1/9 of the budget
    partial = burn_down(D("1800"), months({1: "200"}), profile="seasonal", reference={1: D("5")})
    assert partial.profile == "linear"
    assert partial.rows[0].planned == D("150")


def test_a_month_without_a_figure_before_the_last_one_is_named():
    burn = burn_down(D("1200"), months({1: "100", 3: "100"}))
    assert burn.missing == (2,)


def rule(name):
    return next(r for r in warning_rules() if r.rule == name)


def test_rules_are_data_with_source_and_status():
    names = {r.rule for r in warning_rules()}
    assert {"ahead_of_pace", "used_before_pace", "projected_overrun", "overrun"} <= names
    assert all(r.source_document and r.status in {"verified", "to_verify"} for r in warning_rules())


def test_ahead_of_pace_is_attention_just_above_its_threshold():
    threshold = rule("ahead_of_pace").threshold  # 10 %
    on_edge = burn_down(D("1200"), months({1: str(100 * (1 + threshold))}), rules=[rule("ahead_of_pace")])
    assert on_edge.level == "ok"
    above = burn_down(D("1200"), months({1: str(100 * (1 + threshold) + 1)}), rules=[rule("ahead_of_pace")])
    assert above.level == "attention"
    assert "累计排放高于进度预算" in above.raised[0].text


def test_eighty_percent_used_before_the_pro_rata_point_is_a_warning():
    only = [rule("used_before_pace")]
    # six months (50 % of the year) and 80 % used → warning; the same 80 % after ten months (83 %) is not
    early = burn_down(D("1200"), months(dict.fromkeys(range(1, 7), "160")), rules=only)
    assert early.level == "warning"
    assert early.first_raised == {"used_before_pace": 6}
    late = burn_down(D("1200"), months(dict.fromkeys(range(1, 11), "96")), rules=only)
    assert late.used_share == D("0.8")
    assert late.level == "ok"


def test_projected_overrun_beyond_the_elastic_band_and_overrun_at_the_budget():
    only = [rule("projected_overrun")]
    within = burn_down(D("1200"), months(dict.fromkeys(range(1, 4), "104")), rules=only)  # 104 %
    assert within.level == "ok"
    beyond = burn_down(D("1200"), months(dict.fromkeys(range(1, 4), "106")), rules=only)  # 106 %
    assert beyond.level == "warning"
    full = burn_down(D("1200"), months(dict.fromkeys(range(1, 13), "101")))
    assert full.level == "overrun"  # the year is complete: no projection, the overrun itself
    assert {r.rule for r in full.raised} >= {"overrun"} and "projected_overrun" not in {
        r.rule for r in full.raised
    }


def test_the_highest_level_wins():
    burn = burn_down(D("1200"), months(dict.fromkeys(range(1, 7), "210")))
    assert {r.rule for r in burn.raised} >= {
        "ahead_of_pace",
        "used_before_pace",
        "projected_overrun",
        "overrun",
    }
    assert burn.level == "overrun"
    assert burndown.highest(()) == "ok"
