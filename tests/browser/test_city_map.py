"""Issue 17 in a real browser: the district map (示意图) of the bureau dashboard, a click on a district that
filters the dashboard to it, the shading switch, and the wall with the map."""

from __future__ import annotations

import datetime
import importlib.util
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from steward.demo import DEMO_PASSWORD
from steward.oversight.models import Metric, MonthFact
from tenants.models import Enterprise
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
YEAR = 2023  # a year the demo world leaves empty
ROOT = Path(__file__).resolve().parents[2]


def tile_centre(code: str) -> tuple[float, float]:
    spec = importlib.util.spec_from_file_location("schematic_map", ROOT / "deploy" / "schematic_map.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    x, y, _radius = module.TILES[code]
    return x, y


@pytest.fixture(scope="module")
def city_year(live_url, django_db_blocker):
    """Committed read-model rows (the live server thread cannot see a test's transaction); removed after."""
    with django_db_blocker.unblock():
        facts, metrics = [], []
        for slug, total, grade in (("cx-power", "52000", "4"), ("wx-cement", "30000", "2")):
            enterprise = Enterprise.objects.get(slug=slug)
            common = {
                "enterprise": enterprise,
                "jurisdiction_id": enterprise.jurisdiction_id,
                "industry_id": enterprise.industry_id,
                "year": YEAR,
            }
            facts.append(
                MonthFact.objects.create(
                    **common,
                    month=3,
                    status="locked",
                    version=1,
                    deadline=datetime.date(YEAR, 5, 10),
                    figures_version=1,
                    total_tco2=Decimal(total),
                )
            )
            metrics.append(
                Metric.objects.create(
                    **common, month=0, domain="compliance", key="carbon_efficiency_grade", label=grade
                )
            )
        yield facts
        MonthFact.objects.filter(pk__in=[fact.pk for fact in facts]).delete()
        Metric.objects.filter(pk__in=[metric.pk for metric in metrics]).delete()


def _screenshots(tmp_path) -> Path:
    root = os.environ.get("STEWARD_TEST_OUTPUT")
    folder = Path(root) / "screenshots" if root else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Failed to load resource" not in message.text  # the browser's own /favicon.ico (see below)
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
    return errors


def _tile_point(page, code: str) -> tuple[float, float]:
    """Where ECharts drew the centre of a district's tile, in page coordinates."""
    x, y = tile_centre(code)
    return page.evaluate(
        """([x, y]) => {
            const element = document.getElementById("district-map");
            element.scrollIntoView({ block: "center", behavior: "instant" });
            const point = echarts.getInstanceByDom(element).convertToPixel({ seriesIndex: 0 }, [x, y]);
            const box = element.getBoundingClientRect();
            return [box.left + point[0], box.top + point[1]];
        }""",
        [x, y],
    )


def test_a_click_on_a_district_of_the_map_filters_the_dashboard(page, live_url, city_year, tmp_path):
    errors = _watch(page)
    page.set_viewport_size({"width": 1400, "height": 1000})
    log_in(page, live_url, "city.viewer", DEMO_PASSWORD)
    page.goto(f"{live_url}/bureau/?year={YEAR}")
    page.wait_for_selector("#district-map[data-rendered=true] canvas")
    assert page.locator("#district-map").get_attribute("data-measure") == "tco2"
    assert page.locator("#district-map canvas").bounding_box()["height"] > 200
    assert "示意图" in page.locator("[data-testid=map-schematic]").inner_text()
    assert page.locator("[data-testid=total-tco2]").inner_text() == "8.20 万吨"
    page.locator("[data-testid=district-map-card]").screenshot(
        path=str(_screenshots(tmp_path) / "bureau-map.png")
    )
    # The switch shades by grade, then by on-time rate, without reloading the page.
    page.click("label[for=map-measure-grade]")
    page.wait_for_selector("#district-map[data-measure=grade]")
    page.locator("[data-testid=district-map-card]").screenshot(
        path=str(_screenshots(tmp_path) / "bureau-map-grade.png")
    )
    page.click("label[for=map-measure-on_time]")
    page.wait_for_selector("#district-map[data-measure=on_time]")
    assert page.url.endswith(f"/bureau/?year={YEAR}")
    # A click in the middle of 吴兴区's tile, as a person would.
    x, y = _tile_point(page, "330502")
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"district=330502"))
    assert f"year={YEAR}" in page.url
    assert page.locator("[data-testid=total-tco2]").inner_text() == "3.00 万吨"
    assert "长兴湖能发电有限公司" not in page.locator("[data-testid=dashboard-table]").inner_text()
    assert page.locator("[data-testid=breadcrumbs] li").all_inner_texts()[:2] == ["全市", "吴兴区"]
    assert page.locator("[data-testid=district-tco2-330502]").inner_text() == "3.00 万吨"
    assert page.locator("[data-testid=district-tco2-330522]").count() == 0
    page.wait_for_selector("#district-map[data-rendered=true] canvas")
    page.screenshot(path=str(_screenshots(tmp_path) / "bureau-dashboard-map-wuxing.png"), full_page=True)
    assert errors == []  # no CSP refusal, no script error, the GeoJSON found


def test_the_wall_shows_the_map(browser, live_url, city_year, tmp_path):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    errors = _watch(page)
    log_in(page, live_url, "city.viewer", DEMO_PASSWORD)
    page.goto(f"{live_url}/bureau/wall/?year={YEAR}")
    page.wait_for_selector("[data-testid=bureau-wall]")
    page.wait_for_selector("#district-map[data-rendered=true] canvas")
    assert page.locator("#district-map canvas").bounding_box()["height"] > 200
    assert "5.20 万吨" in page.locator("[data-testid=wall-district-table]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    # on a wall screen everything is on one screen, the map beside its table
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    page.screenshot(path=str(_screenshots(tmp_path) / "bureau-wall-map.png"), full_page=True)
    assert errors == []
    context.close()
