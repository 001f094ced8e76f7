"""A chemicals plant's month page offers its sector's parameter set (feedstock carbon, carbonates, nitric-acid N2O)
beside each process source, in Chinese and in English, and saves it as a versioned record in the set's units."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from steward.carbon import services
from steward.demo.period import last_month
from tenants.models import Enterprise, Industry

pytestmark = pytest.mark.django_db
# Three years back, a year neither the demo nor the browser tests file (tests/steward/carbon/test_cement_month_records.py).
YEAR, MONTH = last_month()[0] - 3, 8
PAGE = f"/e/dq-fibre/carbon/{YEAR}/{MONTH}/"


@pytest.fixture
def chemicals_plant():
    """The demo's fibre plant as a chemicals plant (industry 2614, division 26) with three process sources."""
    enterprise = Enterprise.objects.get(slug="dq-fibre")
    enterprise.industry, _ = Industry.objects.get_or_create(
        code="2614", defaults={"name_zh": "有机化学原料制造"}
    )
    enterprise.save(update_fields=["industry"])
    with schema_context(enterprise.schema_name):
        unit = services.add_facility(code="N1", name="硝酸装置", kind="other")
        sources = {
            code: services.add_source(facility=unit, code=code, name=name, kind=kind, unit="t")
            for code, name, kind in (
                ("N1-NAP", "石脑油", "carbon_input"),
                ("N1-LS", "石灰石", "carbonate_use"),
                ("N1-HNO3", "稀硝酸", "nitric_acid_process"),
            )
        }
    return sources


def test_the_chemicals_month_page_offers_the_sector_parameter_set(user_client, chemicals_plant):
    page = user_client("fibre.filer").get(PAGE).content.decode()
    assert "化工生产月度参数" in page
    naphtha, limestone, acid = (chemicals_plant[code].pk for code in ("N1-NAP", "N1-LS", "N1-HNO3"))
    assert f'name="s{naphtha}-carbon_content"' in page and "含碳量（%）" in page
    assert (
        f'name="s{limestone}-caco3_content"' in page and f'name="s{limestone}-calcination_fraction"' in page
    )
    assert f'name="s{acid}-n2o_factor"' in page and "N2O生成因子（kg/t）" in page and "硝酸产量" in page
    assert f'name="s{naphtha}-n2o_factor"' not in page  # each source shows its own kind's set
    assert "窑头粉尘量" not in page  # not the cement set


def test_the_sector_fields_read_in_english(client, chemicals_plant):
    from tenants.models import User

    client.force_login(User.objects.get(username="fibre.filer"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(PAGE).content.decode()
    assert "Chemicals monthly parameters" in page
    assert "N2O generation factor (kg/t)" in page and "Nitric acid production" in page
    assert "Carbonate use" in page and "CaCO3 content (%)" in page


def test_the_nitric_acid_record_is_saved_in_the_sets_units(user_client, chemicals_plant):
    client = user_client("fibre.filer")
    acid = chemicals_plant["N1-HNO3"]
    prefix = f"s{acid.pk}-"
    form = {
        "quantity": "10000",
        "unit": "t",
        "data_source": "production_metering",
        "version": "0",
        "n2o_factor": "8",
        "abatement_efficiency": "90",
        "abatement_use": "95",
    }
    response = client.post(
        PAGE,
        {prefix + name: value for name, value in form.items()} | {"source": str(acid.pk)},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "已保存：稀硝酸" in html
    with schema_context("ent_dq_fibre"):
        record = acid.records.get(year=YEAR, month=MONTH)
        saved = {p.name: (p.value, p.unit) for p in record.parameters.all()}
    assert saved == {
        "n2o_factor": (Decimal("8"), "kg/t"),
        "abatement_efficiency": (Decimal("90"), "%"),
        "abatement_use": (Decimal("95"), "%"),
    }
