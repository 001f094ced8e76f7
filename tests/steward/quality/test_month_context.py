"""The rule pack run on stored records: the context is built from the current versions, the plan in force and
the jurisdiction's deadline."""

import datetime

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
    assert "数据质量检查" in page and "DQ-E01" in page and "HZ-DQ-2026.2" in page


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
