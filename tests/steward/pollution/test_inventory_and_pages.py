"""Fused inventory totals equal both sides; pages and who may see or do what (isolation)."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from reports.fused_inventory import inventory_xlsx
from reports.xlsx import safe_text
from steward.carbon.models import CalculationRun
from steward.pollution import inventory
from steward.pollution.accounting import month_results

pytestmark = pytest.mark.django_db

LAST = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


def test_fused_inventory_totals_equal_both_sides(power):
    months = list(range(1, LAST.month + 1))
    built = inventory.build(power["permit"], LAST.year, months)
    runs = CalculationRun.objects.filter(year=LAST.year, month__in=months, superseded_by__isnull=True)
    carbon_total = sum((run.total_tco2 for run in runs), D(0))
    assert carbon_total > 0 and built.carbon_total == carbon_total == built.row_total_tco2()
    for pollutant in ("SO2", "NOx", "PM"):
        side = sum(
            (
                r.tonnes
                for m in months
                for r in month_results(power["permit"], LAST.year, m)
                if r.pollutant == pollutant
            ),
            D(0),
        )
        assert side > 0 and built.row_total(pollutant) == built.pollutant_totals[pollutant] == side
    # Coal and gas share the stack: last month's monitored NOx is split between them, both rows carry some.
    last_rows = {row.source: row for row in built.rows if row.month == LAST.month}
    assert (
        last_rows["1号机组入炉烟煤"].pollutants["NOx"]
        > last_rows["1号机组启动用天然气"].pollutants["NOx"]
        > 0
    )


def test_xlsx_export_is_safe_from_formula_injection(power):
    built = inventory.build(power["permit"], LAST.year, [1])
    built.rows[0].source = '=HYPERLINK("http://evil")'
    workbook = load_workbook(io.BytesIO(inventory_xlsx(built, "+cmd|' /C calc'!A0")))
    sheet = workbook.active
    assert sheet["A1"].value == "'+cmd|' /C calc'!A0"
    assert sheet.cell(row=3, column=3).value.startswith("'=")
    assert safe_text("-1") == "'-1" and safe_text("煤") == "煤"
    totals = [row for row in sheet.iter_rows(values_only=True) if row[0] == "合计"][0]
    assert D(str(totals[3])) == built.row_total_tco2().quantize(D("0.01"))


PAGES = ["pollution/", "pollution/import/", "pollution/reports/", f"pollution/{LAST.year}/{LAST.month}/"]


@pytest.mark.parametrize(
    "username, slug, expected",
    [
        ("power.filer", "cx-power", 200),
        ("greencarbon.reviewer", "cx-power", 200),  # live environmental engagement
        ("changxing.inspector", "cx-power", 200),  # bureau of the district: read-only
        ("city.viewer", "nth-paper", 200),
        ("qingyuan.reviewer", "nth-paper", 403),  # carbon-only engagement: no environmental pages
        ("greencarbon.reviewer", "wx-cement", 403),  # carbon-only engagement
        ("greencarbon.reviewer", "nx-dyeing", 403),  # engagement ended
        ("wuxing.viewer", "cx-power", 403),  # another district's bureau
        ("paper.filer", "cx-power", 403),  # another enterprise
    ],
)
def test_environmental_pages_follow_live_access(power, paper, user_client, username, slug, expected):
    client = user_client(username)
    for page in PAGES:
        assert client.get(f"/e/{slug}/{page}").status_code == expected, page


def test_carbon_only_steward_sees_the_fused_inventory_but_the_other_bureau_does_not(
    power, paper, user_client
):
    assert user_client("qingyuan.reviewer").get("/e/nth-paper/inventory/").status_code == 200
    assert user_client("wuxing.viewer").get("/e/nth-paper/inventory/").status_code == 403
    response = user_client("city.viewer").get("/e/cx-power/inventory/?format=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


def test_bureau_never_edits(power, user_client):
    client = user_client("changxing.inspector")
    csv = io.BytesIO("监测时间,流量(m3/d),COD(mg/L),运行状态\n2026-03-01,5000,40,运行\n".encode())
    csv.name = "x.csv"
    response = client.post(
        "/e/cx-power/pollution/import/", {"outlet": "DW001", "interval": "day", "file": csv}
    )
    assert response.status_code == 403
    response = client.post(f"/e/cx-power/pollution/reports/monthly/{LAST.year}/{LAST.month}/open/")
    assert response.status_code == 403
    page = client.get(f"/e/cx-power/pollution/reports/monthly/{LAST.year}/{LAST.month}/")
    assert "该期执行报告尚未创建" in page.content.decode()
    assert "open-report" not in page.content.decode()


def test_month_page_shows_the_exceedance_and_the_method(power, user_client):
    page = user_client("power.filer").get(f"/e/cx-power/pollution/{LAST.year}/{LAST.month}/").content.decode()
    assert 'data-testid="exceedance-count">1<' in page
    assert "自动监测" in page and "氮氧化物" in page


def test_the_methods_read_in_english_on_english_pages(power, user_client):
    """The month page and the fused inventory showed 自动监测 and 排放口 DA001 on English pages."""
    client = user_client("power.filer")
    client.cookies["django_language"] = "en"
    month = client.get(f"/e/cx-power/pollution/{LAST.year}/{LAST.month}/").content.decode()
    inventory = client.get(f"/e/cx-power/inventory/{LAST.year}/").content.decode()
    for page in (month, inventory):
        assert "自动监测" not in page and "产排污系数法" not in page and "排放口 " not in page
        assert "automatic monitoring" in page or "emission coefficients" in page
    assert "quarterly valid-data capture" in month  # the note saying why the CEMS data were not used
    assert ".00000000 t" not in month  # the coefficient formula's activity as a person reads it


def test_fused_inventory_without_a_permit_shows_the_carbon_side(user_client):
    # The cement plant has carbon results but no permit yet: CO2 rows only, no pollutant columns.
    page = user_client("greencarbon.manager").get("/e/wx-cement/inventory/").content.decode()
    assert "5000t/d 熟料生产线" in page and "熟料煅烧" in page and "二氧化硫" not in page
    assert (
        user_client("greencarbon.manager").get("/e/wx-cement/pollution/").status_code == 403
    )  # carbon scope only
