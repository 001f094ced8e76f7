"""The 存证 hand-off of a locked month to the national 管理平台 (issue 18 item 4).

The items, their order and their values are written out here by hand from the demo plants (steward/demo), not
read from data/platform_items.csv, so a reordered or mis-mapped CSV row fails.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from steward.demo.carbon import LOAD, _walk_month
from steward.filing.models import FilingStatus, MonthlyFiling
from steward.handoff import items, services
from steward.handoff.models import PlatformSubmission
from steward.oversight.models import MonthFact
from steward.oversight.projection import compare_enterprise
from tenants.access import may_act, workspace_access
from tenants.models import Enterprise, User

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST = TODAY.replace(day=1) - datetime.timedelta(days=1)
# A computed month of the demo year for both plants (the power plant's last month is left uncomputed).
YEAR, MONTH = LAST.year, max(1, LAST.month - 1)
STEWARDS = {
    "cx-power": ("power.filer", "greencarbon.reviewer"),
    "wx-cement": ("cement.filer", "greencarbon.manager"),
}

POWER_ORDER = [
    ("发电量", ""),
    ("供电量", ""),
    ("供热量", ""),
    ("运行小时数", ""),
    ("负荷（出力）系数", ""),
    ("燃料消耗量", "1号机组入炉烟煤"),
    ("燃料消耗量", "1号机组启动用天然气"),
    ("低位发热量", "1号机组入炉烟煤"),
    ("元素碳含量（收到基）", "1号机组入炉烟煤"),
    ("元素碳含量（空干基）", ""),
    ("全水分（收到基）", ""),
    ("氢含量（空干基）", ""),
    ("全硫（空干基）", ""),
    ("单位热值含碳量", ""),
    ("碳氧化率", "1号机组入炉烟煤"),
    ("购入电量", "外购电力（停机期间）"),
    ("月度排放量（tCO2）", ""),
]
CEMENT_ORDER = [
    ("熟料产量", "熟料煅烧"),
    ("熟料中CaO含量", "熟料煅烧"),
    ("熟料中非碳酸盐CaO含量", "熟料煅烧"),
    ("熟料中MgO含量", "熟料煅烧"),
    ("熟料中非碳酸盐MgO含量", "熟料煅烧"),
    ("窑头粉尘量", "熟料煅烧"),
    ("旁路放风粉尘量", "熟料煅烧"),
    ("生料消耗量", "熟料煅烧"),
    ("生料非燃料碳含量", "熟料煅烧"),
    ("燃料消耗量", "窑头窑尾烟煤"),
    ("低位发热量", "窑头窑尾烟煤"),
    ("单位热值含碳量", ""),
    ("元素碳含量（收到基）", ""),
    ("碳氧化率", ""),
    ("购入电量", "外购电力"),
    ("其中：熟料生产设施用电量", "外购电力"),
    ("月度排放量（tCO2）", ""),
    ("月度直接排放量（履约口径，tCO2）", ""),
]


def _lock(slug: str, year: int = YEAR, month: int = MONTH) -> MonthlyFiling:
    """Take a demo month through checks and submission to the lock (inside the test's transaction)."""
    enterprise = Enterprise.objects.get(slug=slug)
    filer, steward = (User.objects.get(username=name) for name in STEWARDS[slug])
    with schema_context(enterprise.schema_name):
        _walk_month(enterprise, year, month, filer, steward, approve=True)
        filing = MonthlyFiling.objects.get(year=year, month=month, version=1)
    connection.set_schema_to_public()
    assert filing.status == FilingStatus.LOCKED and filing.seal
    return filing


def _sealed(filing: MonthlyFiling) -> dict:
    payload = filing.sealed_payload
    outputs = {row["kind"]: Decimal(row["value"]) for row in payload["outputs"]}
    records = {row["source"]: row for row in payload["records"]}
    return {"outputs": outputs, "records": records, "total": Decimal(payload["result"]["total_tco2"])}


def _param(record: dict, name: str) -> Decimal:
    return next(Decimal(p["value"]) for p in record["parameters"] if p["name"] == name)


def _json(client, slug: str, year: int = YEAR, month: int = MONTH) -> dict:
    response = client.get(f"/e/{slug}/filing/{year}/{month}/platform/items.json")
    assert response.status_code == 200, response.content.decode()[:400]
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def _xlsx_rows(client, slug: str) -> list[tuple]:
    response = client.get(f"/e/{slug}/filing/{YEAR}/{MONTH}/platform/items.xlsx")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value == "序号") + 1
    return [tuple(cell for cell in row) for row in rows[start:]]


