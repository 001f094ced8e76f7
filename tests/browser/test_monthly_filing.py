"""One month from draft to locked in a real browser: the filer enters and submits, the steward approves."""

import datetime

import pytest

from steward.demo import DEMO_PASSWORD, credit_code
from tenants.models import Engagement, EnterpriseMembership, Industry, Jurisdiction, StewardFirm, User
from tenants.services import onboard_enterprise
from tests.browser.conftest import log_in

# django_db: pytest-django sets up the test database only for runs that contain database tests.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def boiler_user(live_url, django_db_blocker):
    """A freshly onboarded enterprise with a filer and a carbon-scope steward engagement (committed)."""
    with django_db_blocker.unblock():
        enterprise = onboard_enterprise(
            slug="wx-textile",
            name_zh="吴兴锦程纺织有限公司",
            credit_code=credit_code("330502", "MA2W3X5Y7"),
            jurisdiction=Jurisdiction.objects.get(code="330502"),
            industry=Industry.objects.get(code="1752"),
        )
        filer = User.objects.create_user("textile.filer", password=DEMO_PASSWORD, display_name="纺织 填报员")
        EnterpriseMembership.objects.create(user=filer, enterprise=enterprise, role="enterprise_filer")
        today = datetime.date.today()
        Engagement.objects.create(
            firm=StewardFirm.objects.get(name_zh__contains="绿碳"),
            enterprise=enterprise,
            covers_carbon=True,
            starts_on=today.replace(day=1),
            ends_on=today.replace(day=1, year=today.year + 1),
        )
    return enterprise


def test_filer_submits_and_steward_locks_the_month(page, live_url, boiler_user, shots):
    workspace = f"{live_url}/e/{boiler_user.slug}"
    log_in(page, live_url, "textile.filer", DEMO_PASSWORD)
    page.goto(f"{workspace}/carbon/2026/")
    page.fill("input[name=facility-code]", "B1")
    page.fill("input[name=facility-name]", "1号燃煤锅炉")
    page.select_option("select[name=facility-kind]", "boiler")
    page.click("button[name=add_facility]")
    page.select_option("select[name=source-facility]", label="B1 1号燃煤锅炉")
    page.fill("input[name=source-code]", "B1-COAL")
    page.fill("input[name=source-name]", "锅炉烟煤")
    page.select_option("select[name=source-kind]", "fuel_combustion")
    page.select_option("select[name=source-fuel_code]", "bituminous_coal")
    page.select_option("select[name=source-unit]", "t")
    page.click("button[name=add_source]")
    assert "B1-COAL 锅炉烟煤" in page.locator("[data-testid=carbon-sources]").inner_text()

    page.goto(f"{workspace}/carbon/2026/1/")
    form = page.locator("[data-testid=activity-form-B1-COAL]")
    form.locator("input[name$=quantity]").fill("850")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=source-row-B1-COAL] >> text=850.00 t")  # saved in place (htmx)
    page.screenshot(path=str(shots / "filer-month-entered.png"), full_page=True)

    page.click("[data-testid=to-filing]")
    page.click("[data-testid=open-filing]")
    assert (
        "DQ-T01" in page.locator("[data-testid=filing-findings]").inner_text()
    )  # January is past its deadline
    page.fill("[data-testid=filing-findings] input[name=text]", "系统上线前的历史月份补录")
    page.click("[data-testid=acknowledge-DQ-T01]")
    page.click("[data-testid=submit-filing]")
    assert page.locator("[data-testid=filing-status]").inner_text() == "审核中"
    page.screenshot(path=str(shots / "filer-month-submitted.png"), full_page=True)

    page.context.clear_cookies()
    log_in(page, live_url, "greencarbon.manager", DEMO_PASSWORD)
    page.goto(f"{workspace}/filing/2026/1/")
    assert "系统上线前的历史月份补录" in page.locator("[data-testid=filing-findings]").inner_text()
    # The steward returns it with a comment written beside the coal item.
    page.fill("textarea[name=comment-B1-COAL]", "请附入炉煤皮带秤月报")
    page.click("[data-testid=return-filing]")
    assert page.locator("[data-testid=filing-status]").inner_text() == "已退回"
    page.screenshot(path=str(shots / "manager-month-returned.png"), full_page=True)

    page.context.clear_cookies()
    log_in(page, live_url, "textile.filer", DEMO_PASSWORD)
    page.goto(f"{workspace}/carbon/2026/1/")
    assert "请附入炉煤皮带秤月报" in page.locator("[data-testid=comment-B1-COAL]").inner_text()
    page.click("[data-testid=to-filing]")
    assert "请附入炉煤皮带秤月报" in page.locator("[data-testid=item-B1-COAL]").inner_text()
    page.click("[data-testid=submit-filing]")
    assert page.locator("[data-testid=filing-status]").inner_text() == "审核中"

    page.context.clear_cookies()
    log_in(page, live_url, "greencarbon.manager", DEMO_PASSWORD)
    page.goto(f"{workspace}/filing/2026/1/")
    page.click("[data-testid=approve-filing]")
    assert page.locator("[data-testid=filing-status]").inner_text() == "已锁定存证"
    assert len(page.locator("[data-testid=filing-seal]").inner_text().strip()) == 64
    page.screenshot(path=str(shots / "manager-month-locked.png"), full_page=True)
    timeline = page.locator("[data-testid=filing-timeline]").inner_text()
    assert "提交" in timeline and "退回" in timeline and "审核通过并锁定" in timeline
    history = page.locator("[data-testid=filing-history]").inner_text()
    # the trigger-kept history of the filing row, in words: 状态 审核中 → 已退回 … → 已锁定存证
    assert "已退回" in history and "已锁定存证" in history and "returned" not in history
