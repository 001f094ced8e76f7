"""CEMS import: dry run problems by sheet/row/column in Chinese, confirm writes one batch, same file is a no-op."""

import base64
import hashlib
import io
import random
import time
import zipfile
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from steward.pollution import imports
from steward.pollution.models import MonitoringImport, MonitoringReading

WATER_HEADER = "监测时间,流量(m3/d),COD(mg/L),NH3-N(mg/L),运行状态\n"


def test_dry_run_reports_problems_by_row_and_column(power):
    outlet = power["permit"].outlets.get(code="DW001")
    data = (
        WATER_HEADER
        + "2026-03-01,5000,40,2.1,运行\n"
        + "2026-03-02,5000,abc,2.0,运行\n"  # row 3, column C: not a number
        + "2026-03-03,-1,41,2.0,运行\n"  # row 4, column B: negative flow
        + "2026-03-03 08:30,5000,41,2.0,运行\n"  # row 5, column A: not midnight
        + "2026-03-05,5000,41,2.0,开机\n"  # row 6, column E: unknown status
        + "2026-03-01,5000,40,2.1,运行\n"  # row 7: duplicate of row 2
    ).encode()
    preview = imports.dry_run(data=data, file_name="dw.csv", outlet=outlet, interval="day")
    found = {(p.row, p.column): p.message for p in preview.problems}
    assert found[(3, "C")] == "“abc”不是数字"
    assert found[(4, "B")] == "数值不能为负：-1"
    assert "整点" in found[(5, "A")]
    assert "运行状态应为" in found[(6, "E")]
    assert found[(7, "A")] == "与第2行时间重复"
    assert str(preview.problems[0]).startswith("CSV 第3行 C：")
    assert not MonitoringImport.objects.filter(sha256=preview.sha256).exists()


def test_header_units_must_match_the_outlet(power):
    outlet = power["permit"].outlets.get(code="DW001")
    data = "监测时间,流量(m3/h),COD(mg/m3),SO2(mg/m3),运行状态\n2026-03-01,1,1,1,运行\n".encode()
    preview = imports.dry_run(data=data, file_name="dw.csv", outlet=outlet, interval="day")
    messages = {(p.row, p.column): p.message for p in preview.problems}
    assert messages[(1, "B")] == "流量单位应为 m3/d，收到“m3/h”"
    assert messages[(1, "C")] == "浓度单位应为 mg/L，收到“mg/m3”"
    assert messages[(1, "D")] == "SO2 不属于该排放口的监测因子"


def test_confirm_writes_one_batch_and_the_same_file_again_changes_nothing(power):
    outlet = power["permit"].outlets.get(code="DW001")
    data = (WATER_HEADER + "2026-03-01,5000,40,2.1,运行\n2026-03-02,4800,60,2.4,运行\n").encode()
    batch, created = imports.confirm(
        data=data, file_name="dw-03.csv", outlet=outlet, interval="day", by=power["filer"]
    )
    assert created and batch.row_count == 2 and batch.evidence.sha256 == batch.sha256
    assert MonitoringReading.objects.filter(batch=batch).count() == 4  # 2 days × COD, NH3-N
    again, created = imports.confirm(
        data=data, file_name="renamed.csv", outlet=outlet, interval="day", by=power["filer"]
    )
    assert not created and again == batch
    assert MonitoringReading.objects.filter(outlet_code="DW001").count() == 4
    # A different file covering the same day is refused in the dry run, naming the first file.
    other = (WATER_HEADER + "2026-03-02,4800,61,2.4,运行\n").encode()
    preview = imports.dry_run(data=other, file_name="dw-fix.csv", outlet=outlet, interval="day")
    assert [str(p) for p in preview.problems] == ["CSV 第2行 A：该时段数据已由文件“dw-03.csv”导入"]


