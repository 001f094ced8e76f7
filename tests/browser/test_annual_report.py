"""An annual report in a real browser: the filer sends it for review, the steward approves and the PDF is
issued, the signatory reads it, re-enters the password and signs, the city bureau accepts."""

import pytest

from steward.demo import DEMO_PASSWORD
from steward.demo.annual import compiled_cement_year
from steward.demo.period import last_month
from steward.formatting import tonnes
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Two years back, so the demo's last-year report that other tests use stays as the demo left it.
YEAR = last_month()[0] - 2


@pytest.fixture(scope="module")
def compiled(live_url, django_db_blocker):
    with django_db_blocker.unblock():
        return compiled_cement_year(YEAR)


def as_user(page, live_url: str, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, live_url, username, DEMO_PASSWORD)
    page.goto(f"{live_url}/e/wx-cement/annual/{YEAR}/")


def test_review_sign_and_accept(page, live_url, compiled, shots):
    as_user(page, live_url, "cement.filer")
    assert page.locator("[data-testid=annual-status]").inner_text() == "已汇编"
    # grouped as on every other page (1,469,320.09), not the stored 1469320.09
    assert page.locator("[data-testid=annual-total]").inner_text() == tonnes(compiled.total_tco2)
    page.click("[data-testid=send-for-review]")
    assert page.locator("[data-testid=annual-status]").inner_text() == "质量审核中"
    page.screenshot(path=str(shots / "filer-annual-sent-for-review.png"), full_page=True)

    as_user(page, live_url, "greencarbon.reviewer")
    page.click("[data-testid=approve-review]")
    assert page.locator("[data-testid=annual-status]").inner_text() == "待签署"
    sha = page.locator("[data-testid=annual-pdf-sha]").inner_text()
    assert len(sha) == 64
    page.screenshot(path=str(shots / "reviewer-annual-approved.png"), full_page=True)

    as_user(page, live_url, "cement.signatory")
    form = page.locator("[data-testid=sign-form]")
    assert sha in form.inner_text()
    with page.expect_download() as download:  # the PDF shown is the one whose hash is signed
        page.click("[data-testid=annual-pdf]")
    assert download.value.suggested_filename.endswith(".pdf")
    questions = []  # signing is irreversible: the page asks first (steward.js, data-confirm)
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.fill("[data-testid=sign-password]", "not-my-password")
    page.check("[data-testid=attest]")
    page.click("[data-testid=sign-report]")
    assert "密码不正确" in page.content()
    page.fill("[data-testid=sign-password]", DEMO_PASSWORD)
    page.check("[data-testid=attest]")
    page.click("[data-testid=sign-report]")
    assert page.locator("[data-testid=annual-status]").inner_text() == "已报送主管部门"
    assert len(questions) == 2 and "不能撤回" in questions[0]
    assert "签署有效" in page.locator("[data-testid=signature-status]").inner_text()
    page.screenshot(path=str(shots / "signatory-annual-signed.png"), full_page=True)

    as_user(page, live_url, "city.inspector")
    assert page.locator("[data-testid=read-only-banner]").is_visible()
    page.click("[data-testid=accept-report]")
    assert page.locator("[data-testid=annual-status]").inner_text() == "主管部门已接收"
    page.screenshot(path=str(shots / "inspector-annual-accepted.png"), full_page=True)
    timeline = page.locator("[data-testid=annual-timeline]").inner_text()
    for step in ("汇编", "提交质量审核", "质量审核通过，出具报告", "签署并报送", "主管部门接收"):
        assert step in timeline
