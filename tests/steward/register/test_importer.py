"""Feed imports: the dry run's row-level errors, the set-wise load, idempotency by file hash, XLSX and GBK."""

import hashlib
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from steward.evidence import storage
from steward.intake.safety import Refusal
from steward.register import demo, importer
from steward.register.models import EnergyRecord, FeedBatch, OutputRecord

pytestmark = pytest.mark.django_db


def energy_file(rows, header=demo.ENERGY_HEADER) -> bytes:
    return demo.feed_bytes(header, rows)


def test_the_dry_run_names_each_bad_row_in_chinese_and_loads_nothing(register):
    a, b = register[0].credit_code, register[1].credit_code
    wrong_check = a[:17] + ("0" if a[17] != "0" else "1")
    rows = [
        [a, 2025, 1, "电力", "12,345.5", "kWh"],  # thousands separator: read by parse_decimal
        [wrong_check, 2025, 1, "电力", "10", "kWh"],
        ["91330502MA2B3C4D5E", 2025, 1, "电力", "10", "kWh"],
        [b, 2025, 1, "电力", "十二", "kWh"],
        [b, 2025, 2, "核能", "10", "kWh"],
        [b, 2025, 3, "天然气", "10", "kWh"],
        [b, 2024, 4, "电力", "10", "kWh"],
        [a, 2025, 1, "electricity", "1", "kWh"],
    ]
    report = importer.dry_run(name="grid.csv", data=energy_file(rows), kind="other_energy", year=2025)
    messages = {error.line: error.message for error in report.errors}
    assert report.rows_read == 8 and report.error_count == 7 and not report.ok
    assert 2 not in messages
    assert "校验位错误" in messages[3]
    assert messages[4] == "统一社会信用代码“91330502MA2B3C4D5E”不在企业名录中" or "校验位" in messages[4]
    assert messages[5] == "“十二”不是数字"
    assert messages[6] == "未知的能源品种“核能”"
    assert messages[7].startswith("单位“kWh”不适用于天然气")
    assert messages[8] == "2024年4月不在本批次期间（2025年）内"
    assert messages[9] == "与第 2 行重复（同一企业、月份和品种）"
    assert EnergyRecord.objects.count() == 0 and FeedBatch.objects.count() == 0


def test_a_clean_file_loads_once_and_is_kept_with_its_hash(register, importer_user):
    codes = [entry.credit_code for entry in register[:5]]
    data = energy_file(demo.energy_rows(codes, 2025, ["electricity"]))
    batch, created = importer.import_feed(
        name="国网2025.csv",
        data=data,
        kind="grid_electricity",
        year=2025,
        source="国网湖州供电公司",
        by=importer_user,
    )
    assert created and batch.rows_loaded == 60 and batch.enterprises == 5
    assert batch.sha256 == hashlib.sha256(data).hexdigest()
    assert importer.read_stored(batch) == data and storage.path_for(batch.stored_path).exists()
    assert EnergyRecord.objects.filter(batch=batch).count() == 60
    first = EnergyRecord.objects.get(batch=batch, registered=register[0], month=1)
    assert (
        first.quantity == demo.quantity(1, 1, "electricity") and first.unit == "kWh" and first.sheet_row == 2
    )

    again, created = importer.import_feed(
        name="copy.csv", data=data, kind="grid_electricity", year=2025, source="again", by=importer_user
    )
    assert (again, created) == (batch, False)
    assert EnergyRecord.objects.count() == 60
    assert importer.dry_run(name="copy.csv", data=data, kind="grid_electricity", year=2025).existing == batch


def test_a_file_with_errors_is_refused_whole(register, importer_user):
    rows = [
        [register[0].credit_code, 2025, 1, "electricity", "5", "kWh"],
        ["", 2025, 1, "electricity", "5", "kWh"],
    ]
    with pytest.raises(importer.FeedRefused) as refused:
        importer.import_feed(
            name="x.csv",
            data=energy_file(rows),
            kind="grid_electricity",
            year=2025,
            source="x",
            by=importer_user,
        )
    assert refused.value.report.errors[0].message == "缺少统一社会信用代码"
    assert EnergyRecord.objects.count() == 0 and FeedBatch.objects.count() == 0


def test_units_are_converted_to_the_carrier_unit_and_the_grid_feed_needs_no_carrier_column(
    register, importer_user
):
    code = register[0].credit_code
    header = ["统一社会信用代码", "年份", "月份", "用电量", "单位"]
    data = demo.feed_bytes(header, [[code, 2025, 3, "1.5", "万千瓦时"], [code, 2025, 4, "2", "MWh"]])
    batch, _created = importer.import_feed(
        name="grid.csv",
        data=data,
        kind="grid_electricity",
        year=2025,
        month=None,
        source="国网",
        by=importer_user,
    )
    quantities = dict(EnergyRecord.objects.filter(batch=batch).values_list("month", "quantity"))
    assert quantities == {3: Decimal("15000"), 4: Decimal("2000")}
    report = importer.dry_run(
        name="gas.csv", data=energy_file([[code, 2025, 3, "电力", "1", "kWh"]]), kind="gas", year=2025
    )
    assert report.errors[0].message == "电力不属于“燃气企业用气量”"


def test_gbk_csv_and_xlsx_are_read(register, importer_user):
    code = register[0].credit_code
    gbk = "统一社会信用代码,年份,月份,能源品种,数量,单位\n".encode(
        "gb18030"
    ) + f"{code},2025,5,天然气,100,立方米\n".encode("gb18030")
    report = importer.dry_run(name="燃气.csv", data=gbk, kind="gas", year=2025, month=5)
    assert report.ok and report.rows_read == 1

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(demo.OUTPUT_HEADER)
    sheet.append([code, 2025, 5, 1200.5, 300])
    sheet.append([code, 2025, 6, "abc", 300])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = importer.dry_run(name="统计.xlsx", data=buffer.getvalue(), kind="statistics_output", year=2025)
    assert report.rows_read == 2 and [(e.line, e.message) for e in report.errors] == [(3, "“abc”不是数字")]

    workbook.active.delete_rows(3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch, _created = importer.import_feed(
        name="统计.xlsx",
        data=buffer.getvalue(),
        kind="statistics_output",
        year=2025,
        source="市统计局",
        by=importer_user,
    )
    row = OutputRecord.objects.get(batch=batch)
    assert (row.output_value, row.value_added, row.sheet_row) == (Decimal("1200.5"), Decimal("300"), 2)


def test_files_that_are_not_tables_are_refused_before_parsing(register):
    with pytest.raises(Refusal) as refused:
        importer.dry_run(name="a.csv", data=b"%PDF-1.4", kind="gas", year=2025)
    assert refused.value.code == "not_csv"
    with pytest.raises(Refusal) as refused:
        importer.dry_run(name="a.csv", data="年份,月份\n2025,1\n".encode(), kind="gas", year=2025)
    assert refused.value.message.startswith("表头缺少列：统一社会信用代码")
    with pytest.raises(Refusal) as refused:
        importer.dry_run(
            name="a.csv",
            data=energy_file([["x", 2025, 1, "电力", "1", "kWh", "extra"]]),
            kind="gas",
            year=2025,
        )
    assert refused.value.code == "bad_line" and refused.value.row == 2
