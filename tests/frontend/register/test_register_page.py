"""The bureau's register page: its jurisdiction's enterprises, 速算 by district with the method, the sealed gap."""

import datetime
from decimal import Decimal

import pytest

from steward.oversight.models import MonthFact
from steward.register import demo, importer
from tenants.models import Enterprise, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed(db):
    demo.load_register(14)
    power = Enterprise.objects.get(slug="cx-power")
    user = User.objects.get(username="city.viewer")
    rows = [[power.credit_code, 2025, 6, "电力", "1000000", "kWh"]]
    importer.import_feed(
        name="grid.csv",
        data=demo.feed_bytes(demo.ENERGY_HEADER, rows),
        kind="grid_electricity",
        year=2025,
        source="国网湖州供电公司",
        by=user,
    )
    MonthFact.objects.create(
        enterprise=power,
        jurisdiction_id=power.jurisdiction_id,
        industry_id=power.industry_id,
        year=2025,
        month=6,
        status="locked",
        version=1,
        deadline=datetime.date(2025, 8, 10),
        figures_version=1,
        total_tco2=Decimal("1000"),
    )
    return power


def test_the_city_bureau_sees_the_register_quick_figures_and_the_gap(user_client, fed):
    power = fed
    response = user_client("city.viewer").get("/bureau/register/?year=2025")
    assert response.status_code == 200
    page = response.content.decode()
    assert "企业名录与速算" in page and power.name_zh in page
    assert "530.60" in page and "1,000.00" in page and "-47%" in page and 'data-testid="gap-flag"' in page
    assert "0.5306 tCO2/MWh" in page and "待核实" in page
    assert "国网湖州供电公司" in page


def test_the_method_cites_its_sources_in_the_readers_language(user_client, fed):
    """The Chinese page cited the factor library's sources in English, each three times per fuel."""
    client = user_client("city.viewer")
    page = client.get("/bureau/register/?year=2025").content.decode()
    method = page.split('data-testid="quick-method"', 1)[1].split("</section>", 1)[0]
    assert "NDRC 2013-15" not in method and "MEE/NBS annual national factors" not in method
    assert "国家发展改革委2013—2015年分行业企业温室气体排放核算方法与报告指南" in method
    rows = method.split("<tr>")[2:]  # after the header row: one row per carrier
    assert rows and all(row.count("国家发展改革委2013—2015年") <= 1 for row in rows)  # each source once
    assert any("国家发展改革委2013—2015年" in row for row in rows)
    client.cookies["django_language"] = "en"
    english = client.get("/bureau/register/?year=2025").content.decode()
    assert "NDRC 2013-15 sector guidelines" in english


def test_people_without_a_bureau_role_are_refused(user_client, fed):
    assert user_client("power.filer").get("/bureau/register/").status_code == 403


def test_the_operator_checks_a_feed_sees_row_errors_then_confirms_the_same_bytes(user_client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from steward.register.models import EnergyRecord, FeedBatch

    demo.load_register(3)
    power = Enterprise.objects.get(slug="cx-power")
    client = user_client("platform")
    fields = {"kind": "grid_electricity", "source": "国网湖州供电公司", "year": "2025", "month": "3"}
    bad = demo.feed_bytes(demo.ENERGY_HEADER, [[power.credit_code, 2025, 3, "电力", "abc", "kWh"]])
    page = client.post(
        "/register/import/", {**fields, "file": SimpleUploadedFile("bad.csv", bad)}
    ).content.decode()
    assert "“abc”不是数字" in page and 'data-testid="feed-confirm"' not in page

    good = demo.feed_bytes(demo.ENERGY_HEADER, [[power.credit_code, 2025, 3, "电力", "1,000", "kWh"]])
    response = client.post("/register/import/", {**fields, "file": SimpleUploadedFile("国网3月.csv", good)})
    page = response.content.decode()
    assert 'data-testid="feed-confirm"' in page and EnergyRecord.objects.count() == 0
    sha256 = response.context["confirm"].initial["sha256"]
    response = client.post(
        "/register/import/", {**fields, "sha256": sha256, "name": "国网3月.csv"}, follow=True
    )
    batch = FeedBatch.objects.get()
    assert "已导入批次" in response.content.decode()
    assert (batch.sha256, batch.month, batch.source, batch.imported_by.username) == (
        sha256,
        3,
        "国网湖州供电公司",
        "platform",
    )
    assert EnergyRecord.objects.get().quantity == Decimal("1000")


def test_only_the_platform_operator_imports_feeds(user_client, db):
    assert user_client("city.viewer").get("/register/import/").status_code == 403


def test_home_links_the_bureau_to_the_register_and_the_operator_to_the_import(user_client, db):
    assert 'data-testid="city-register-link"' in user_client("city.viewer").get("/home/").content.decode()
    assert 'data-testid="register-import-link"' in user_client("platform").get("/home/").content.decode()
