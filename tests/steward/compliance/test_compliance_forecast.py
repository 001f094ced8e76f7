"""In-year forecast: run-rate and seasonal profile, with the range and the warning, worked by hand."""

from decimal import Decimal as D

from steward.compliance.forecast import RUN_RATE, SEASONAL, forecast_year


def test_run_rate_without_last_year():
    f = forecast_year({1: D(100), 2: D(90), 3: D(110)}, {})
    # done 300; mean 100 → 300 + 100 × 9 = 1,200; range 300 + 90 × 9 = 1,110 … 300 + 110 × 9 = 1,290
    assert f.method == RUN_RATE and f.months_locked == 3
    assert (f.low, f.point, f.high) == (D(1110), D(1200), D(1290))
    assert f.remaining[12] == D(100) and 3 not in f.remaining
    assert f.warning(D(1150)) == "likely"  # 1,200 > 1,150
    assert f.warning(D(1250)) == "possible"  # 1,200 ≤ 1,250 < 1,290
    assert f.warning(D(1300)) == ""
    assert f.position(D(1150)) == {"low": D(-140), "point": D(-50), "high": D(40)}


def test_seasonal_profile_from_last_year():
    last = dict(
        zip(range(1, 13), map(D, [120, 100, 100, 80, 80, 100, 120, 120, 100, 80, 100, 100]), strict=True)
    )
    f = forecast_year({1: D(108), 2: D(95), 3: D(90)}, last)
    # ratios 108/120 = 0.9, 95/100 = 0.95, 90/100 = 0.9; overall 293 / 320 = 0.915625
    # rest of last year 1,200 − 320 = 880 → point 293 + 880 × 0.915625 = 1,098.75; low 293 + 792 = 1,085;
    # high 293 + 836 = 1,129
    assert f.method == SEASONAL
    assert f.point == D("1098.75") and f.low == D("1085.0") and f.high == D("1129.00")
    assert f.remaining[7] == D("109.875")  # July last year 120 × 0.915625


def test_incomplete_last_year_falls_back_to_run_rate():
    assert forecast_year({1: D(100)}, {1: D(90), 2: D(80)}).method == RUN_RATE


def test_nothing_locked_means_no_forecast_and_twelve_months_is_actual():
    assert forecast_year({}, {}) is None
    full = forecast_year({m: D(10) for m in range(1, 13)}, {})
    assert full.method == "actual" and full.low == full.point == full.high == D(120)
