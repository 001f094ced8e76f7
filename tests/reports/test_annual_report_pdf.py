"""The annual report PDF as a bureau official reads it: the guideline's sections, Chinese names instead of
codes, each month's own filing state, the signatory block and the seal box, numbered pages."""

import datetime

import pytest
from django_tenants.utils import schema_context

from reports import annual_report
from reports.testing import pdf_pages, pdf_text
from steward.annual import selectors
from steward.demo.annual import _cement_month
from steward.demo.carbon import _walk_month
from steward.demo.period import last_month
from tenants.access import workspace_access
from tenants.models import Engagement, Enterprise, EnterpriseMembership, User
from workflows import annual_report as annual_services

YEAR = last_month()[0] - 1
CODES = ("cn_cement_clinker", "cn_ets_power_2022", "bituminous_coal", "fuel[", "blocking", "warning")


@pytest.fixture
def cement():
    enterprise = Enterprise.objects.get(slug="wx-cement")
    with schema_context(enterprise.schema_name):
        yield enterprise


def _render(report) -> bytes:
    return annual_report.render(report.payload, payload_sha256=report.payload_sha256)


@pytest.mark.django_db
def test_the_report_has_the_guidelines_sections_and_prints_no_codes(cement):
    report = selectors.current_report(YEAR)
    data = _render(report)
    text = pdf_text(data)
    for section in annual_report.SECTIONS:
        assert section in text, section
    for heading in ("单位名称", "统一社会信用代码", "所在区县", "所属行业", "报告年度", "联系人"):
        assert heading in text
    assert "水泥熟料生产（CETS-AG-02.01-V01-2024）" in text
    assert "烟煤（国家缺省值）" in text and "企业实测" in text  # factor sources: measured vs default
    assert "生产系统计量" in text and "结算凭证" in text  # activity data sources in Chinese
    assert "直接排放小计" in text and "间接排放小计" in text
    assert "仅计直接排放" in text  # cement: the ETS figure is direct only
    assert "数据质量控制计划" in text and "管家豁免" in text
    for code in CODES:
        assert code not in text, code
    assert f"{report.payload['total_tco2'][:3]}" in text.replace(",", "")


@pytest.mark.django_db
def test_signatory_block_seal_box_hash_and_page_numbers_on_every_page(cement):
    report = selectors.current_report(YEAR)
    data = _render(report)
    pages = [page.replace(" ", "") for page in pdf_pages(data)]
    total = len(pages)
    assert total >= 4
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页共{total}页" in page
        assert f"内容哈希{report.payload_sha256[:16]}" in page
        assert "生成时间" in page and "北京时间" in page
    last = pages[-1]
    assert "九、声明与签署" in last
    assert "签署人姓名" in last and "邵明华" in last and "企业签字人" in last
    assert "签署时间（北京时间）" in last
    assert "企业盖章" in last
    assert report.payload_sha256 in last.replace("\n", "")
    assert _render(report) == data  # deterministic: the signature's hash can be re-checked