def test_power_plant_items_are_the_platform_list_in_order_with_the_sealed_values(user_client):
    filing = _lock("cx-power")
    sealed = _sealed(filing)
    body = _json(user_client("power.filer"), "cx-power")
    assert body["sector"] == "power" and body["seal"] == filing.seal and body["filing_version"] == 1
    got = [(item["name"], item["subject"]) for item in body["items"]]
    assert got == POWER_ORDER
    values = {(item["name"], item["subject"]): item for item in body["items"]}
    load = LOAD[MONTH - 1]
    # The demo's own figures, and the sealed ones, are what the filer gets.
    assert Decimal(values[("发电量", "")]["value"]) == (Decimal("352000") * load).quantize(Decimal("1"))
    assert Decimal(values[("发电量", "")]["value"]) == sealed["outputs"]["electricity_generated"]
    assert Decimal(values[("供电量", "")]["value"]) == sealed["outputs"]["electricity_supplied"]
    coal = sealed["records"]["U1-COAL"]
    assert Decimal(values[("燃料消耗量", "1号机组入炉烟煤")]["value"]) == Decimal(coal["quantity"])
    assert values[("燃料消耗量", "1号机组入炉烟煤")]["unit"] == "t"
    assert values[("燃料消耗量", "1号机组启动用天然气")]["value"] == "12.5"
    assert values[("燃料消耗量", "1号机组启动用天然气")]["unit"] == "10^4 Nm3"
    assert values[("低位发热量", "1号机组入炉烟煤")]["value"] == "20.85"
    assert Decimal(values[("元素碳含量（收到基）", "1号机组入炉烟煤")]["value"]) == _param(
        coal, "carbon_content_ar"
    )
    assert values[("碳氧化率", "1号机组入炉烟煤")]["value"] == "99"
    assert values[("购入电量", "外购电力（停机期间）")]["value"] == "850"
    assert Decimal(values[("月度排放量（tCO2）", "")]["value"]) == sealed["total"]
    # What the month did not seal is listed empty, never invented.
    assert values[("供热量", "")]["value"] is None and values[("负荷（出力）系数", "")]["value"] is None
    assert all(item["status"] == "to_verify" and item["status_name"] == "待核实" for item in body["items"])
    assert all("E" not in (item["value"] or "") for item in body["items"])
    assert (
        body["platform_due_on"]
        == (datetime.date(YEAR + MONTH // 12, MONTH % 12 + 1, 1) + datetime.timedelta(days=39)).isoformat()
    )


def test_the_power_plant_xlsx_holds_the_same_items_as_numbers(user_client):
    _lock("cx-power")
    client = user_client("power.filer")
    body = _json(client, "cx-power")
    rows = _xlsx_rows(client, "cx-power")
    assert [(row[2].value, row[3].value or "") for row in rows] == POWER_ORDER
    for row, item in zip(rows, body["items"], strict=True):
        if item["value"] is None:
            assert row[4].value == "本月存证中无此项"
        else:
            assert isinstance(row[4].value, int | float)  # a number cell, not text
            assert Decimal(str(row[4].value)) == Decimal(item["value"])
            assert "E" not in row[4].number_format
        assert row[5].value == (item["unit"] or None)


def test_cement_plant_items_are_the_platform_list_in_order_with_the_sealed_values(user_client):
    filing = _lock("wx-cement")
    sealed = _sealed(filing)
    client = user_client("cement.filer")
    body = _json(client, "wx-cement")
    assert body["sector"] == "cement" and body["sector_name"] == "水泥熟料生产"
    assert [(item["name"], item["subject"]) for item in body["items"]] == CEMENT_ORDER
    values = [item["value"] for item in body["items"]]
    assert values[:5] == ["148000", "65.2", "0.8", "2.4", "0"]
    assert values[5:9] == ["2220", "400", "229400", "0.18"]  # the demo's dust and raw meal
    assert values[9:11] == ["19800", "22.1"]
    assert values[11:14] == [None, None, None]
    assert values[14:16] == ["9100", "8200"]
    assert Decimal(values[16]) == sealed["total"] > Decimal(values[17]) > 0  # direct: without electricity
    clinker = sealed["records"]["K1-CLK"]
    assert Decimal(values[0]) == Decimal(clinker["quantity"])
    assert Decimal(values[1]) == _param(clinker, "clinker_cao")
    rows = _xlsx_rows(client, "wx-cement")
    assert [(row[2].value, row[3].value or "") for row in rows] == CEMENT_ORDER
    assert [Decimal(str(row[4].value)) for row in rows[:11]] == [Decimal(v) for v in values[:11]]


def test_a_sealed_value_is_handed_off_even_after_the_month_is_reopened_and_corrected_only_once_relocked(
    user_client,
):
    """The hand-off says what the seal covers: a reopened month (a new draft) is refused until locked again."""
    filing = _lock("wx-cement")
    enterprise = Enterprise.objects.get(slug="wx-cement")
    from workflows import monthly_filing

    filer, steward = (User.objects.get(username=name) for name in STEWARDS["wx-cement"])
    with schema_context(enterprise.schema_name):
        monthly_filing.request_reopen(
            filing=filing, reason="更正", by=filer, grant=workspace_access(filer, enterprise)
        )
        monthly_filing.approve_reopen(filing=filing, by=steward, grant=workspace_access(steward, enterprise))
    connection.set_schema_to_public()
    response = user_client("cement.filer").get(f"/e/wx-cement/filing/{YEAR}/{MONTH}/platform/items.json")
    assert response.status_code == 409
    assert "审核通过并锁定后才能导出" in response.content.decode()


@pytest.mark.parametrize("suffix", ["items.xlsx", "items.json", "evidence.zip"])
def test_an_unlocked_month_is_refused_in_chinese_never_a_500(user_client, suffix):
    client = user_client("power.filer")
    # no filing at all, then a month in review (the demo's last month of the power plant is walked to review)
    response = client.get(f"/e/cx-power/filing/{YEAR}/{MONTH}/platform/{suffix}")
    assert response.status_code == 409
    assert "尚未创建月度存证" in response.content.decode()
    enterprise = Enterprise.objects.get(slug="cx-power")
    filer, steward = (User.objects.get(username=name) for name in STEWARDS["cx-power"])
    with schema_context(enterprise.schema_name):
        _walk_month(enterprise, YEAR, MONTH, filer, steward, approve=False)
    connection.set_schema_to_public()
    response = client.get(f"/e/cx-power/filing/{YEAR}/{MONTH}/platform/{suffix}")
    assert response.status_code == 409
    text = response.content.decode()
    assert "审核中" in text and "审核通过并锁定后才能导出" in text


def test_recording_on_an_unlocked_month_is_refused(user_client):
    response = user_client("power.filer").post(
        f"/e/cx-power/filing/{YEAR}/{MONTH}/platform/submissions/",
        {"submitted_on": TODAY.isoformat(), "receipt_number": "HB-1"},
    )
    assert response.status_code == 409
    assert "审核通过并锁定后才能导出" in response.content.decode()
    with schema_context("ent_cx_power"):
        assert not PlatformSubmission.objects.exists()


def test_an_enterprise_outside_the_platform_sectors_is_told_so():
    enterprise = Enterprise.objects.get(slug="nx-dyeing")
    assert not enterprise.in_national_carbon_market
    with pytest.raises(ValidationError, match="不在全国碳市场月度信息化存证范围内"):
        items.sector_for(enterprise)


def test_the_evidence_bundle_lists_every_sealed_file_with_hashes_that_match_its_bytes(user_client):
    filing = _lock("cx-power")
    response = user_client("power.filer").get(f"/e/cx-power/filing/{YEAR}/{MONTH}/platform/evidence.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["seal"] == filing.seal and manifest["year"] == YEAR and manifest["month"] == MONTH
    sealed_hashes = {bill["evidence"] for bill in filing.sealed_payload["bills"]}
    assert sealed_hashes and {entry["sha256"] for entry in manifest["files"]} == sealed_hashes
    assert set(archive.namelist()) == {"manifest.json"} | {entry["name"] for entry in manifest["files"]}
    for entry in manifest["files"]:
        data = archive.read(entry["name"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["size"]
    bill = f"GD-GRID-{YEAR}{MONTH:02d}.pdf"
    assert any(entry["original_name"] == bill for entry in manifest["files"])
    assert manifest["not_included"] == []
    # The same month gives the same bytes (no time of making inside).
    again = user_client("power.filer").get(f"/e/cx-power/filing/{YEAR}/{MONTH}/platform/evidence.zip")
    assert again.content == response.content


def test_a_damaged_evidence_file_stops_the_bundle(user_client):
    from steward.evidence import storage

    filing = _lock("cx-power")
    sha = filing.sealed_payload["bills"][0]["evidence"]
    path = storage.path_for(f"ent_cx_power/evidence/{sha[:2]}/{sha}")
    original = path.read_bytes()
    path.chmod(0o644)
    path.write_bytes(b"%PDF-1.4 forged")
    try:
        response = user_client("power.filer").get(f"/e/cx-power/filing/{YEAR}/{MONTH}/platform/evidence.zip")
    finally:
        path.write_bytes(original)
        path.chmod(0o440)
    assert response.status_code == 409
    assert "与存证哈希不符" in response.content.decode()


# --------------------------------------------------------------------------------------- the receipt


def _record(slug: str, username: str, **values):
    enterprise = Enterprise.objects.get(slug=slug)
    user = User.objects.get(username=username)
    values = {"submitted_on": TODAY, "receipt_number": "QGPT-2026-0001", **values}
    with schema_context(enterprise.schema_name):
        return services.record_submission(
            grant=workspace_access(user, enterprise), year=YEAR, month=MONTH, by=user, **values
        )


def test_the_filer_records_the_receipt_from_the_page_and_the_bureau_sees_it_filed_there(user_client):
    filing = _lock("wx-cement")
    client = user_client("cement.filer")
    page = client.get(f"/e/wx-cement/filing/{YEAR}/{MONTH}/").content.decode()
    assert 'data-testid="platform-handoff"' in page and "尚未登记平台存证" in page
    assert f"/e/wx-cement/filing/{YEAR}/{MONTH}/platform/evidence.zip" in page
    receipt = SimpleUploadedFile("回执.pdf", b"%PDF-1.4 platform receipt QGPT", "application/pdf")
    response = client.post(
        f"/e/wx-cement/filing/{YEAR}/{MONTH}/platform/submissions/",
        {
            "submitted_on": TODAY.isoformat(),
            "receipt_number": "QGPT-2026-0042",
            "corrects": "",
            "receipt": receipt,
        },
    )
    assert response.status_code == 302
    with schema_context("ent_wx_cement"):
        row = PlatformSubmission.objects.get(year=YEAR, month=MONTH)
        assert (
            row.receipt_number == "QGPT-2026-0042" and row.seal == filing.seal and row.filing_id == filing.pk
        )
        assert row.receipt.sha256 == hashlib.sha256(b"%PDF-1.4 platform receipt QGPT").hexdigest()
        assert row.recorded_by.username == "cement.filer"
    connection.set_schema_to_public()
    page = client.get(f"/e/wx-cement/filing/{YEAR}/{MONTH}/").content.decode()
    assert "已在平台存证" in page and "QGPT-2026-0042" in page and 'data-testid="platform-history"' in page
    # The read model: sealed here (locked) and filed there (the receipt), without opening the workspace.
    enterprise = Enterprise.objects.get(slug="wx-cement")
    fact = MonthFact.objects.get(enterprise=enterprise, year=YEAR, month=MONTH)
    assert fact.status == "locked" and fact.platform_receipt_number == "QGPT-2026-0042"
    assert fact.platform_submitted_on == TODAY
    assert compare_enterprise(enterprise) == []
    board = user_client("wuxing.viewer").get(f"/bureau/?year={YEAR}&month={MONTH}")
    assert board.status_code == 200
    assert "QGPT-2026-0042" in board.content.decode()


def test_a_receipt_whose_bytes_are_not_what_it_claims_is_refused(user_client):
    _lock("wx-cement")
    response = user_client("cement.filer").post(
        f"/e/wx-cement/filing/{YEAR}/{MONTH}/platform/submissions/",
        {
            "submitted_on": TODAY.isoformat(),
            "receipt_number": "QGPT-1",
            "receipt": SimpleUploadedFile("回执.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        },
        follow=True,
    )
    assert "文件内容与声明的类型不符" in response.content.decode()
    with schema_context("ent_wx_cement"):
        assert not PlatformSubmission.objects.filter(year=YEAR, month=MONTH).exists()


def test_a_correction_is_a_new_row_with_a_reason_and_the_first_stays():
    _lock("wx-cement")
    first = _record("wx-cement", "cement.filer")
    with pytest.raises(ValidationError, match="更正须填写原因"):
        _record("wx-cement", "cement.admin", receipt_number="QGPT-2026-0002", corrects=first.pk)
    with pytest.raises(services.SubmissionConflict):  # did not say which record it corrects
        _record("wx-cement", "cement.admin", receipt_number="QGPT-2026-0002", reason="回执号录错")
    second = _record(
        "wx-cement", "cement.admin", receipt_number="QGPT-2026-0002", reason="回执号录错", corrects=first.pk
    )
    with schema_context("ent_wx_cement"):
        rows = services.submission_history(YEAR, MONTH)
        assert [r.receipt_number for r in rows] == ["QGPT-2026-0001", "QGPT-2026-0002"]
        assert rows[1].supersedes_id == first.pk and rows[1].correction_reason == "回执号录错"
        assert services.current_submission(YEAR, MONTH).pk == second.pk
        assert not rows[0].is_current and rows[1].is_current
    fact = MonthFact.objects.get(enterprise__slug="wx-cement", year=YEAR, month=MONTH)
    assert fact.platform_receipt_number == "QGPT-2026-0002"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE handoff_platformsubmission SET receipt_number = 'forged'",
        "DELETE FROM handoff_platformsubmission",
    ],
)
def test_a_recorded_submission_cannot_be_changed_even_with_raw_sql(statement):
    _lock("wx-cement")
    _record("wx-cement", "cement.filer")
    with schema_context("ent_wx_cement"):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
        assert PlatformSubmission.objects.get(year=YEAR, month=MONTH).receipt_number == "QGPT-2026-0001"
        with pytest.raises(IntegrityError), transaction.atomic():
            PlatformSubmission.objects.update(receipt_number="forged")


def test_dates_before_the_month_ended_or_in_the_future_are_refused():
    _lock("wx-cement")
    month_end = datetime.date(YEAR + MONTH // 12, MONTH % 12 + 1, 1) - datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="结束之后"):
        _record("wx-cement", "cement.filer", submitted_on=month_end)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        # tomorrow as of now, not as of the collection: a run that crosses Beijing midnight moved `TODAY` a day back
        _record("wx-cement", "cement.filer", submitted_on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="回执编号"):
        _record("wx-cement", "cement.filer", receipt_number="  ")


@pytest.mark.parametrize(
    ("username", "slug", "allowed"),
    [
        ("cement.filer", "wx-cement", True),
        ("cement.admin", "wx-cement", True),
        ("cement.signatory", "wx-cement", False),
        ("greencarbon.manager", "wx-cement", False),  # the carbon steward reviews; it does not file
        ("wuxing.viewer", "wx-cement", False),
        ("power.admin", "wx-cement", False),  # another enterprise's admin
    ],
)
def test_who_may_record_a_platform_submission(username, slug, allowed):
    user = User.objects.filter(username=username).first()
    if user is None:
        pytest.skip(f"{username} is not in this demo world")
    assert (
        may_act(workspace_access(user, Enterprise.objects.get(slug=slug)), "record_platform_submission")
        is allowed
    )
    if not allowed:
        _lock("wx-cement")
        with pytest.raises(PermissionDenied):
            _record(slug, username)


@pytest.mark.parametrize(
    ("username", "slug", "status"),
    [
        ("power.admin", "wx-cement", 403),  # another enterprise
        ("greencarbon.reviewer", "nx-dyeing", 403),  # a reviewer whose engagement there has ended
        ("qingyuan.reviewer", "dq-fibre", 403),  # environmental scope only: no carbon hand-off
        ("wuxing.viewer", "wx-cement", 403),  # the bureau reads the read model, not the hand-off
        ("greencarbon.manager", "wx-cement", 200),  # the carbon steward may download
    ],
)
def test_downloads_answer_only_grants_that_read_carbon_data(user_client, username, slug, status):
    _lock("wx-cement")
    client = user_client(username)
    for suffix in ("items.xlsx", "items.json", "evidence.zip"):
        response = client.get(f"/e/{slug}/filing/{YEAR}/{MONTH}/platform/{suffix}")
        assert response.status_code == status, (suffix, response.status_code)
    response = client.post(
        f"/e/{slug}/filing/{YEAR}/{MONTH}/platform/submissions/",
        {"submitted_on": TODAY.isoformat(), "receipt_number": "X"},
    )
    assert response.status_code == 403


def test_the_bureau_sees_the_platform_status_on_the_locked_month_but_no_form(user_client):
    _lock("wx-cement")
    _record("wx-cement", "cement.filer")
    page = user_client("wuxing.viewer").get(f"/e/wx-cement/filing/{YEAR}/{MONTH}/").content.decode()
    assert "QGPT-2026-0001" in page
    assert 'data-testid="platform-record-form"' not in page
    assert "platform/items.xlsx" not in page
    # The carbon steward downloads but does not record; the filer does both.
    steward = user_client("greencarbon.manager").get(f"/e/wx-cement/filing/{YEAR}/{MONTH}/").content.decode()
    assert "platform/items.xlsx" in steward and 'data-testid="platform-record-form"' not in steward
    filer = user_client("cement.filer").get(f"/e/wx-cement/filing/{YEAR}/{MONTH}/").content.decode()
    assert "platform/items.xlsx" in filer and 'data-testid="platform-record-form"' in filer


def test_a_receipt_dated_after_the_40_days_is_marked_late(user_client):
    year = LAST.year - 1
    with schema_context("ent_wx_cement"):
        assert MonthlyFiling.objects.get(year=year, month=1, version=1).status == FilingStatus.LOCKED
    enterprise = Enterprise.objects.get(slug="wx-cement")
    user = User.objects.get(username="cement.filer")
    with schema_context(enterprise.schema_name):
        services.record_submission(
            grant=workspace_access(user, enterprise),
            year=year,
            month=1,
            submitted_on=datetime.date(year, 1, 31) + datetime.timedelta(days=41),
            receipt_number="QGPT-LATE",
            by=user,
        )
    page = user_client("cement.filer").get(f"/e/wx-cement/filing/{year}/1/").content.decode()
    assert 'data-testid="platform-late"' in page
    assert items.platform_due_on(year, 1) == datetime.date(year, 1, 31) + datetime.timedelta(days=40)


def test_an_enterprise_outside_the_platform_sectors_records_nothing_and_gets_no_section():
    enterprise = Enterprise.objects.get(slug="nx-dyeing")
    admin = User.objects.get(username="dyeing.admin")
    with schema_context(enterprise.schema_name), pytest.raises(items.OutOfScope):
        services.record_submission(
            grant=workspace_access(admin, enterprise),
            year=YEAR,
            month=MONTH,
            submitted_on=TODAY,
            receipt_number="X",
            by=admin,
        )


def test_a_missing_evidence_file_stops_the_bundle_with_a_409_not_a_500(user_client):
    from steward.evidence import storage

    filing = _lock("cx-power")
    sha = filing.sealed_payload["bills"][0]["evidence"]
    path = storage.path_for(f"ent_cx_power/evidence/{sha[:2]}/{sha}")
    moved = path.with_suffix(".away")
    path.rename(moved)
    try:
        response = user_client("power.filer").get(f"/e/cx-power/filing/{YEAR}/{MONTH}/platform/evidence.zip")
    finally:
        moved.rename(path)
    assert response.status_code == 409
    assert "与存证哈希不符" in response.content.decode()


# --------------------------------------------------------------------------------------- the API


def test_the_api_gives_the_same_items_and_refuses_an_unlocked_month_with_409(user_client):
    _lock("wx-cement")
    client = user_client("cement.filer")
    page_json = _json(client, "wx-cement")
    response = client.get(f"/e/wx-cement/api/v1/filings/{YEAR}/{MONTH}/platform-items/")
    assert response.status_code == 200
    assert response.json() == page_json
    refused = user_client("power.filer").get(f"/e/cx-power/api/v1/filings/{YEAR}/{MONTH}/platform-items/")
    assert refused.status_code == 409
    error = refused.json()["non_field_errors"][0]
    assert error["code"] == "month_not_locked" and "锁定后才能导出" in error["message"]


def test_the_api_records_and_corrects_a_receipt_and_refuses_the_bureau_and_the_steward(user_client):
    _lock("wx-cement")
    url = f"/e/wx-cement/api/v1/filings/{YEAR}/{MONTH}/platform-submissions/"
    client = user_client("cement.filer")
    first = client.post(
        url, {"submitted_on": TODAY.isoformat(), "receipt_number": "QGPT-9"}, content_type="application/json"
    )
    assert first.status_code == 201, first.content
    assert first.json()["receipt_number"] == "QGPT-9" and first.json()["is_current"]
    again = client.post(
        url,
        {"submitted_on": TODAY.isoformat(), "receipt_number": "QGPT-10", "corrects": first.json()["id"]},
        content_type="application/json",
    )
    assert again.status_code == 400 and again.json()["reason"][0]["code"] == "reason_required"
    stale = client.post(
        url,
        {"submitted_on": TODAY.isoformat(), "receipt_number": "QGPT-10", "reason": "录错"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    fixed = client.post(
        url,
        {
            "submitted_on": TODAY.isoformat(),
            "receipt_number": "QGPT-10",
            "reason": "录错",
            "corrects": first.json()["id"],
        },
        content_type="application/json",
    )
    assert fixed.status_code == 201 and fixed.json()["supersedes"] == first.json()["id"]
    history = client.get(url).json()
    assert [(row["receipt_number"], row["is_current"]) for row in history] == [
        ("QGPT-9", False),
        ("QGPT-10", True),
    ]
    for username in ("wuxing.viewer", "greencarbon.manager"):
        response = user_client(username).post(
            url, {"submitted_on": TODAY.isoformat(), "receipt_number": "X"}, content_type="application/json"
        )
        assert response.status_code == 403, username


def test_the_schema_describes_the_hand_off(client):
    import yaml

    paths = yaml.safe_load(client.get("/api/schema/").content)["paths"]
    assert "get" in paths["/e/{slug}/api/v1/filings/{year}/{month}/platform-items/"]
    assert {"get", "post"} <= set(paths["/e/{slug}/api/v1/filings/{year}/{month}/platform-submissions/"])


def _reopen_and_relock(slug: str, filing: MonthlyFiling) -> MonthlyFiling:
    from workflows import monthly_filing

    enterprise = Enterprise.objects.get(slug=slug)
    filer, steward = (User.objects.get(username=name) for name in STEWARDS[slug])
    filer_grant, steward_grant = workspace_access(filer, enterprise), workspace_access(steward, enterprise)
    with schema_context(enterprise.schema_name):
        monthly_filing.request_reopen(filing=filing, reason="更正", by=filer, grant=filer_grant)
        draft = monthly_filing.approve_reopen(filing=filing, by=steward, grant=steward_grant)
        monthly_filing.run_checks(enterprise=enterprise, filing=draft, by=filer)
        for finding in draft.findings.filter(severity="warning"):
            monthly_filing.acknowledge(finding=finding, comment="已核实", by=filer, grant=filer_grant)
        for finding in draft.findings.filter(severity="blocking"):
            monthly_filing.waive(finding=finding, reason="线下核验", by=steward, grant=steward_grant)
        draft = monthly_filing.submit(enterprise=enterprise, filing=draft, by=filer, grant=filer_grant)
        locked = monthly_filing.approve(filing=draft, by=steward, grant=steward_grant)
    connection.set_schema_to_public()
    return locked


def test_after_a_reopen_and_a_new_lock_the_old_receipt_no_longer_counts_as_filed_there(user_client):
    first_lock = _lock("wx-cement")
    first = _record("wx-cement", "cement.filer")
    assert MonthFact.objects.get(enterprise__slug="wx-cement", year=YEAR, month=MONTH).platform_receipt_number
    second_lock = _reopen_and_relock("wx-cement", first_lock)
    assert second_lock.version == 2 and second_lock.seal != first_lock.seal
    fact = MonthFact.objects.get(enterprise__slug="wx-cement", year=YEAR, month=MONTH)
    assert (
        fact.status == "locked" and fact.platform_receipt_number == "" and fact.platform_submitted_on is None
    )
    page = user_client("cement.filer").get(f"/e/wx-cement/filing/{YEAR}/{MONTH}/").content.decode()
    assert 'data-testid="platform-stale"' in page
    assert _json(user_client("cement.filer"), "wx-cement")["filing_version"] == 2
    _record(
        "wx-cement",
        "cement.filer",
        receipt_number="QGPT-2026-0003",
        reason="按第2版重新存证",
        corrects=first.pk,
    )
    fact = MonthFact.objects.get(enterprise__slug="wx-cement", year=YEAR, month=MONTH)
    assert fact.platform_receipt_number == "QGPT-2026-0003"
    with schema_context("ent_wx_cement"):
        assert services.current_submission(YEAR, MONTH).seal == second_lock.seal


def test_an_api_token_records_only_with_the_submit_permission(client):
    from steward.integrations.tokens import create_token

    _lock("wx-cement")
    enterprise = Enterprise.objects.get(slug="wx-cement")
    admin = User.objects.get(username="cement.admin")
    url = f"/e/wx-cement/api/v1/filings/{YEAR}/{MONTH}/platform-submissions/"
    body = {"submitted_on": TODAY.isoformat(), "receipt_number": "QGPT-TOKEN-1"}
    reader = create_token(enterprise=enterprise, name="reader", permissions=["read_activity"], by=admin)
    refused = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {reader.secret}"
    )
    assert refused.status_code == 403
    items_answer = client.get(
        f"/e/wx-cement/api/v1/filings/{YEAR}/{MONTH}/platform-items/",
        HTTP_AUTHORIZATION=f"Token {reader.secret}",
    )
    assert items_answer.status_code == 200 and items_answer.json()["sector"] == "cement"
    filer = create_token(
        enterprise=enterprise, name="filer", permissions=["write_activity", "submit_filing"], by=admin
    )
    recorded = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {filer.secret}"
    )
    assert recorded.status_code == 201, recorded.content
    with schema_context("ent_wx_cement"):
        row = PlatformSubmission.objects.get(year=YEAR, month=MONTH)
        assert row.recorded_by_id == filer.token.user_id  # the token's own user: a machine, named as such
