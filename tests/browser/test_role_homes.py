"""One real-browser journey per role: log in, see the home page that role should see, in Chinese."""

from __future__ import annotations

import pytest

from steward.demo import DEMO_PASSWORD
from tests.browser.conftest import log_in

# django_db: pytest-django sets up the test database only for runs that contain database tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# role → (demo user, what the home page must show, a workspace to open, text expected there)
JOURNEYS = {
    "enterprise_admin": ("power.admin", "我的企业工作区", "/e/cx-power/", "企业管理员"),
    "enterprise_filer": ("cement.filer", "我的企业工作区", "/e/wx-cement/", "企业填报员（EHS）"),
    "enterprise_signatory": ("power.signatory", "我的企业工作区", "/e/cx-power/", "企业签字人"),
    "steward_reviewer": ("greencarbon.reviewer", "服务中的客户企业", "/e/cx-power/", "管家审核员"),
    "steward_manager": ("greencarbon.manager", "服务中的客户企业", "/e/wx-cement/", "管家项目经理"),
    "bureau_viewer": ("wuxing.viewer", "辖区监管概览", "/e/wx-cement/", "只读视图"),
    "bureau_inspector": ("city.inspector", "辖区监管概览", "/e/nx-dyeing/", "监管检查员"),
    "platform_admin": ("platform", "平台已开通企业", None, None),
}


@pytest.mark.parametrize("role", JOURNEYS)
def test_each_role_logs_in_and_sees_its_home(page, live_url, role, shots):
    username, home_heading, workspace, workspace_text = JOURNEYS[role]
    log_in(page, live_url, username, DEMO_PASSWORD)
    assert page.locator("h2", has_text=home_heading).count() >= 1, page.content()[:3000]
    assert page.get_attribute("html", "lang") == "zh-hans"
    page.screenshot(path=str(shots / f"home-{role}.png"), full_page=True)
    if role == "platform_admin":  # the platform admin's job starts at onboarding an enterprise
        page.click("text=开通新企业")
        assert page.locator("form").count() >= 1
        page.screenshot(path=str(shots / "platform-admin-onboard.png"), full_page=True)
    if workspace:
        page.goto(live_url + workspace)
        assert page.locator(
            "[data-testid=workspace-roles], [data-testid=read-only-banner]"
        ).first.is_visible()
        assert workspace_text in page.content()


def test_district_bureau_sees_only_its_district_and_is_refused_elsewhere(page, live_url):
    log_in(page, live_url, "wuxing.viewer", DEMO_PASSWORD)
    overview = page.locator("[data-testid=bureau-overview]")
    assert "湖州青山水泥有限公司" in overview.inner_text()
    assert "长兴湖能发电有限公司" not in overview.inner_text()
    page.goto(f"{live_url}/e/cx-power/")
    assert page.locator("[data-testid=forbidden]").is_visible()


def test_language_switch_to_english(page, live_url):
    log_in(page, live_url, "power.filer", DEMO_PASSWORD)
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert page.locator("h2", has_text="My enterprise workspaces").count() == 1