@pytest.mark.django_db
def test_each_month_is_late_or_on_time_by_its_own_deadline_and_submission(cement, clock):
    """A year filed month by month (each within its window, March two months late): the report says so per
    month, instead of counting every month's lateness to the day the checks ran."""
    year = YEAR - 2
    # the steward's engagement (and the memberships) reach back to that year
    Engagement.objects.filter(enterprise=cement).update(starts_on=datetime.date(year, 1, 1))
    EnterpriseMembership.objects.filter(enterprise=cement).update(starts_on=datetime.date(year, 1, 1))
    filer, steward = (
        User.objects.get(username="cement.filer"),
        User.objects.get(username="greencarbon.manager"),
    )
    for month in range(1, 13):
        first = datetime.date(year + month // 12, month % 12 + 1, 1)
        filed = first + datetime.timedelta(days=70 if month == 3 else 12)
        clock(f"{filed.isoformat()}T10:00")
        _cement_month(year, month, filer, cement)
        _walk_month(cement, year, month, filer, steward, approve=True)
    clock(f"{year + 1}-03-01T10:00")
    admin = User.objects.get(username="cement.admin")
    report = annual_services.compile_report(
        enterprise=cement, year=year, by=admin, grant=workspace_access(admin, cement)
    )
    states = [annual_report.lateness(month) for month in report.payload["months"]]
    assert states.count("按期提交") == 11
    assert states[2].startswith("逾期 ") and states[2] != "逾期 0 天提交"
    text = pdf_text(_render(report))
    assert text.count("按期提交") >= 11
    assert text.count(states[2].replace(" ", "")) >= 1


@pytest.mark.django_db
def test_the_annual_workbook_names_methods_severities_and_each_months_filing(cement):
    import io

    from openpyxl import load_workbook

    from reports import annual_xlsx

    report = selectors.current_report(YEAR)
    workbook = load_workbook(io.BytesIO(annual_xlsx.render(report.payload, report.payload_sha256)))
    summary = {row[0]: row[1] for row in workbook["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["核算方法"] == "水泥熟料生产（CETS-AG-02.01-V01-2024）"
    assert summary["报告内容哈希（SHA-256）"] == report.payload_sha256
    months = list(workbook["各月排放"].iter_rows(min_row=2, values_only=True))
    assert [row[4] for row in months] == [annual_report.lateness(m) for m in report.payload["months"]]
    severities = {row[2] for row in workbook["质量发现"].iter_rows(min_row=2, values_only=True)}
    assert severities <= {"阻断", "警告", "提示"} and severities


@pytest.mark.django_db
def test_signing_issues_the_signed_declaration_with_name_position_and_beijing_time(cement, clock):
    from steward import formatting
    from steward.annual.documents import ANNUAL_REPORT, SIGNATURE_RECORD
    from steward.documents import copy_of_record

    def who(name):
        user = User.objects.get(username=name)
        return {"by": user, "grant": workspace_access(user, cement), "enterprise": cement}

    report = selectors.current_report(YEAR)
    report = annual_services.send_for_review(report=report, **who("cement.filer"))
    document = annual_services.approve_review(report=report, **who("greencarbon.reviewer"))
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    clock(f"{today}T09:30")  # Beijing time (the demo's signatory exists from today on)
    signature = annual_services.sign(
        report=report,
        password="huzhou-demo-2024",
        attested=True,
        document_sha256=document.sha256,
        **who("cement.signatory"),
    )
    record = copy_of_record.latest_document(SIGNATURE_RECORD, report.document_subject)
    text = pdf_text(copy_of_record.read_document(record)).replace("\n", "")
    assert "邵明华" in text and "企业签字人" in text
    assert formatting.beijing(signature.signed_at) == f"{today} 09:30"
    assert f"签署时间（北京时间）{today}09:30" in text
    assert document.sha256 in text and "企业盖章" in text
    # the signed report PDF is untouched: the signature still covers it
    assert copy_of_record.latest_document(ANNUAL_REPORT, report.document_subject).sha256 == document.sha256


@pytest.mark.django_db
def test_factor_sources_are_cited_in_chinese(cement):
    """The factor library cites its national defaults and the grid rule in English; the Chinese report the bureau
    reads named them so ("依据：NDRC 2013-15 sector guidelines …；规则：2023 key-industries notice …")."""
    text = pdf_text(_render(selectors.current_report(YEAR))).replace("\n", "")  # cells wrap their text
    for english in ("NDRC", "guidelines", "key-industries", "notice", "Annex", "carried forward"):
        assert english not in text, english
    assert "GB/T32150-2015附录B" in text  # pdf_text drops spaces
    assert "规则：2023年重点行业通知（水泥、电解铝、钢铁行业购入电力）" in text


def test_a_citation_names_each_part_in_chinese_and_keeps_what_is_already_chinese():
    from reports import citations

    cited = citations.zh("环办气候函〔2023〕43号；规则：carried forward from 环办气候函〔2023〕43号")
    assert cited == "环办气候函〔2023〕43号；规则：沿用环办气候函〔2023〕43号"
    assert citations.zh("《某省通知》") == "《某省通知》"
