"""The carbon month page shows figures as people write them: a stored 850 t is "850", never "8.5E+2"."""

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from steward.carbon import services
from steward.demo.period import last_month
from tenants.models import User

pytestmark = pytest.mark.django_db


def test_a_recorded_figure_is_prefilled_without_exponent(user_client):
    year, month = last_month()
    with schema_context("ent_nth_paper"):
        boiler = services.add_facility(code="B9", name="9号锅炉", kind="boiler")
        coal = services.add_source(
            facility=boiler,
            code="B9-COAL",
            name="9号锅炉烟煤",
            kind="fuel_combustion",
            fuel_code="bituminous_coal",
            unit="t",
        )
        services.record_activity(
            source=coal,
            year=year,
            month=month,
            quantity=Decimal("8.5E+2"),
            unit="t",
            data_source="inventory_ledger",
            entered_by=User.objects.get(username="paper.filer"),
        )
    page = user_client("paper.filer").get(f"/e/nth-paper/carbon/{year}/{month}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="850"' in body
    assert "8.5E+2" not in body and "8.5e+2" not in body.lower()
