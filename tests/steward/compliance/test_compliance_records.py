"""Allocation and value-added records, the verified-emissions selector and the year's position."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from steward.compliance import selectors, services
from steward.compliance.allocation import CorrectionFactor
from steward.compliance.models import Allocation
from steward.evidence.models import EvidenceFile
from steward.filing.models import FilingStatus
from tenants.models import User

YEAR = 2024  # see conftest.power_2024


def test_allocation_is_stored_with_its_trace_and_reference_status(power_2024):
    assert power_2024.allocated == D("877000")
    assert power_2024.output_basis == "generation"  # 2024: generation basis
    assert power_2024.benchmark_status == "to_verify"
    assert power_2024.trace[-1]["value"] == "877000"


def test_correction_is_a_new_version_with_a_reason_and_the_old_row_stays(power_2024, release):
    filer = User.objects.get(username="power.filer")
    common = dict(
        year=YEAR,
        stage="pre",
        benchmark=power_2024 and release.benchmarks.get(unit_category="coal_300mw_plus"),
        policy=release.policies.get(sector="power", compliance_year=YEAR),
        output_mwh=D("1000000"),
        corrections=(CorrectionFactor("负荷系数", D("1.01")),),
        entered_by=filer,
    )
    with pytest.raises(ValidationError) as refused:
        services.record_allocation(**common)
    assert "reason" in refused.value.error_dict
    corrected = services.record_allocation(**common, reason="分配通知更正：负荷系数 1.01")
    # 0.877 × 1,000,000 × 1.01 = 885,770
    assert (corrected.version, corrected.allocated, corrected.supersedes) == (2, D("885770"), power_2024)
    assert selectors.current_allocation(YEAR) == corrected
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        Allocation.objects.filter(pk=power_2024.pk).update(allocated=1)


def test_position_on_the_forecast_warns_of_a_likely_deficit(power_2024):
    data = selectors.year_position(YEAR)
    # locked 3 × 80,000 = 240,000; run-rate 240,000 + 80,000 × 9 = 960,000 > 877,000 allocated
    assert data.emissions.total == D("240000.00") and not data.emissions.complete
    assert data.on_forecast and data.forecast.point == D("960000")
    assert data.position.surplus == D("-83000")
    assert not data.position.deficit_cap_applied  # 877,000 + 20% × 960,000 = 1,069,000 ≥ 960,000
    assert data.warning == "likely"
    assert not data.benchmark_covers_year  # 2019–20 benchmarks used for 2024


def test_full_year_of_locked_months_is_the_verified_basis_and_the_cap_applies(power_2024, lock_month):
    for month in range(4, 13):
        lock_month(YEAR, month, "100000.00")
    data = selectors.year_position(YEAR)
    # 3 × 80,000 + 9 × 100,000 = 1,140,000; 877,000 − 1,140,000 = −263,000 (23% of verified)
    # obligation = min(1,140,000, 877,000 + 228,000 = 1,105,000) = 1,105,000; relief 35,000
    assert data.emissions.complete and data.forecast is None and not data.on_forecast
    assert data.position.surplus == D("-263000.00")
    assert data.position.deficit_cap_applied and data.position.obligation == D("1105000.00")
    assert data.position.relief == D("35000.00") and data.position.ccer_cap == D("55250.0000")


def test_a_reopened_month_keeps_its_sealed_total_and_drafts_do_not_count(power_2024, lock_month):
    lock_month(YEAR, 1, "0", version=2, status=FilingStatus.DRAFT)
    lock_month(YEAR, 4, "0", status=FilingStatus.IN_REVIEW)
    assert selectors.locked_month_totals(YEAR) == {1: D("80000.00"), 2: D("80000.00"), 3: D("80000.00")}


def test_an_accepted_annual_report_is_preferred_over_locked_months(power_2024, monkeypatch):
    monkeypatch.setattr(
        selectors, "ANNUAL_REPORT_TOTAL", lambda year, scope=None: D("900000") if year == YEAR else None
    )
    basis = selectors.verified_emissions(YEAR)
    assert (basis.source, basis.total, basis.complete) == ("annual_report", D("900000"), True)
    # 877,000 − 900,000 = −23,000, within the cap
    assert selectors.year_position(YEAR).position.surplus == D("-23000")
    assert selectors.verified_emissions(YEAR - 1).source == "locked_months"


def test_value_added_needs_evidence_and_grades_on_the_forecast(power_2024):
    filer = User.objects.get(username="power.filer")
    with pytest.raises(ValidationError) as refused:
        services.record_value_added(
            year=YEAR,
            value_added_10k_cny=D("0"),
            industry_average_l=D("2"),
            industry_average_source="x",
            evidence=None,
            entered_by=filer,
        )
    assert {"value_added_10k_cny", "evidence"} <= set(refused.value.error_dict)
    evidence = EvidenceFile.objects.first()
    services.record_value_added(
        year=YEAR,
        value_added_10k_cny=D("80000"),
        industry_average_l=D("10"),
        industry_average_source="湖州市电力行业平均值（演示）",
        evidence=evidence,
        entered_by=filer,
    )
    efficiency = selectors.carbon_efficiency(YEAR)
    # forecast 960,000 t ÷ 80,000 万元 = L 12 (high-carbon); K = 12 ÷ 10 = 1.2 → grade 3
    assert efficiency.provisional and efficiency.emissions_used == D("960000")
    assert efficiency.grading.l_value == D("12") and efficiency.grading.level.label.startswith("高碳")
    assert efficiency.grading.grade.grade == 3


def test_the_accepted_annual_report_replaces_the_locked_months(power_2024):
    import datetime

    from steward.annual.models import AnnualReport, ReportStatus

    filer = User.objects.get(username="power.filer")
    common = dict(
        year=YEAR, deadline=datetime.date(2025, 3, 31), deadline_basis="测试", payload={}, compiled_by=filer
    )
    AnnualReport.objects.create(
        version=1, status=ReportStatus.SUBMITTED, payload_sha256="b" * 64, total_tco2=D("1"), **common
    )
    assert selectors.verified_emissions(YEAR).source == "locked_months"  # submitted, not yet accepted
    lines = [
        {"key": "fuel[0]", "category": "fuel_combustion", "tco2": "1000000.00"},
        {"key": "purchased_electricity", "category": "purchased_electricity", "tco2": "50000.00"},
    ]
    AnnualReport.objects.create(
        version=2,
        status=ReportStatus.ACCEPTED,
        payload_sha256="c" * 64,
        total_tco2=D("1050000.00"),
        **(common | {"payload": {"lines": lines}}),
    )
    data = selectors.year_position(YEAR)
    # compliance counts the direct 1,000,000 t, not the 1,050,000 t total with purchased electricity:
    # 877,000 − 1,000,000 = −123,000 (12.3% of verified: within the 20% cap)
    assert data.emissions.source == "annual_report" and data.position.surplus == D("-123000.00")
    assert data.forecast is None and not data.on_forecast
