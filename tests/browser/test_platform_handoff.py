"""The 存证 hand-off in a real browser: the cement plant's filer downloads a locked month's platform items and
evidence bundle, records the platform's receipt, and the district bureau sees the month filed there.

The receipt row is committed (the live server thread cannot see a test's transaction) and, append-only, stays:
the month used is last year's November of the cement plant, locked by the demo and used by no other test.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.utils import timezone

from steward.demo import DEMO_PASSWORD
from steward.demo.period import last_month
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
TODAY = timezone.localdate()
YEAR, MONTH = last_month()[0] - 1, 11  # the demo's annual year (steward/demo/annual.py)


def test_filer_downloads_the_hand_off_and_records_the_receipt(page, live_url):
    month_page = f"{live_url}/e/wx-cement/filing/{YEAR}/{MONTH}/"
    log_in(page, live_url, "cement.filer", DEMO_PASSWORD)
    page.goto(month_page)
    section = page.locator("[data-testid=platform-handoff]")
    assert "尚未登记平台存证" in section.inner_text()
    page.locator("[data-testid=platform-handoff] summary").click()
    assert "熟料产量" in page.locator("[data-testid=platform-items]").inner_text()

    with page.expect_download() as download:
        page.click("[data-testid=platform-items-json]")
    body = json.loads(open(download.value.path(), "rb").read())
    assert body["sector"] == "cement" and body["items"][0]["name"] == "熟料产量"
    with page.expect_download() as download:
        page.click("[data-testid=platform-evidence-zip]")
    manifest = json.loads(
        zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())).read("manifest.json")
    )
    assert manifest["year"] == YEAR and manifest["month"] == MONTH and len(manifest["seal"]) == 64

    form = page.locator("[data-testid=platform-record-form]")
    form.locator("input[name=submitted_on]").fill(TODAY.isoformat())
    form.locator("input[name=receipt_number]").fill("QGPT-BROWSER-0001")
    page.click("[data-testid=platform-record]")
    assert "已在平台存证" in page.locator("[data-testid=platform-status]").inner_text()
    assert "QGPT-BROWSER-0001" in page.locator("[data-testid=platform-history]").inner_text()
    # Recorded once: the form now asks for a correction with its reason.
    assert page.locator("[data-testid=platform-record-form] input[name=reason]").count() == 1

    page.context.clear_cookies()
    log_in(page, live_url, "wuxing.viewer", DEMO_PASSWORD)
    page.goto(f"{live_url}/bureau/?year={YEAR}&month={MONTH}")
    assert "QGPT-BROWSER-0001" in page.locator("[data-testid=dashboard-table]").inner_text()
