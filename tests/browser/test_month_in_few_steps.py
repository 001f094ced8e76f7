"""The filer submits an already-entered month from its one page, counted: at most 6 interactions and 2 full
page loads from opening the month (issue 16's target), with the warning notes written inline."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from steward.carbon import services as carbon
from steward.demo import DEMO_PASSWORD, credit_code
from steward.filing.models import FilingStatus, MonthlyFiling
from tenants.models import EnterpriseMembership, Industry, Jurisdiction, User
from tenants.services import onboard_enterprise
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
YEAR, MONTH = 2026, 2


@pytest.fixture(scope="module")
def entered_month(live_url, django_db_blocker):
    """A freshly onboarded enterprise whose February is entered (committed: the live server must see it)."""
    with django_db_blocker.unblock():
        enterprise = onboard_enterprise(
            slug="dq-glass",
            name_zh="德清晶华玻璃有限公司",
            credit_code=credit_code("330521", "MA2G7L5W3"),
            jurisdiction=Jurisdiction.objects.get(code="330521"),
            industry=Industry.objects.get(code="1752"),
        )
        filer = User.objects.create_user("glass.filer", password=DEMO_PASSWORD, display_name="玻璃 填报员")
        EnterpriseMembership.objects.create(user=filer, enterprise=enterprise, role="enterprise_filer")
        # No steward engagement: the queue tests count the consultancies' clients, and this one is committed.
        with schema_context(enterprise.schema_name):
            furnace = carbon.add_facility(code="F1", name="1号熔窑", kind="boiler")
            gas = carbon.add_source(
                facility=furnace,
                code="F1-GAS",
                name="熔窑天然气",
                kind="fuel_combustion",
                fuel_code="natural_gas",
                unit="10^4 Nm3",
            )
            carbon.record_activity(
                source=gas,
                year=YEAR,
                month=MONTH,
                quantity=Decimal("123.4"),
                unit="10^4 Nm3",
                data_source="production_metering",
                entered_by=filer,
            )
    return enterprise


def test_an_entered_month_is_submitted_in_few_interactions(page, live_url, entered_month, shots):
    log_in(page, live_url, "glass.filer", DEMO_PASSWORD)
    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    interactions = 0

    page.goto(f"{live_url}/e/{entered_month.slug}/carbon/{YEAR}/{MONTH}/")
    steps = page.locator("[data-testid=month-steps]").inner_text()
    assert "录入" in steps and "提交" in steps
    for note in page.locator("[data-testid=findings] textarea[name^='note:']").all():
        note.fill("历史月份补录，系统上线前的数据")
        interactions += 1
    page.click("[data-testid=submit-month]")
    interactions += 1
    page.wait_for_load_state()
    assert "已提交审核" in page.locator(".messages").inner_text()
    assert 'data-state="done"' in page.locator("[data-step=submit]").evaluate("e => e.outerHTML")

    page.screenshot(path=str(shots / "guided-month-submitted.png"), full_page=True)
    with schema_context(entered_month.schema_name):
        filing = MonthlyFiling.objects.get(year=YEAR, month=MONTH)
    assert filing.status == FilingStatus.IN_REVIEW
    assert interactions <= 6, interactions
    assert len(loads) <= 2, loads


def test_a_blank_month_is_entered_on_its_page_without_reloading(page, live_url, entered_month):
    log_in(page, live_url, "glass.filer", DEMO_PASSWORD)
    loads = []
    page.on("load", lambda _page: loads.append(page.url))
    page.goto(f"{live_url}/e/{entered_month.slug}/carbon/{YEAR}/{MONTH + 1}/")
    row = page.locator("[data-testid=source-row-F1-GAS]")
    assert "上月 123.4" in row.locator("input[name$=quantity]").get_attribute(
        "placeholder"
    )  # last month as a hint
    row.locator("input[name$=quantity]").fill("118.2")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=source-row-F1-GAS] >> text=118.2 10^4 Nm3")
    assert (
        page.locator("[data-step=entry]").get_attribute("data-state") == "done"
    )  # the steps follow in place
    assert "已保存" in page.locator("#row-saved-message").inner_text()
    assert len(loads) == 1, loads  # saved in place: no page load after opening the month
