"""The intake pages as a filer uses them, and the admin's token and webhook pages."""

import io
from urllib.parse import unquote

import pytest
from intake_workbooks import YEAR, fill

from steward.carbon.models import ActivityRecord
from steward.integrations.models import ApiToken, WebhookEndpoint

BASE = "/e/cx-power"
pytestmark = pytest.mark.django_db


def test_download_upload_report_confirm_history(user_client, power):
    client = user_client("power.filer")
    page = client.get(f"{BASE}/intake/")
    assert page.status_code == 200 and "下载模板" in page.content.decode()
    download = client.get(f"{BASE}/intake/template/", {"year": YEAR, "month": 2})
    assert download.status_code == 200
    assert "活动数据模板_cx-power_2019年2月.xlsx" in unquote(download["Content-Disposition"])
    filled = fill(download.content, {("GRID", 2): {"quantity": "abc"}})
    bad = io.BytesIO(filled)
    bad.name = "错误.xlsx"
    report = client.post(f"{BASE}/intake/upload/", {"file": bad})
    html = report.content.decode()
    assert report.status_code == 200 and "not_a_number" in html and "未保存任何数据" in html
    assert 'data-testid="intake-confirm"' not in html
    good = io.BytesIO(fill(download.content))
    good.name = "二月.xlsx"
    report = client.post(f"{BASE}/intake/upload/", {"file": good})
    html = report.content.decode()
    assert 'data-testid="intake-confirm"' in html
    assert ActivityRecord.objects.filter(year=YEAR).count() == 0
    sha = report.context["report"].sha256
    done = client.post(f"{BASE}/intake/confirm/", {"sha256": sha, "name": "二月.xlsx"}, follow=True)
    assert done.status_code == 200 and "本批次写入的记录" in done.content.decode()
    assert ActivityRecord.objects.filter(year=YEAR, month=2).count() == 3
    assert f"{BASE}/carbon/{YEAR}/2/" in done.content.decode()
    history = client.get(f"{BASE}/intake/batches/")
    assert "二月.xlsx" in history.content.decode()


def test_bureau_and_stewards_cannot_import(user_client):
    assert user_client("city.viewer").get(f"{BASE}/intake/").status_code == 403
    assert user_client("greencarbon.reviewer").get(f"{BASE}/intake/template/?year=2019").status_code == 403


def test_admin_creates_and_revokes_a_token_secret_shown_once(user_client):
    client = user_client("power.admin")
    created = client.post(
        f"{BASE}/integrations/tokens/",
        {"name": "DCS 接口", "permissions": ["read_activity", "write_activity"]},
    )
    html = created.content.decode()
    token = ApiToken.objects.get(name="DCS 接口")
    assert f"cst_{token.prefix}_" in html
    listing = client.get(f"{BASE}/integrations/tokens/").content.decode()
    assert f"cst_{token.prefix}_…" in listing and created.context["new_secret"] not in listing
    client.post(f"{BASE}/integrations/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert user_client("power.filer").get(f"{BASE}/integrations/tokens/").status_code == 403


def test_admin_adds_a_webhook_and_sees_the_delivery_log(user_client):
    client = user_client("power.admin")
    response = client.post(
        f"{BASE}/integrations/webhooks/", {"url": "https://erp.example.org/hook", "events": ["filing.locked"]}
    )
    assert response.status_code == 200 and response.context["new_secret"]
    endpoint = WebhookEndpoint.objects.get(url="https://erp.example.org/hook")
    assert endpoint.events == ["filing.locked"]
    assert "投递记录" in client.get(f"{BASE}/integrations/webhooks/").content.decode()
    assert user_client("cement.admin").get(f"{BASE}/integrations/webhooks/").status_code == 403
