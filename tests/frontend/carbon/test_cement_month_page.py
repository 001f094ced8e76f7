"""The cement plant's month page offers its sector's monthly 存证 parameter set (CETS-AG-02.01-V01-2024) and
saves it in place as versioned records; the power plant's page does not show the cement fields."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from steward.carbon.models import EmissionSource
from steward.demo.period import last_month

pytestmark = pytest.mark.django_db
# Three years back, a year neither the demo nor the browser tests file (tests/steward/carbon/test_cement_month_records.py).
YEAR, MONTH = last_month()[0] - 3, 7
PAGE = f"/e/wx-cement/carbon/{YEAR}/{MONTH}/"
CEMENT_LABELS = (
    "熟料产量",
    "窑头粉尘量",
    "旁路放风粉尘量",
    "生料消耗量",
    "生料非燃料碳含量",
    "其中：熟料生产设施用电量",
)


def _source(code: str) -> EmissionSource:
    with schema_context("ent_wx_cement"):
        return EmissionSource.objects.get(code=code)


def _clinker_form(clinker, **changes) -> dict:
    prefix = f"s{clinker.pk}-"
    fields = {
        "quantity": "148000",
        "unit": "t",
        "data_source": "production_metering",
        "version": "0",
        "clinker_cao": "65.2",
        "clinker_mgo": "2.4",
        "noncarbonate_cao": "0.8",
        "noncarbonate_mgo": "0",
        "kiln_dust": "2200",
        "bypass_dust": "400",
        "raw_meal": "229400",
        "raw_meal_carbon": "0.18",
    } | changes
    return {prefix + name: value for name, value in fields.items()} | {"source": str(clinker.pk)}


def test_the_cement_month_page_offers_the_cement_parameter_set(user_client):
    page = user_client("cement.filer").get(PAGE).content.decode()
    assert "CETS-AG-02.01-V01-2024" in page
    for label in CEMENT_LABELS:
        assert label in page, label
    clinker = _source("K1-CLK")
    assert f'name="s{clinker.pk}-raw_meal_carbon"' in page and f'name="s{clinker.pk}-kiln_dust"' in page
    grid = _source("GRID")
    assert f'name="s{grid.pk}-clinker_facility_electricity"' in page


def test_the_power_month_page_has_no_cement_fields(user_client):
    page = user_client("power.filer").get(f"/e/cx-power/carbon/{YEAR}/{MONTH}/").content.decode()
    assert "窑头粉尘量" not in page and "熟料生产设施用电量" not in page and "CETS-AG-02.01" not in page
    assert "低位发热量" in page


def test_the_clinker_figures_are_saved_in_place_and_corrected_as_a_new_version(user_client):
    client = user_client("cement.filer")
    clinker = _source("K1-CLK")
    response = client.post(PAGE, _clinker_form(clinker), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<tr id="source-K1-CLK"')
    assert "已保存：熟料煅烧" in html and "148,000.00 t" in html and "229,400 t" in html
    assert "生料非燃料碳含量" in html and "0.18 %" in html
    with schema_context("ent_wx_cement"):
        record = clinker.records.get(year=YEAR, month=MONTH)
        saved = {p.name: (p.value, p.unit) for p in record.parameters.all()}
    assert saved["kiln_dust"] == (Decimal("2200"), "t") and saved["raw_meal_carbon"] == (Decimal("0.18"), "%")
    assert len(saved) == 8

    without_reason = client.post(
        PAGE, _clinker_form(clinker, version="1", kiln_dust="2500"), HTTP_HX_REQUEST="true"
    )
    assert 'class="errorlist' in without_reason.content.decode()
    corrected = client.post(
        PAGE,
        _clinker_form(clinker, version="1", kiln_dust="2500", reason="窑头收尘器称重复核"),
        HTTP_HX_REQUEST="true",
    )
    assert "2,500 t" in corrected.content.decode()
    with schema_context("ent_wx_cement"):
        latest = clinker.records.filter(year=YEAR, month=MONTH).order_by("-version").first()
        assert latest.version == 2 and latest.correction_reason == "窑头收尘器称重复核"
        assert latest.parameters.get(name="kiln_dust").value == Decimal("2500")


def test_the_facility_electricity_is_saved_in_the_rows_unit_and_checked_against_the_total(user_client):
    client = user_client("cement.filer")
    grid = _source("GRID")
    prefix = f"s{grid.pk}-"
    form = {
        prefix + "quantity": "9100",
        prefix + "unit": "MWh",
        prefix + "data_source": "settlement_voucher",
        prefix + "version": "0",
        prefix + "clinker_facility_electricity": "9500",
        "source": str(grid.pk),
    }
    html = client.post(PAGE, form, HTTP_HX_REQUEST="true").content.decode()
    assert "已保存：外购电力" in html
    assert "DQ-K07" in html  # the facility's part above the total: blocking, shown beside the month's checks
    with schema_context("ent_wx_cement"):
        parameter = grid.records.get(year=YEAR, month=MONTH).parameters.get()
    assert (parameter.name, parameter.value, parameter.unit) == ("clinker_facility_electricity", 9500, "MWh")
