"""The control plan page: versions with a reason and an effective month, meters with calibration validity."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from steward.carbon.models import EmissionSource, Meter
from steward.demo.period import last_month
from steward.quality.models import ControlPlanVersion
from steward.quality.pack import check_month
from steward.quality.plans import SpecInput, revise_plan
from steward.quality.selectors import month_context
from tenants.models import Enterprise, User


def _row(source: EmissionSource, parameter: str, **values) -> dict:
    return {f"plan-p{source.pk}_{parameter}_{name}": value for name, value in values.items()}


@pytest.mark.django_db
def test_filer_registers_a_meter_and_publishes_a_plan_version_the_rules_then_use(user_client):
    client = user_client("cement.filer")
    cement = Enterprise.objects.get(slug="wx-cement")
    year = last_month()[0]  # the demo's months
    with schema_context(cement.schema_name):
        coal = EmissionSource.objects.get(code="K1-COAL")
    meter = {
        "add_meter": "1",
        "meter-source": coal.pk,
        "meter-name": "入窑煤粉转子秤",
        "meter-serial_number": "ZZC-2201",
        "meter-accuracy_class": "0.5级",
        "meter-calibrated_on": "2025-01-10",
        "meter-calibration_due_on": "2026-01-09",
    }
    assert client.post("/e/wx-cement/carbon/plan/", meter).status_code == 302
    with schema_context(cement.schema_name):
        registered = Meter.objects.get(serial_number="ZZC-2201")
    revision = {
        "revise": "1",
        "plan-effective_month": f"{year}-03",
        "plan-reason": "新增入窑煤粉转子秤，元素碳改为每月实测",
        **_row(
            coal,
            "quantity",
            method="measured",
            meter=registered.pk,
            frequency="连续计量",
            department="生产部",
            fallback_rule="取皮带秤与库存差额中较大值",
        ),
        **_row(
            coal,
            "carbon_content_ar",
            method="measured",
            frequency="每月",
            department="质检部",
            fallback_rule="采用缺省值并按保守原则上浮",
        ),
    }
    assert client.post("/e/wx-cement/carbon/plan/", revision).status_code == 302
    with schema_context(cement.schema_name):
        plan = ControlPlanVersion.objects.get()
        assert plan.effective_from == datetime.date(year, 3, 1) and plan.created_by.username == "cement.filer"
        assert {(s.parameter, s.method, s.department) for s in plan.specs.all()} == {
            ("quantity", "measured", "生产部"),
            ("carbon_content_ar", "measured", "质检部"),
        }
        assert plan.specs.get(parameter="quantity").meter == registered
        february = {f.rule_id for f in check_month(month_context(cement, year, 2))}
        march = {f.rule_id for f in check_month(month_context(cement, year, 3))}
    assert "DQ-M01" not in february and "DQ-M01" in march  # the version in force from March is used
    page = client.get("/e/wx-cement/carbon/plan/").content.decode()
    assert "新增入窑煤粉转子秤" in page and "ZZC-2201" in page and f"{year}-03-01" in page
    # An earlier effective month than the version in force is refused, with the field named.
    revision["plan-effective_month"] = f"{year}-01"
    refused = client.post("/e/wx-cement/carbon/plan/", revision)
    assert refused.status_code == 200 and "生效月份不能早于现行第1版" in refused.content.decode()


@pytest.mark.django_db
def test_plan_revisions_need_a_reason_and_measured_values_need_a_fallback():
    cement = Enterprise.objects.get(slug="wx-cement")
    with schema_context(cement.schema_name):
        author = User.objects.get(username="cement.admin")
        coal = EmissionSource.objects.get(code="K1-COAL")
        spec = SpecInput(coal, "ncv", "measured", fallback_rule="")
        with pytest.raises(ValidationError) as error:
            revise_plan(effective_from=datetime.date(2025, 5, 1), reason=" ", specs=[spec], by=author)
        assert error.value.error_dict["reason"][0].code == "reason_required"
        with pytest.raises(ValidationError) as error:
            revise_plan(effective_from=datetime.date(2025, 5, 1), reason="首版", specs=[spec], by=author)
        assert error.value.error_dict["K1-COAL.ncv"][0].code == "fallback_required"


@pytest.mark.django_db
def test_stewards_see_the_plan_but_cannot_revise_it(user_client):
    steward = user_client("greencarbon.manager")
    page = steward.get("/e/wx-cement/carbon/plan/")
    assert page.status_code == 200 and 'data-testid="plan-revision"' not in page.content.decode()
    assert steward.post("/e/wx-cement/carbon/plan/", {"revise": "1"}).status_code == 403
