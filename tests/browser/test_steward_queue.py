"""The steward's queue in a real browser: the steward opens it from the header, ticks what may be approved
and approves it in one go; a month held by a blocking finding offers no checkbox."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from steward.demo import DEMO_PASSWORD, credit_code
from steward.filing.models import FilingFinding, FilingStatus, MonthlyFiling
from tenants.models import Engagement, Industry, Jurisdiction, StewardFirm
from tenants.services import onboard_enterprise
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def client_in_review(live_url, django_db_blocker):
    """A freshly onboarded client of 绿碳 (carbon) with two months in review, one with a blocking finding
    (committed: the live server thread cannot see a test's transaction). The engagement ends afterwards, so
    the client leaves every steward's queue for the tests that follow."""
    with django_db_blocker.unblock():
        enterprise = onboard_enterprise(
            slug="ax-queue",
            name_zh="安吉队列竹业有限公司",
            credit_code=credit_code("330523", "MA2Q7E5U1"),
            jurisdiction=Jurisdiction.objects.get(code="330523"),
            industry=Industry.objects.get(code="1752"),
        )
        today = datetime.date.today()
        Engagement.objects.create(
            firm=StewardFirm.objects.get(name_zh__contains="绿碳"),
            enterprise=enterprise,
            covers_carbon=True,
            starts_on=today.replace(day=1),
            ends_on=today.replace(day=1, year=today.year + 1),
        )
        with schema_context(enterprise.schema_name):
            for month in (3, 4):
                filing = MonthlyFiling.objects.create(
                    year=2026,
                    month=month,
                    status=FilingStatus.IN_REVIEW,
                    deadline=today + datetime.timedelta(days=month),
                    submitted_at=timezone.now(),
                )
            FilingFinding.objects.create(
                filing=filing,
                rule_id="DQ-B01",
                severity="blocking",
                category="completeness",
                item="month",
                message="缺少活动数据",
                clause="测试",
            )
    yield enterprise
    with django_db_blocker.unblock():
        Engagement.objects.filter(enterprise=enterprise).update(status=Engagement.Status.ENDED)


def test_steward_bulk_approves_from_the_queue(page, live_url, client_in_review, shots):
    log_in(page, live_url, "greencarbon.reviewer", DEMO_PASSWORD)
    page.click("[data-testid=queue-link]")
    page.select_option("[data-testid=queue-filters] select[name=enterprise]", label="安吉队列竹业有限公司")
    page.select_option("[data-testid=queue-filters] select[name=assigned]", "me")
    page.click("[data-testid=queue-filters] button[type=submit]")
    rows = page.locator("[data-testid=queue-item]")
    assert rows.count() == 2
    assert "2026年3月" in rows.nth(0).inner_text() and "1 项阻断问题" in rows.nth(1).inner_text()
    assert page.locator("[data-testid=approve-checkbox]").count() == 1
    page.screenshot(path=str(shots / "reviewer-queue.png"), full_page=True)
    page.check("[data-testid=approve-checkbox]")
    page.click("[data-testid=bulk-approve]")
    assert "安吉队列竹业有限公司 2026年3月：已审核通过并锁定。" in page.locator(".messages").inner_text()
    assert page.locator("[data-testid=queue-item]").count() == 1  # the filters are kept; April still waits
    page.screenshot(path=str(shots / "reviewer-queue-approved.png"), full_page=True)
    with schema_context(client_in_review.schema_name):
        assert MonthlyFiling.objects.get(month=3).status == FilingStatus.LOCKED
