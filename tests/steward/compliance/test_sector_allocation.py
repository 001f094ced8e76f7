"""Steel, cement and aluminium allocation (2024–2025 plan) as data, and a cement plant's position and forecast."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from steward.compliance import selectors, services
from steward.compliance.allocation import allocate_intensity, allocate_verified, pre_allocate_share
from steward.compliance.position import CcerHolding, PolicyRule, ccer_offset
from tenants.models import Enterprise, User

# a cement month: 70,000 t direct (kiln fuel + clinker process) and 4,000 t purchased electricity
CEMENT_MONTH = {"fuel_combustion": "20000.00", "process": "50000.00", "purchased_electricity": "4000.00"}


@pytest.fixture
def cement_schema(db):
    """A workspace without demo carbon records, classed as clinker production (3011) for this test only (the
    demo cement plant has locked 2025 months of its own)."""
    enterprise = Enterprise.objects.get(slug="dq-fibre")
    enterprise.industry_id = "3011"
    enterprise.save(update_fields=["industry"])
    with schema_context(enterprise.schema_name):
        yield enterprise
    connection.set_schema_to_public()


def test_allocation_formulas():
    assert allocate_verified(D("840000.40")).allocated_t == D("840000")
    # 840,000 × 0.70 = 588,000
    assert pre_allocate_share(D("840000"), D("0.70")).allocated_t == D("588000")
    # 1,200,000 t clinker × 0.7 tCO2/t (benchmark entered from the notice) = 840,000
    assert allocate_intensity(D("1200000"), "t", D("0.7")).allocated_t == D("840000")


def test_ccer_cap_and_vintage():
    rule = PolicyRule(2025, None, False, D("0.05"), ccer_earliest_issue_year=2017)
    offset = ccer_offset(
        holdings=[CcerHolding(2015, D("10000")), CcerHolding(2024, D("50000"))],
        obligation=D("800000"),
        rule=rule,
    )
    # 2015 stock is not usable; cap 0.05 × 800,000 = 40,000; usable min(50,000, 40,000) = 40,000
    assert (offset.ineligible, offset.eligible, offset.cap, offset.usable) == (
        D("10000"),
        D("50000"),
        D("40000.00"),
        D("40000.00"),
    )


def test_cement_plant_2024_allocation_is_its_verified_direct_emissions_and_2025_pre_is_70_percent(
    cement_schema, release, lock_month
):
    filer = User.objects.get(username="cement.filer")
    policy = selectors.policy_for(2024)
    assert (policy.sector, policy.emissions_scope, policy.deficit_cap_share) == ("cement", "direct", None)
    rule = selectors.allocation_rule(2024, "final")
    for month in range(1, 12):
        lock_month(2024, month, "74000.00", lines=CEMENT_MONTH)
    with pytest.raises(ValidationError) as refused:  # December not locked: 2024 is not verified yet
        services.record_sector_allocation(
            year=2024, stage="final", rule=rule, policy=policy, entered_by=filer
        )
    assert refused.value.error_dict["basis_tco2"][0].code == "year_not_verified"
    lock_month(2024, 12, "74000.00", lines=CEMENT_MONTH)
    allocation = services.record_sector_allocation(
        year=2024, stage="final", rule=rule, policy=policy, entered_by=filer
    )
    # 12 × 70,000 = 840,000 t direct (the 12 × 4,000 t of purchased electricity are not counted)
    assert (allocation.basis_tco2, allocation.allocated, allocation.method) == (
        D("840000.00"),
        D("840000"),
        "verified_emissions",
    )
    position = selectors.year_position(2024)
    assert position.position.surplus == D("0.00") and not position.on_forecast
    pre = services.record_sector_allocation(
        year=2025,
        stage="pre",
        rule=selectors.allocation_rule(2025, "pre"),
        policy=selectors.policy_for(2025),
        entered_by=filer,
    )
    assert pre.allocated == D("588000")  # 840,000 × 0.70
    # 2025: Jan–Mar locked at 66,000 t direct each; seasonal against 2024's 70,000 t months
    for month in (1, 2, 3):
        lock_month(2025, month, "70000.00", lines=CEMENT_MONTH | {"process": "46000.00"})
    data = selectors.year_position(2025)
    # ratio 198,000 / 210,000 = 0.942857…; 198,000 + 9 × 70,000 × 0.942857… = 792,000
    assert data.forecast.method == "seasonal" and data.forecast.point.quantize(D("1")) == D("792000")
    # 588,000 − 792,000 = −204,000 on the pre-allocation: a deficit is likely (no 20% cap for cement)
    assert data.position.surplus.quantize(D("1")) == D("-204000") and data.warning == "likely"
    assert data.position.obligation.quantize(D("1")) == D("792000")


def test_intensity_final_needs_the_notice_benchmark(cement_schema):
    filer = User.objects.get(username="cement.filer")
    rule, policy = selectors.allocation_rule(2025, "final"), selectors.policy_for(2025)
    with pytest.raises(ValidationError) as refused:
        services.record_sector_allocation(
            year=2025, stage="final", rule=rule, policy=policy, output=D("1200000"), entered_by=filer
        )
    assert refused.value.error_dict["benchmark"][0].code == "required"
    final = services.record_sector_allocation(
        year=2025,
        stage="final",
        rule=rule,
        policy=policy,
        output=D("1200000"),
        benchmark=D("0.7"),
        entered_by=filer,
    )
    assert (final.allocated, final.output_unit, final.benchmark_status) == (D("840000"), "t", "to_verify")


def test_the_power_benchmark_form_is_refused_for_a_cement_year(cement_schema, release):
    with pytest.raises(ValidationError) as refused:
        services.record_allocation(
            year=2024,
            stage="final",
            benchmark=release.benchmarks.get(unit_category="coal_300mw_plus"),
            policy=selectors.policy_for(2024),
            output_mwh=D("1000"),
            entered_by=User.objects.get(username="cement.filer"),
        )
    assert refused.value.error_dict["policy"][0].code == "wrong_method"
