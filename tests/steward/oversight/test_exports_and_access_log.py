"""XLSX without formula injection, the monthly PDF summary, and the enterprise's log of outside access."""

import io
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from steward.oversight.models import AccessLogEntry, MonthFact
from tenants.models import Enterprise


@pytest.fixture
def only_the_plants_file_2019():
    """The on-time rates below count 2019's obliged months: the cement and power plants only. Tests elsewhere
    commit into the shared world (the approval race of tests/steward/filing/test_filing_flow.py files a 2019
    month of dq-fibre, which makes each month it never opened that year overdue); their 2019 read-model rows
    and market flags are set aside inside this test's transaction."""
    plants = ["wx-cement", "cx-power"]
    MonthFact.objects.filter(year=2019).exclude(enterprise__slug__in=plants).delete()
    Enterprise.objects.exclude(slug__in=plants).update(in_national_carbon_market=False)


@pytest.mark.django_db
@pytest.mark.usefixtures("only_the_plants_file_2019")
def test_xlsx_export_holds_every_row_and_no_formula(make_fact, user_client):
    cement = Enterprise.objects.get(slug="wx-cement")
    # A control character (U+0007) once made this export a 500 for every bureau user: openpyxl refuses it.
    cement.name_zh = '\x07=HYPERLINK("http://evil.example","点我")'
    cement.save()
    make_fact("wx-cement", 2019, 3, total_tco2=Decimal("30000.5"))
    make_fact("cx-power", 2019, 3)
    response = user_client("wuxing.viewer").get("/bureau/export.xlsx?year=2019&month=3")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["月度存证"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1  # the district sees its own enterprise only
    name_cell = sheet["A2"]
    assert (
        name_cell.data_type == "s"
        and name_cell.value.startswith("'=HYPERLINK")
        and "\x07" not in name_cell.value
    )
    assert (
        response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"
    )
    assert rows[0][6] == "已存证" and rows[0][12] == 30000.5
    # The overview sheet, shown first, holds the dashboard's figures for the same scope and filters.
    overview = workbook.active
    assert (
        overview.title == "概览"
        and overview["A1"].value == "监管看板"
        and overview["C1"].value == "2019年3月"
    )
    cards = {row[0]: row[1] for row in overview.iter_rows(min_row=3, max_row=10, values_only=True)}
    assert cards["已提交"] == 1 and cards["已锁定排放量（tCO2）"] == 30000.5
    assert cards["按时提交率"] == 1 and overview["B7"].number_format == "0.0%"
    by_district = [row for row in overview.iter_rows(values_only=True) if row[0] == "吴兴区"]
    assert by_district == [("吴兴区", 1, 1, 30000.5)]


@pytest.mark.django_db
@pytest.mark.usefixtures("only_the_plants_file_2019")
def test_monthly_summary_pdf_states_the_figures_in_chinese(make_fact, user_client):
    make_fact("wx-cement", 2019, 3, total_tco2=Decimal("30000"))
    make_fact("cx-power", 2019, 3, total_tco2=Decimal("52000"), submitted_late=True)
    response = user_client("city.viewer").get("/bureau/summary.pdf?year=2019&month=3")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "监管摘要（2019年3月）" in text
    assert "8.20 万吨" in text, text
    assert "按时提交率\n50.0%" in text, text
    assert "长兴县" in text and "吴兴区" in text
    assert "平台监管读模型" not in text and "各企业已提交和已存证的月度数据" in text
    assert "生成时间" in text and "北京时间" in text


@pytest.mark.django_db
def test_the_summary_pdf_stays_chinese_when_downloaded_from_the_english_dashboard(make_fact, user_client):
    """It said "8.20 ×10⁴ t CO2" beside its Chinese labels when the official read the dashboard in English."""
    make_fact("wx-cement", 2019, 3, total_tco2=Decimal("30000"))
    make_fact("cx-power", 2019, 3, total_tco2=Decimal("52000"))
    client = user_client("city.viewer")
    client.cookies["django_language"] = "en"
    text = _pdf_text(client.get("/bureau/summary.pdf?year=2019&month=3").content)
    assert "8.20 万吨" in text and "×10" not in text and " t CO2" not in text


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_summary_pdf_follows_the_dashboards_filters_and_names_them(make_fact, user_client):
    """The dashboard filtered to 吴兴区 for the whole of 2019: the PDF covers the same view, not last month of
    the whole city."""
    cement = Enterprise.objects.get(slug="wx-cement")
    for month in (3, 11):
        make_fact("wx-cement", 2019, month, total_tco2=Decimal("30000"))
        make_fact("cx-power", 2019, month, total_tco2=Decimal("52000"))
    response = user_client("city.viewer").get(
        f"/bureau/summary.pdf?year=2019&district={cement.jurisdiction_id}"
    )
    assert response.status_code == 200
    text = _pdf_text(response.content)
    first = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "筛选条件" in first and "吴兴区" in first and "全年" in first
    assert "年度存证监管摘要（2019年）" in text
    assert "长兴县" not in text  # only the district filtered on
    assert "6.00 万吨" in text  # both months of the district, not an empty November of the city
    assert "第 1 页 共" in first


@pytest.mark.django_db
def test_xlsx_export_names_the_filters_and_the_generation_time(make_fact, user_client):
    cement = Enterprise.objects.get(slug="wx-cement")
    make_fact("wx-cement", 2019, 3, total_tco2=Decimal("30000.5"))
    response = user_client("city.viewer").get(
        f"/bureau/export.xlsx?year=2019&month=3&district={cement.jurisdiction_id}&state=locked"
    )
    overview = load_workbook(io.BytesIO(response.content)).active
    assert overview["A2"].value == "筛选条件"
    assert (
        overview["B2"].value
        == "年份：2019年；月份：3月；区县：吴兴区；行业：全部；纳管类别：全部；状态：已存证"
    )
    assert "生成时间" in overview["D1"].value and "北京时间" in overview["D1"].value


@pytest.mark.django_db
def test_xlsx_export_lists_every_late_annual_report(user_client):
    """The page lists the first 20 late annual reports; the export's own sheet holds all of them."""
    from steward.annual.deadlines import annual_report_deadline

    cement = Enterprise.objects.get(slug="wx-cement")
    due, _basis = annual_report_deadline(2019)
    response = user_client("city.viewer").get(f"/bureau/export.xlsx?year=2019&enterprise={cement.slug}")
    sheet = load_workbook(io.BytesIO(response.content))["年度报告逾期"]
    header, *rows = sheet.iter_rows(values_only=True)
    assert header == ("企业", "统一社会信用代码", "区域", "情况", "逾期天数", "截止日期")
    [row] = rows  # the cement plant is in the national market and has no 2019 report
    assert row[:4] == (cement.name_zh, cement.credit_code, "吴兴区", "逾期未报送")
    assert row[4] == (timezone.localdate() - due).days and row[5].date() == due


@pytest.mark.django_db
def test_steward_and_bureau_requests_are_logged_for_the_enterprise_admin(user_client):
    # Browser tests commit their requests (the log is append-only), so look only at what this test adds.
    before = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert user_client("greencarbon.reviewer").get("/e/cx-power/").status_code == 200
    assert user_client("changxing.inspector").get("/e/cx-power/profile/").status_code == 200
    assert user_client("power.filer").get("/e/cx-power/").status_code == 200  # the enterprise's own staff
    entries = list(AccessLogEntry.objects.filter(enterprise__slug="cx-power", pk__gt=before).order_by("pk"))
    assert [(e.user.username, e.path) for e in entries] == [
        ("greencarbon.reviewer", "/e/cx-power/"),
        ("changxing.inspector", "/e/cx-power/profile/"),
    ]
    assert user_client("power.filer").get("/e/cx-power/access-log/").status_code == 403
    page = user_client("power.admin").get("/e/cx-power/access-log/").content.decode()
    assert "管家审核员" in page and "/e/cx-power/profile/" in page and "监管检查员" in page
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entries[0].pk).delete()
