"""The carbon month page writes a figure through `enter_activity`: first entry, correction with a reason,
and the same figure again (nothing new, and the filer is told so)."""

from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from steward.carbon.models import ActivityRecord, EmissionSource
from tenants.models import Enterprise

YEAR = 2019  # no demo figures (a past year: later months are refused)
PAGE = f"/e/cx-power/carbon/{YEAR}/4/"


@pytest.mark.django_db
def test_enter_correct_and_resubmit_a_figure_on_the_month_page(user_client):
    client = user_client("power.filer")
    with schema_context(Enterprise.objects.get(slug="cx-power").schema_name):
        grid = EmissionSource.objects.get(code="GRID")
    prefix = f"s{grid.pk}"
    entry = {
        "source": grid.pk,
        f"{prefix}-quantity": "500",
        f"{prefix}-unit": "MWh",
        f"{prefix}-data_source": "settlement_voucher",
    }
    assert client.post(PAGE, entry).status_code == 302
    again = client.post(PAGE, entry, follow=True)
    assert "没有变化，未新增版本" in again.content.decode()
    refused = client.post(PAGE, entry | {f"{prefix}-quantity": "520"})
    assert refused.status_code == 200 and "更正必须说明原因" in refused.content.decode()
    fixed = client.post(PAGE, entry | {f"{prefix}-quantity": "520", f"{prefix}-reason": "结算单更正"})
    assert fixed.status_code == 302
    with schema_context(Enterprise.objects.get(slug="cx-power").schema_name):
        versions = ActivityRecord.objects.filter(source=grid, year=YEAR, month=4).order_by("version")
        assert [(v.version, v.quantity, v.correction_reason) for v in versions] == [
            (1, D("500"), ""),
            (2, D("520"), "结算单更正"),
        ]
