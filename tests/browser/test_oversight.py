"""The bureau dashboard in a real browser: the city sees every district, a district only its own."""

from __future__ import annotations

import datetime
import re
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
    assert page.locator("[data-testid=total-tco2]").inner_text() == "8.20 万吨"
    page.select_option("[data-testid=district-filter]", label="吴兴区")
    page.click("[data-testid=dashboard-filters] button[type=submit]")
    assert "长兴湖能发电有限公司" not in page.locator("[data-testid=dashboard-table]").inner_text()
    assert page.locator("[data-testid=total-tco2]").inner_text() == "3.00 万吨"


def test_district_bureau_sees_only_its_district(page, live_url, facts):
    log_in(page, live_url, "wuxing.viewer", DEMO_PASSWORD)
    page.goto(f"{live_url}/bureau/?year={YEAR}")
    table = page.locator("[data-testid=dashboard-table]").inner_text()
    assert "湖州青山水泥有限公司" in table and "长兴湖能发电有限公司" not in table
    assert page.locator("[data-testid=total-tco2]").inner_text() == "3.00 万吨"
    options = page.locator("[data-testid=district-filter] option").all_inner_texts()
    assert "长兴县" not in options
    link = page.locator("[data-testid=dashboard-table] a", has_text="查看存证")
    assert link.get_attribute("href") == f"/e/wx-cement/filing/{YEAR}/3/"


def test_charts_render_and_a_district_bar_filters_the_dashboard(page, live_url, facts, shots):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Failed to load resource" not in message.text  # the browser's own /favicon.ico
            and errors.append(message.text)
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and "favicon" not in response.url
            and errors.append(f"{response.status} {response.url}")
        ),
    )
    log_in(page, live_url, "city.viewer", DEMO_PASSWORD)
    page.goto(f"{live_url}/bureau/?year={YEAR}")
    for chart in ("trend-chart", "grade-chart", "district-chart"):
        page.wait_for_selector(f"#{chart}[data-rendered=true] canvas")
    assert page.locator("#district-chart canvas").bounding_box()["height"] > 100
    page.screenshot(path=str(shots / "bureau-dashboard.png"), full_page=True)
    # Click the middle of 吴兴区's bar (where ECharts drew it), as a person would.
    x, y = page.evaluate(
        """() => {
            const element = document.getElementById("district-chart");
            element.scrollIntoView({ block: "center", behavior: "instant" });  // Bootstrap scrolls smoothly
            const data = JSON.parse(document.getElementById("dashboard-charts").textContent).districts;
            const index = data.codes.indexOf("330502");
            const point = echarts.getInstanceByDom(element).convertToPixel(
                { seriesIndex: 0 }, [index, data.tco2[index] / 2]);
            const box = element.getBoundingClientRect();
            return [box.left + point[0], box.top + point[1]];
        }"""
    )
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"district=330502"))
    assert f"year={YEAR}" in page.url
    assert page.locator("[data-testid=total-tco2]").inner_text() == "3.00 万吨"
    assert "长兴湖能发电有限公司" not in page.locator("[data-testid=dashboard-table]").inner_text()
    assert page.locator("[data-testid=breadcrumbs] li").all_inner_texts()[:2] == ["全市", "吴兴区"]
    page.wait_for_selector("#district-chart[data-rendered=true] canvas")
    page.screenshot(path=str(shots / "bureau-dashboard-wuxing.png"), full_page=True)
    # Drill down: the enterprise (its months, tCO2 and findings), then one month; the breadcrumbs lead back.
    page.click("[data-testid=dashboard-table] a:has-text('湖州青山水泥有限公司')")
    page.wait_for_url(re.compile(r"enterprise=wx-cement"))
    crumbs = page.locator("[data-testid=breadcrumbs] li").all_inner_texts()
    assert crumbs[0] == "全市" and crumbs[1] == "吴兴区" and crumbs[-1] == "湖州青山水泥有限公司"
    page.click(f"[data-testid=dashboard-table] a:has-text('{YEAR}-03')")
    page.wait_for_url(re.compile(r"month=3"))
    detail = page.locator("[data-testid=month-detail]").inner_text()
    assert "30,000.00 tCO2" in detail and "已存证" in detail
    page.screenshot(path=str(shots / "bureau-dashboard-month.png"), full_page=True)
    page.click("[data-testid=breadcrumbs] a:has-text('吴兴区')")
    page.wait_for_url(re.compile(r"/bureau/\?year=" + str(YEAR) + "&district=330502$"))
    # The breadcrumb leads back to the whole city.
    page.click("[data-testid=breadcrumbs] a:has-text('全市')")
    page.wait_for_url(re.compile(r"/bureau/\?year=" + str(YEAR) + "$"))
    assert page.locator("[data-testid=total-tco2]").inner_text() == "8.20 万吨"
    assert errors == []  # no CSP refusal, no script error, no missing static file


def test_wall_mode_fills_a_wall_screen_and_refreshes_itself(browser, live_url, facts, shots):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error" and "favicon" not in message.text and errors.append(message.text)
        ),
    )
    log_in(page, live_url, "city.viewer", DEMO_PASSWORD)
    page.goto(f"{live_url}/bureau/?year={YEAR}")
    page.click("[data-testid=wall-link]")
    page.wait_for_selector("[data-testid=bureau-wall]")
    assert f"year={YEAR}" in page.url  # the wall shows the view it was opened from
    for chart in ("trend-chart", "grade-chart", "district-chart"):
        page.wait_for_selector(f"#{chart}[data-rendered=true] canvas")
    assert page.locator("[data-testid=wall-tco2]").inner_text() == "8.20 万吨"
    assert int(page.locator("meta[http-equiv=refresh]").get_attribute("content")) > 0
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.screenshot(path=str(shots / "bureau-wall.png"))
    assert errors == []
    context.close()
