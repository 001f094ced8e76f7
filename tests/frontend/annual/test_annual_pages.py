"""The annual report pages and downloads: actions by role over HTTP, isolation, XLSX safety, filing record."""

import io

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from reports.annual_xlsx import render as render_xlsx
from reports.testing import pdf_text
from reports.xlsx import cell_value as safe_cell
from steward.annual.models import AnnualReport
from steward.demo.period import last_month

YEAR = last_month()[0] - 1
PAGE = f"/e/wx-cement/annual/{YEAR}/"


def _post(client, action: str, **data):
    return client.post(f"{PAGE}{action}/", data)


def _report() -> AnnualReport:
    with schema_context("ent_wx_cement"):
        report = AnnualReport.objects.filter(year=YEAR).order_by("-version").first()
    connection.set_schema_to_public()
    return report


@pytest.mark.django_db
def test_steward_reviews_signatory_signs_bureau_accepts_over_http(user_client):
    page = user_client("cement.filer").get(PAGE)
    assert page.status_code == 200 and "已汇编" in page.content.decode()
    _post(user_client("cement.filer"), "send_for_review")
    _post(user_client("greencarbon.reviewer"), "approve_review")
    signer = user_client("cement.signatory")
    page = signer.get(PAGE).content.decode()
    assert 'data-testid="sign-form"' in page
    sha = page.split('name="document_sha256" value="')[1][:64]
    refused = _post(signer, "sign", document_sha256=sha, password="guess", attest="on")
    assert "密码不正确" in signer.get(refused["Location"]).content.decode()
    _post(signer, "sign", document_sha256=sha, password="huzhou-demo-2024", attest="on")
    assert _report().status == "submitted"
    bureau = user_client("city.inspector")
    page = bureau.get(PAGE).content.decode()
    assert "签署有效" in page and 'data-testid="accept-report"' in page
    _post(bureau, "accept")
    assert _report().status == "accepted"


@pytest.mark.django_db
def test_a_wrong_role_posting_an_action_changes_nothing(user_client):
    _post(user_client("cement.signatory"), "send_for_review")
    _post(user_client("wuxing.viewer"), "accept")
    assert _report().status == "compiled"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username",
    [
        "power.admin",  # another enterprise's user
        "changxing.inspector",  # another district's bureau
        "qingyuan.reviewer",  # a steward without an engagement here
    ],
)
def test_outsiders_are_refused(user_client, username):
    client = user_client(username)
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}v1.xlsx").status_code == 403
    assert _post(client, "compile").status_code == 403


@pytest.mark.django_db
def test_an_ended_engagement_loses_the_annual_report(user_client):
    # The demo's green-carbon engagement with the dyeing mill ended last month.
    assert user_client("greencarbon.reviewer").get(f"/e/nx-dyeing/annual/{YEAR}/").status_code == 403


@pytest.mark.django_db
def test_the_bureau_sees_nothing_before_submission(user_client):
    """Before the enterprise signs, the bureau reads no figure of the report, but the page it reaches from the
    enterprise's 年度排放报告 card says why instead of answering 404."""
    client = user_client("wuxing.viewer")
    index = client.get("/e/wx-cement/annual/")
    # To the latest year whose report reached the bureau, else the latest year (the full suite's browser test
    # of the annual report has one bureau-accepted year two back in the shared world: either is a year page).
    assert index.status_code == 302 and index["Location"].startswith("/e/wx-cement/annual/")
    page = client.get(PAGE)  # the demo's last year: compiled, not yet sent for review
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="awaiting-submission"' in text
    assert "尚未收到本企业该年度的排放报告" in text
    assert 'data-testid="annual-summary"' not in text and 'data-testid="annual-total"' not in text
    assert "汇编年度报告" not in text and "本年度尚未汇编报告" not in text
    assert client.get(f"{PAGE}v1.xlsx").status_code == 404


@pytest.mark.django_db
def test_the_pdf_downloads_as_the_stored_bytes_and_shows_the_report(user_client):
    _post(user_client("cement.filer"), "send_for_review")
    _post(user_client("greencarbon.reviewer"), "approve_review")
    page = user_client("cement.admin").get(PAGE).content.decode()
    link = page.split('data-testid="annual-pdf" href="')[0].rsplit('href="', 1)[-1]
    href = page.split('href="/e/wx-cement/documents/')[1].split('"')[0]
    first = user_client("cement.admin").get(f"/e/wx-cement/documents/{href}")
    second = user_client("greencarbon.manager").get(f"/e/wx-cement/documents/{href}")
    assert link and first.status_code == 200 and first.content == second.content
    assert f"{YEAR}年度温室气体排放报告" in pdf_text(first.content)
    # Not yet submitted: the bureau cannot fetch it even by its id.
    assert user_client("city.inspector").get(f"/e/wx-cement/documents/{href}").status_code == 403


@pytest.mark.django_db
def test_filing_record_of_a_locked_month_carries_its_seal_and_chain(user_client):
    client = user_client("cement.filer")
    response = client.get(f"/e/wx-cement/filing/{YEAR}/3/record.pdf", follow=True)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    with schema_context("ent_wx_cement"):
        from steward.filing.models import MonthlyFiling

        filing = MonthlyFiling.objects.get(year=YEAR, month=3)
    assert f"{YEAR}年3月月度信息化存证记录" in text
    flat = text.replace("\n", "")  # a 64-character hash wraps inside its table cell
    assert filing.seal in flat and filing.previous_seal in flat and "哈希复核一致" in flat
    again = client.get(f"/e/wx-cement/filing/{YEAR}/3/record.pdf", follow=True)
    assert again.content == response.content
    assert client.get(f"/e/wx-cement/filing/{YEAR + 3}/3/record.pdf").status_code == 404


@pytest.mark.parametrize(
    "dangerous", ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_spreadsheet_cells_that_look_like_formulas_stay_text(dangerous):
    assert safe_cell(dangerous) == "'" + dangerous
    assert safe_cell("回转窑") == "回转窑"


@pytest.mark.django_db
def test_xlsx_export_neutralises_injected_names_and_keeps_numbers(user_client):
    report = _report()
    payload = report.payload | {
        "sources": [s | {"name": "=cmd|' /C calc'!A0"} for s in report.payload["sources"]],
    }
    workbook = load_workbook(io.BytesIO(render_xlsx(payload)))
    activity = workbook["活动数据"]
    names = {row[2].value for row in activity.iter_rows(min_row=2)}
    assert names == {"'=cmd|' /C calc'!A0"}
    assert all(row[2].data_type == "s" for row in activity.iter_rows(min_row=2))
    summary = {row[0].value: row[1].value for row in workbook["汇总"].iter_rows(min_row=2)}
    assert float(summary["年度排放总量"]) == float(report.total_tco2)
    response = user_client("cement.filer").get(f"{PAGE}v1.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


@pytest.mark.django_db
def test_the_annual_total_reads_grouped_as_elsewhere(user_client):
    from steward.formatting import tonnes

    report = _report()
    text = user_client("cement.filer").get(PAGE).content.decode()
    assert f'<dd data-testid="annual-total">{tonnes(report.total_tco2)}</dd>' in text
    assert "," in tonnes(report.total_tco2)  # the demo's cement year is over a million tonnes
