"""A month of CEMS data in a real browser: dry run, confirm, see the exceedance, file the execution report, and
the environmental steward approves it (PDF copy of record)."""

import datetime
from decimal import Decimal as D

import pytest
from django_tenants.utils import schema_context

from steward.demo import DEMO_PASSWORD, credit_code
from steward.demo.pollution import cems_csv
from steward.pollution import services
from steward.pollution.services import LimitSpec, OutletSpec, PermitSpec
from tenants.models import Engagement, EnterpriseMembership, Industry, Jurisdiction, StewardFirm, User
from tenants.services import onboard_enterprise
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def boiler_plant(live_url, django_db_blocker):
    """A fresh enterprise with a permit (monthly reports), a certified CEMS and an environmental steward."""
    with django_db_blocker.unblock():
        enterprise = onboard_enterprise(
            slug="cx-boiler",
            name_zh="长兴热电联产有限公司",
            credit_code=credit_code("330522", "MA2C4E6G8"),
            jurisdiction=Jurisdiction.objects.get(code="330522"),
            industry=Industry.objects.get(code="4411"),
        )
        filer = User.objects.create_user("boiler.filer", password=DEMO_PASSWORD, display_name="热电 填报员")
        EnterpriseMembership.objects.create(user=filer, enterprise=enterprise, role="enterprise_filer")
        today = datetime.date.today()
        Engagement.objects.create(
            firm=StewardFirm.objects.get(name_zh__contains="绿碳"),
            enterprise=enterprise,
            covers_environmental=True,
            starts_on=today.replace(day=1),
            ends_on=today.replace(day=1, year=today.year + 1),
        )
        with schema_context(enterprise.schema_name):
            services.register_permit(
                spec=PermitSpec(
                    permit_number="91330522MA2C4E6G8001P",
                    management_class="key",
                    valid_from=datetime.date(2025, 1, 1),
                    valid_to=datetime.date(2030, 12, 31),
                    report_frequencies=["monthly", "annual"],
                    outlets=[
                        OutletSpec(
                            "DA001",
                            "锅炉烟囱",
                            "main",
                            "air",
                            D("6"),
                            [
                                LimitSpec("SO2", D("35"), "hour", True),
                                LimitSpec("NOx", D("50"), "hour", True),
                            ],
                        )
                    ],
                    permitted_amounts={"SO2": D("100"), "NOx": D("150")},
                ),
                by=filer,
            )
            services.certify_cems(
                outlet_code="DA001",
                standard="HJ 75-2017",
                valid_from=datetime.date(2026, 1, 1),
                valid_to=datetime.date(2026, 12, 31),
                by=filer,
            )
    return enterprise


def test_import_cems_see_exceedance_and_file_the_execution_report(page, live_url, boiler_plant, tmp_path):
    workspace = f"{live_url}/e/{boiler_plant.slug}"
    data = cems_csv(
        2026,
        1,
        base={"SO2": D("20"), "NOx": D("30")},
        flow=D("300000"),
        oxygen=D("6"),
        spike=(30, "SO2", D("41.5")),
    )
    bad = tmp_path / "bad.csv"
    bad.write_bytes(data.replace(b"2026-01-02 00:00,300000", b"2026-01-02 00:00,abc", 1))
    good = tmp_path / "DA001-2026-01.csv"
    good.write_bytes(data)

    log_in(page, live_url, "boiler.filer", DEMO_PASSWORD)
    page.goto(f"{workspace}/pollution/import/")
    page.set_input_files("[data-testid=import-form] input[type=file]", str(bad))
    page.click("[data-testid=dry-run]")
    problems = page.locator("[data-testid=preview-problems]").inner_text()
    assert "“abc”不是数字" in problems
    cells = page.locator("[data-testid=preview-problems] tbody tr").first.locator("td")
    assert [cells.nth(i).inner_text() for i in range(3)] == ["CSV", "26", "B"]  # row 26, column B (flow)
    assert page.locator("[data-testid=confirm-import]").count() == 0

    page.set_input_files("[data-testid=import-form] input[type=file]", str(good))
    page.click("[data-testid=dry-run]")
    assert "744 个时段" in page.locator("[data-testid=preview-ok]").inner_text()
    page.click("[data-testid=confirm-import]")
    page.wait_for_url(f"{workspace}/pollution/2026/1/")
    assert page.locator("[data-testid=exceedance-count]").inner_text() == "1"
    exceedance = page.locator("[data-testid=exceedances]").inner_text()
    assert "2026-01-02 06:00" in exceedance and "41.5" in exceedance
    assert "自动监测" in page.locator("[data-testid=results]").inner_text()

    page.goto(f"{workspace}/pollution/reports/monthly/2026/1/")
    page.click("[data-testid=open-report]")
    assert page.locator("[data-testid=report-status]").inner_text() == "草稿"
    page.click("[data-testid=submit-report]")
    assert page.locator("[data-testid=report-status]").inner_text() == "审核中"

    page.context.clear_cookies()
    log_in(page, live_url, "greencarbon.reviewer", DEMO_PASSWORD)
    page.goto(f"{workspace}/pollution/reports/monthly/2026/1/")
    page.click("[data-testid=approve-report]")
    assert page.locator("[data-testid=report-status]").inner_text() == "审核通过"
    assert page.locator("[data-testid=report-pdf]").inner_text().endswith(".pdf")
    timeline = page.locator("[data-testid=report-timeline]").inner_text()
    assert "提交" in timeline and "审核通过" in timeline
