"""The cement plant's intake pages: its template with the cement parameter set (Chinese whatever the page's
language), a hostile workbook answered with its row errors (never a 500), and no import for a user who may
not enter activity data."""

import io

import pytest
from django.conf import settings
from django_tenants.utils import schema_context
from intake_workbooks import fill, headers
from openpyxl import load_workbook

from steward.carbon.models import ActivityRecord
from steward.demo.period import last_month
from steward.intake import staging
from tenants.models import Enterprise

BASE = "/e/wx-cement"
YEAR, MONTH = (
    last_month()[0] - 3,
    6,
)  # no cement records yet (tests/steward/carbon/test_cement_month_records.py)
pytestmark = pytest.mark.django_db


@pytest.fixture
def cement():
    enterprise = Enterprise.objects.get(slug="wx-cement")
    with schema_context(enterprise.schema_name):
        yield enterprise


def _upload(client, data: bytes, name: str):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(f"{BASE}/intake/upload/", {"file": upload})


def test_an_english_page_downloads_the_chinese_cement_template_and_imports_it(user_client, cement):
    client = user_client("cement.filer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"{BASE}/intake/").content.decode()
    assert 'data-testid="intake-parameter-set"' in page and "Cement clinker monthly record parameters" in page
    download = client.get(f"{BASE}/intake/template/", {"year": YEAR, "month": MONTH})
    found = headers(download.content)
    assert "熟料CaO含量（%）" in found and "窑头粉尘量（t）" in found and "检测报告编号" in found
    lists = load_workbook(io.BytesIO(download.content))["代码表"]
    assert [row[0] for row in lists.iter_rows(values_only=True)] == ["生产系统计量", "购销存台账", "结算凭证"]
    values = {("K1-CLK", MONTH): {"quantity": "100000", "data_source": "生产系统计量", "clinker_cao": "65"}}
    report = _upload(client, fill(download.content, values, every_row=False), "clinker.xlsx")
    assert report.status_code == 200 and 'data-testid="intake-confirm"' in report.content.decode()
    sha = report.context["report"].sha256
    client.post(f"{BASE}/intake/confirm/", {"sha256": sha, "name": "clinker.xlsx"})
    record = ActivityRecord.objects.get(source__code="K1-CLK", year=YEAR, month=MONTH)
    assert [(p.name, str(p.value.normalize()), p.unit) for p in record.parameters.all()] == [
        ("clinker_cao", "65", "%")
    ]


def test_hostile_parameter_cells_give_a_report_of_row_errors(user_client, cement):
    client = user_client("cement.filer")
    download = client.get(f"{BASE}/intake/template/", {"year": YEAR, "month": MONTH})
    hostile = {
        "quantity": "100000",
        "data_source": "生产系统计量",
        "clinker_cao": "=1+1",
        "clinker_mgo": "1e400",
    }
    hostile |= {"noncarbonate_cao": "NaN", "noncarbonate_mgo": "150%", "kiln_dust": "<script>x</script>"}
    data = fill(download.content, {("K1-CLK", MONTH): hostile}, every_row=False)
    report = _upload(client, data, "坏.xlsx")
    html = report.content.decode()
    assert report.status_code == 200 and 'data-testid="intake-problems"' in html
    for code in ("formula", "out_of_range", "not_finite", "not_a_number"):
        assert code in html
    assert "熟料CaO含量（%）" in html and "<script>x</script>" not in html
    assert 'data-testid="intake-confirm"' not in html


@pytest.mark.parametrize("username", ["greencarbon.reviewer", "wuxing.viewer"])
def test_a_user_who_may_not_enter_activity_data_cannot_import(user_client, cement, username):
    filer = user_client("cement.filer")
    download = filer.get(f"{BASE}/intake/template/", {"year": YEAR, "month": MONTH})
    values = {("K1-CLK", MONTH): {"quantity": "100000", "data_source": "生产系统计量", "clinker_cao": "65"}}
    data = fill(download.content, values, every_row=False)
    checked = _upload(filer, data, "clinker.xlsx").context["report"]
    assert checked.ok and staging.load(checked.sha256) == data  # staged by the filer's dry run
    client = user_client(username)
    assert client.get(f"{BASE}/intake/template/", {"year": YEAR, "month": MONTH}).status_code == 403
    assert _upload(client, data, "clinker.xlsx").status_code == 403
    confirm = client.post(f"{BASE}/intake/confirm/", {"sha256": checked.sha256, "name": "clinker.xlsx"})
    assert confirm.status_code == 403
    assert not ActivityRecord.objects.filter(year=YEAR, month=MONTH).exists()
