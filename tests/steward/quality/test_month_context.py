"""The rule pack run on stored records: the context is built from the current versions, the plan in force and
the jurisdiction's deadline."""

import datetime
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from steward.carbon import services
from steward.carbon.models import EmissionSource
from steward.demo.period import last_month
from steward.quality.models import ControlPlanVersion, ParameterSpec
from steward.quality.pack import check_month
from steward.quality.selectors import month_context
from tenants.deadlines import monthly_filing_deadline
from tenants.models import DeadlinePolicy, Enterprise, Jurisdiction, User


@pytest.mark.django_db
def test_demo_power_month_is_checked_from_its_records():
    enterprise = Enterprise.objects.get(slug="cx-power")
    with schema_context(enterprise.schema_name):
        context = month_context(enterprise, last_month()[0], 2, today=datetime.date(2100, 1, 1))
        findings = {f.rule_id for f in check_month(context)}
    coal = next(source for source in context.sources if source.code == "U1-COAL")
    assert coal.quantity > 0 and coal.parameters["carbon_content_ar"].base < 1  # "52.2 %" read as a fraction
    assert context.result is not None and context.methodology == "cn_ets_power_2022"
    # The demo records carry measurements without lab reports, and are checked long after the deadline.
    assert {"DQ-E01", "DQ-T01", "DQ-C04"} <= findings


@pytest.mark.django_db
def test_control_plan_in_force_for_the_month_is_used():
    enterprise = Enterprise.objects.get(slug="wx-cement")
    year = last_month()[0]
    with schema_context(enterprise.schema_name):
        author = User.objects.get(username="cement.admin")
        kiln_coal = EmissionSource.objects.get(code="K1-COAL")
        plan = ControlPlanVersion.objects.create(
            version=1, effective_from=datetime.date(year, 3, 1), revision_reason="首版", created_by=author
        )
        ParameterSpec.objects.create(
            plan=plan,
            source=kiln_coal,
            parameter="carbon_content_ar",
            method="measured",
            frequency="每月",
            department="燃料部",
        )
        before = {f.rule_id for f in check_month(month_context(enterprise, year, 2))}
        after = {f.rule_id for f in check_month(month_context(enterprise, year, 3))}
    assert "DQ-M01" not in before  # February predates the plan
    assert "DQ-M01" in after  # March: the plan says measured, the records have no carbon test


@pytest.mark.django_db
def test_district_deadline_policy_overrides_the_national_one():
    enterprise = Enterprise.objects.get(slug="cx-power")
    national, _ = monthly_filing_deadline(enterprise, 2026, 1)
    assert national == datetime.date(2026, 1, 31) + datetime.timedelta(days=40)
    DeadlinePolicy.objects.create(
        jurisdiction=Jurisdiction.objects.get(code="330522"),
        monthly_filing_days=20,
        basis="长兴县内部时限：企业20日内上传",
    )
    district, policy = monthly_filing_deadline(enterprise, 2026, 1)
    assert district == datetime.date(2026, 2, 20) and "长兴" in policy.basis
    other, _ = monthly_filing_deadline(Enterprise.objects.get(slug="wx-cement"), 2026, 1)
    assert other == national


@pytest.mark.django_db
def test_month_page_shows_live_findings(user_client):
    year = last_month()[0]
    page = user_client("power.filer").get(f"/e/cx-power/carbon/{year}/2/").content.decode()
    assert "数据质量检查" in page and "DQ-E01" in page and "HZ-DQ-2026.4" in page


@pytest.mark.django_db
def test_a_source_without_data_blocks():
    enterprise = Enterprise.objects.get(slug="nth-paper")
    with schema_context(enterprise.schema_name):
        facility = services.add_facility(code="B1", name="1号锅炉", kind="boiler")
        services.add_source(
            facility=facility,
            code="B1-GAS",
            name="天然气",
            kind="fuel_combustion",
            fuel_code="natural_gas",
            unit="10^4 Nm3",
        )
        findings = check_month(month_context(enterprise, 2025, 6))
    assert findings[0].rule_id == "DQ-C01" and findings[0].severity == "blocking"


@pytest.mark.django_db
def test_the_demo_plans_replaced_meter_and_a_measured_quantity_are_not_findings():
    """The demo plan of the power plant names the old coal scale until June and the new one from July (its
    calibration starts 20 June), and says the grid quantity and the coal quantity are measured."""
    enterprise = Enterprise.objects.get(slug="cx-power")
    year = last_month()[0]
    with schema_context(enterprise.schema_name):
        plans = list(ControlPlanVersion.objects.order_by("effective_from"))
        assert len(plans) >= 2, "the demo revises its plan"
        july = next(plan for plan in plans if plan.effective_from.month == 7)
        scale = july.specs.get(source__code="U1-COAL", parameter="quantity").meter
        assert scale.serial_number == "PDC-2026-07" or scale.calibrated_on.month == 6
        for month in (7, 8):
            context = month_context(enterprise, year, month, today=datetime.date(year, month, 28))
            coal = next(source for source in context.sources if source.code == "U1-COAL")
            assert [meter.serial_number for meter in coal.meters] == [scale.serial_number]
            findings = check_month(context)
            assert not [f for f in findings if f.rule_id == "DQ-M02"], [f.message for f in findings]
            # "quantity" is measured per the plan and entered: not "未提供"
            assert not [f for f in findings if f.rule_id == "DQ-M01" and "quantity" in f.message]
            assert not [f for f in findings if f.rule_id == "DQ-M01" and "消耗量" in f.message]


@pytest.mark.django_db
def test_a_planned_measurement_left_out_is_named_by_its_chinese_label():
    enterprise = Enterprise.objects.get(slug="wx-cement")
    with schema_context(enterprise.schema_name):
        author = User.objects.get(username="cement.admin")
        kiln_coal = EmissionSource.objects.get(code="K1-COAL")
        plan = ControlPlanVersion.objects.create(
            version=90, effective_from=datetime.date(2022, 3, 1), revision_reason="测试", created_by=author
        )
        for parameter in ("quantity", "carbon_content_ar"):
            ParameterSpec.objects.create(
                plan=plan, source=kiln_coal, parameter=parameter, method="measured", frequency="每月"
            )
        services.record_activity(
            source=kiln_coal,
            year=2022,
            month=3,
            quantity=Decimal(100),
            unit="t",
            data_source="production_metering",
            entered_by=author,
        )
        messages = [
            f.message for f in check_month(month_context(enterprise, 2022, 3)) if f.rule_id == "DQ-M01"
        ]
    assert messages == ["窑头窑尾烟煤 的收到基元素碳含量按控制计划应实测，但未提供"]