def test_xlsx_import_reads_the_first_sheet(power):
    outlet = power["permit"].outlets.get(code="DW001")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "3月"
    sheet.append(["监测时间", "流量(m3/d)", "COD(mg/L)", "运行状态"])
    sheet.append(["2026-03-10", 5000, 40.5, "运行"])
    sheet.append(["2026-03-11", 5000, "x", "运行"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = imports.dry_run(data=buffer.getvalue(), file_name="dw.xlsx", outlet=outlet, interval="day")
    assert [str(p) for p in preview.problems] == ["3月 第3行 C：“x”不是数字"]
    assert preview.readings[0].concentration == D("40.5")


# Hostile and foreign files: refused with a Chinese message before parsing, never a 500, never in the session.


def _problems(preview):
    return [(p.code, p.message) for p in preview.problems]


def _workbook_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, data, code, words",
    [
        ("cems.csv", random.Random(15).randbytes(4096), "not_csv", "GBK"),
        ("cems.xlsx", random.Random(15).randbytes(4096), "not_xlsx", "损坏"),
        ("报告.xlsx", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "not_xlsx", "PDF"),
        ("cems.csv", b"%PDF-1.7\n%%EOF", "not_csv", "PDF"),
        ("cems.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "file_type", "CSV 或 XLSX"),
        ("cems.csv", b"", "empty", "空"),
        (
            "cems.csv",
            WATER_HEADER.encode() + b"2026-03-01,5000\x00,40,2.1,\xe8\xbf\x90\xe8\xa1\x8c\n",
            "not_csv",
            "控制字符",
        ),
    ],
    ids=["random-csv", "random-xlsx", "pdf-as-xlsx", "pdf-as-csv", "xls", "empty", "nul-in-csv"],
)
def test_foreign_and_damaged_files_are_refused_with_a_chinese_message(power, name, data, code, words):
    outlet = power["permit"].outlets.get(code="DW001")
    preview = imports.dry_run(data=data, file_name=name, outlet=outlet, interval="day")
    assert [c for c, _ in _problems(preview)] == [code]
    assert words in preview.problems[0].message
    assert not preview.readings


def test_a_truncated_xlsx_is_refused(power):
    outlet = power["permit"].outlets.get(code="DW001")
    data = _workbook_bytes(
        [["监测时间", "流量(m3/d)", "COD(mg/L)", "运行状态"], ["2026-03-10", 5000, 40, "运行"]]
    )
    preview = imports.dry_run(data=data[: len(data) // 2], file_name="dw.xlsx", outlet=outlet, interval="day")
    assert [c for c, _ in _problems(preview)] == ["not_xlsx"]


def test_a_gbk_csv_from_a_chinese_cems_export_is_read(power):
    outlet = power["permit"].outlets.get(code="DW001")
    data = (WATER_HEADER + "2026-03-01,5000,40,2.1,运行\n2026-03-02,4800,39,2.0,停运\n").encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    preview = imports.dry_run(data=data, file_name="DW001-3月.csv", outlet=outlet, interval="day")
    assert preview.ok, [str(p) for p in preview.problems]
    assert preview.periods == 2 and {r.status for r in preview.readings} == {"running", "stopped"}
    batch, created = imports.confirm(
        data=data, file_name="DW001-3月.csv", outlet=outlet, interval="day", by=power["filer"]
    )
    assert created and batch.evidence.content_type == "text/csv" and batch.size_bytes == len(data)


def test_a_zip_bomb_is_refused_in_well_under_a_second(power):
    """114 KiB that inflate to 31 MiB: measured by streaming with a cap, refused before openpyxl sees it."""
    noise = random.Random(15)
    sheet = bytearray(b"0" * (31 * 1024 * 1024))
    for offset in range(0, len(sheet), 1400):
        sheet[offset] = noise.randrange(256)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/worksheets/sheet1.xml", bytes(sheet))
    data = buffer.getvalue()
    assert 90 * 1024 < len(data) < 140 * 1024, len(data)
    outlet = power["permit"].outlets.get(code="DW001")
    started = time.perf_counter()
    preview = imports.dry_run(data=data, file_name="dw.xlsx", outlet=outlet, interval="day")
    elapsed = time.perf_counter() - started
    assert [c for c, _ in _problems(preview)] == ["zip_bomb"]
    assert elapsed < 0.5, elapsed


CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


def test_the_dry_run_keeps_the_file_in_the_workspace_never_in_the_session(power, user_client, evidence_root):
    client = user_client("power.filer")
    data = (WATER_HEADER + "2026-03-20,5000,40,2.1,运行\n").encode("gbk")
    upload = io.BytesIO(data)
    upload.name = "DW001-0320.csv"
    page = client.post(
        "/e/cx-power/pollution/import/", {"outlet": "DW001", "interval": "day", "file": upload}
    )
    assert page.status_code == 200 and 'data-testid="confirm-import"' in page.content.decode()
    session = dict(client.session.items())
    assert "pollution_import" not in session
    assert not any(base64.b64encode(data).decode()[:24] in str(value) for value in session.values())
    sha256 = hashlib.sha256(data).hexdigest()
    staged = evidence_root / "ent_cx_power" / "intake-staging" / f"{sha256}.upload"
    assert staged.read_bytes() == data
    form = {"sha256": sha256, "name": "DW001-0320.csv", "outlet": "DW001", "interval": "day"}
    done = client.post("/e/cx-power/pollution/import/confirm/", form)
    assert done.status_code == 302
    batch = MonitoringImport.objects.get(sha256=sha256)
    assert batch.original_name == "DW001-0320.csv" and not staged.exists()
    # A confirmation for a file that was never checked (or was discarded) asks for it again: no 500.
    again = client.post("/e/cx-power/pollution/import/confirm/", form | {"sha256": "0" * 64}, follow=True)
    assert again.status_code == 200 and "待导入文件已失效，请重新上传" in again.content.decode()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(["cems.csv", "cems.xlsx"]),
    data=st.one_of(
        st.binary(max_size=2048),
        st.binary(max_size=64).map(lambda b: b"PK\x03\x04" + b),
        st.text(max_size=300).map(lambda t: (WATER_HEADER + t).encode("utf-8")),
    ),
)
def test_arbitrary_bytes_never_raise_anything_but_the_products_refusal(power, name, data):
    outlet = power["permit"].outlets.get(code="DW001")
    preview = imports.dry_run(data=data, file_name=name, outlet=outlet, interval="day")
    assert all(p.message for p in preview.problems)
