"""Demo compliance data: the power plant's months locked up to two months ago, its pre-allocation for this
year, and this year's value added of the power and cement plants, so the compliance and carbon-efficiency
pages show real figures. Benchmarks and industry averages here are demo values, shown as to be verified."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_tenants.utils import schema_context

from steward.compliance import selectors, services
from steward.compliance.allocation import CorrectionFactor
from steward.compliance.models import Allocation, ValueAddedRecord
from steward.compliance.reference.models import ReferenceRelease
from steward.demo.clock import year_plan
from steward.demo.period import last_month
from steward.evidence.services import store_evidence
from steward.filing.models import MonthlyFiling
from tenants.models import Enterprise, User

# slug → (value added 万元, industry-average L tCO2/万元): demo figures, not published statistics.
VALUE_ADDED = {
    "cx-power": (Decimal("180000"), Decimal("12.5")),
    "wx-cement": (Decimal("75000"), Decimal("22.0")),
}
INDUSTRY_AVERAGE_SOURCE = "演示数据：行业平均值应取主管部门发布的同期数值"


def _lock_power_months(enterprise: Enterprise, year: int, last_locked: int) -> None:
    from steward.demo.carbon import _walk_month

    filer, steward = (
        User.objects.get(username="power.filer"),
        User.objects.get(username="greencarbon.reviewer"),
    )
    months = [
        m for m in range(1, last_locked + 1) if not MonthlyFiling.objects.filter(year=year, month=m).exists()
    ]
    plans = year_plan(enterprise, year, months, demo_year=year)  # each on its day (steward/demo/clock.py)
    for month in months:
        _walk_month(enterprise, year, month, filer, steward, approve=True, plan=plans[month])


def _pre_allocation(year: int, filer: User) -> None:
    release = ReferenceRelease.current()
    policy = release.policies.filter(sector="power", compliance_year=year).first()
    if policy is None or Allocation.objects.filter(year=year).exists():
        return
    services.record_allocation(
        year=year,
        stage=Allocation.Stage.PRE,
        # Benchmarks for this year are not in the reference data yet: the 2019–20 set (to verify) stands in,
        # and the page says so.
        benchmark=release.benchmarks.get(unit_category="coal_300mw_plus"),
        policy=policy,
        output_mwh=Decimal("4200000"),
        corrections=(
            CorrectionFactor("冷却方式修正系数", Decimal("1")),
            CorrectionFactor("负荷系数", Decimal("1")),
        ),
        entered_by=filer,
    )


# The cement plant's 2024 verified direct emissions as its (demo) verification conclusion states them: the
# platform holds only the years since it joined, so the 2025 pre-allocation (70% of 2024) starts from this figure.
CEMENT_PREVIOUS_VERIFIED_T = Decimal("1400000")


def _cement_pre_allocation(year: int, admin: User) -> None:
    """Last year's pre-allocation of the cement plant (in the national market from 2024), by its sector's rule."""
    rule = selectors.allocation_rule(year, Allocation.Stage.PRE, sector="cement")
    policy = selectors.policy_for(year, sector="cement")
    if rule is None or policy is None or Allocation.objects.filter(year=year).exists():
        return
    services.record_sector_allocation(
        year=year,
        stage=Allocation.Stage.PRE,
        rule=rule,
        policy=policy,
        # The platform's own verified figure when it holds that year (its months locked), else the conclusion's.
        verified_tco2=None
        if selectors.verified_emissions(year - 1, policy.emissions_scope).complete
        else CEMENT_PREVIOUS_VERIFIED_T,
        entered_by=admin,
    )


def _value_added(slug: str, year: int, filer: User) -> None:
    if ValueAddedRecord.objects.filter(year=year).exists():
        return
    value_added, average = VALUE_ADDED[slug]
    evidence = store_evidence(
        upload=SimpleUploadedFile(
            f"{slug}-{year}-增加值.pdf", f"%PDF-1.4 {slug} {year}".encode(), "application/pdf"
        ),
        kind="other",
        description=f"{year}年度工业增加值（收入法）统计表（演示）",
        uploaded_by=filer,
        scope="carbon",
    )
    services.record_value_added(
        year=year,
        value_added_10k_cny=value_added,
        industry_average_l=average,
        industry_average_source=INDUSTRY_AVERAGE_SOURCE,
        evidence=evidence,
        entered_by=filer,
    )


@transaction.atomic
def load_demo_compliance() -> None:
    year, last = last_month()
    power = Enterprise.objects.get(slug="cx-power")
    with schema_context(power.schema_name):
        filer = User.objects.get(username="power.filer")
        if last > 2:
            _lock_power_months(power, year, last - 2)
        _pre_allocation(year, filer)
        _value_added("cx-power", year, filer)
    cement = Enterprise.objects.get(slug="wx-cement")
    with schema_context(cement.schema_name):
        _value_added("wx-cement", year, User.objects.get(username="cement.filer"))
        _cement_pre_allocation(year - 1, User.objects.get(username="cement.admin"))
