"""The bureau dashboard in a real browser: the city sees every district, a district only its own."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from steward.demo import DEMO_PASSWORD
from steward.oversight.models import MonthFact
from tenants.models import Enterprise
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
YEAR = 2023  # a year the demo world leaves empty (its cement plant filed 2025)


@pytest.fixture(scope="module")
def facts(live_url, django_db_blocker):
    """Committed read-model rows (the live server thread cannot see a test's transaction); removed after."""
    with django_db_blocker.unblock():
        made = []
        for slug, total in (("cx-power", "52000"), ("wx-cement", "30000")):
            enterprise = Enterprise.objects.get(slug=slug)
            made.append(
                MonthFact.objects.create(
                    enterprise=enterprise,
                    jurisdiction_id=enterprise.jurisdiction_id,
                    industry_id=enterprise.industry_id,
                    year=YEAR,
                    month=3,
                    status="locked",
                    version=1,
                    deadline=datetime.date(YEAR, 5, 10),
                    figures_version=1,
                    total_tco2=Decimal(total),
                )
            )
        yield made
        MonthFact.objects.filter(pk__in=[fact.pk for fact in made]).delete()


def test_city_bureau_sees_all_districts_and_filters_to_one(page, live_url, facts):
    log_in(page, live_url, "city.viewer", DEMO_PASSWORD)
    page.click("[data-testid=bureau-dashboard-link]")
    page.fill("input[name=year]", str(YEAR))
    page.click("[data-testid=dashboard-filters] button[type=submit]")
    table = page.locator("[data-testid=dashboard-table]")
    assert "长兴湖能发电有限公司" in table.inner_text() and "湖州青山水泥有限公司" in table.inner_text()
    assert page.locator("[data-testid=total-tco2]").inner_text() == "82000.00"
    page.select_option("[data-testid=district-filter]", label="吴兴区")
    page.click("[data-testid=dashboard-filters] button[type=submit]")
    assert "长兴湖能发电有限公司" not in page.locator("[data-testid=dashboard-table]").inner_text()
    assert page.locator("[data-testid=total-tco2]").inner_text() == "30000.00"


def test_district_bureau_sees_only_its_district(page, live_url, facts):
    log_in(page, live_url, "wuxing.viewer", DEMO_PASSWORD)
    page.goto(f"{live_url}/bureau/?year={YEAR}")
    table = page.locator("[data-testid=dashboard-table]").inner_text()
    assert "湖州青山水泥有限公司" in table and "长兴湖能发电有限公司" not in table
    assert page.locator("[data-testid=total-tco2]").inner_text() == "30000.00"
    options = page.locator("[data-testid=district-filter] option").all_inner_texts()
    assert "长兴县" not in options
    link = page.locator("[data-testid=dashboard-table] a", has_text="查看存证")
    assert link.get_attribute("href") == f"/e/wx-cement/filing/{YEAR}/3/"
