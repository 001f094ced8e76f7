"""CEMS import: dry run problems by sheet/row/column in Chinese, confirm writes one batch, same file is a no-op."""

import io
from decimal import Decimal as D

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
    assert found[(3, "C")] == "不是数字：abc"
    assert found[(4, "B")] == "不能为负数：-1"
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
    assert created and batch.row_count == 2 and batch.source_file.sha256 == batch.sha256
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
    assert [str(p) for p in preview.problems] == ["3月 第3行 C：不是数字：x"]
    assert preview.readings[0].concentration == D("40.5")
