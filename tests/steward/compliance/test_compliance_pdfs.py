"""The compliance statement and carbon-efficiency report: issued as copies of record, Chinese text readable."""

import hashlib
from decimal import Decimal as D

from reports.testing import pdf_text
from steward.compliance import documents, services
from steward.documents.copy_of_record import read_document
from steward.evidence.models import EvidenceFile
from tenants.models import User

YEAR = 2024


def test_compliance_statement_states_allocation_position_and_caps(power_2024, power_schema):
    filer = User.objects.get(username="power.filer")
    document = documents.issue_compliance_statement(enterprise=power_schema, year=YEAR, by=filer)
    data = read_document(document)
    assert hashlib.sha256(data).hexdigest() == document.sha256
    text = pdf_text(data)
    assert "2024年度配额清缴履约测算说明" in text and "长兴湖能发电有限公司" in text
    assert "877,000.00" in text  # allocation 0.877 × 1,000,000, grouped as the notice prints it
    assert "877000+0−960000" in text and "-83,000.00" in text  # the surplus step, on the forecast
    assert "很可能出现配额缺口" in text and "平均月排放" in text
    assert "待核实" in text and "并非针对本年度发布" in text
    # Unchanged figures: the same document; a new locked month changes the figures and makes version 2.
    assert documents.issue_compliance_statement(enterprise=power_schema, year=YEAR, by=filer) == document


def test_statement_prints_a_forecast_median_to_the_hundredth(power_2024, power_schema, lock_month):
    """Seven locked months forecast 560,000.01 ÷ 7 × 12 = 960,000.0171428…: the statement printed the quotient's
    28 digits as the median and in every step."""
    import re

    for month in (4, 5, 6, 7):
        total = "80000.01" if month == 7 else "80000.00"
        lock_month(YEAR, month, total, lines={"fuel_combustion": total})
    filer = User.objects.get(username="power.filer")
    text = pdf_text(
        read_document(documents.issue_compliance_statement(enterprise=power_schema, year=YEAR, by=filer))
    )
    assert re.search(r"\d\.\d{5,}", text) is None
    assert "960,000.02" in text and "877000+0−960000.02" in text


def test_statement_version_two_after_a_new_month_is_locked(power_2024, power_schema, lock_month):
    filer = User.objects.get(username="power.filer")
    first = documents.issue_compliance_statement(enterprise=power_schema, year=YEAR, by=filer)
    lock_month(YEAR, 4, "50000.00")
    second = documents.issue_compliance_statement(enterprise=power_schema, year=YEAR, by=filer)
    assert (first.version, second.version) == (1, 2)
    # 290,000 locked; run-rate 290,000 + 72,500 × 8 = 870,000 → surplus 877,000 − 870,000 = 7,000
    assert "877000+0−870000" in pdf_text(read_document(second))


def test_efficiency_report_explains_the_grade(power_2024, power_schema):
    filer = User.objects.get(username="power.filer")
    services.record_value_added(
        year=YEAR,
        value_added_10k_cny=D("80000"),
        industry_average_l=D("10"),
        industry_average_source="行业平均值（测试）",
        evidence=EvidenceFile.objects.first(),
        entered_by=filer,
    )
    text = pdf_text(
        read_document(documents.issue_efficiency_report(enterprise=power_schema, year=YEAR, by=filer))
    )
    # 960,000 ÷ 80,000 = 12.0000 (high-carbon); K = 12 ÷ 10 = 1.2000 → grade 3
    assert "2024年度工业碳效评价报告" in text
    assert "3级" in text and "12.0000" in text and "1.2000" in text and "高碳" in text
    assert "颜色待核实" in text and "预估" in text


def test_download_through_the_page_and_the_bureau_may_read_but_not_issue(power_2024, user_client):
    response = user_client("greencarbon.reviewer").post("/e/cx-power/compliance/2024/pdf/statement/")
    assert response.status_code == 302
    download = user_client("city.viewer").get(response["Location"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "履约测算说明" in pdf_text(
        b"".join(download.streaming_content) if download.streaming else download.content
    )
    assert user_client("city.viewer").post("/e/cx-power/compliance/2024/pdf/statement/").status_code == 403
