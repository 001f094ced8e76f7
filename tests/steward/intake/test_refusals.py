"""Every refusal names its sheet, row and column with a code and a Chinese message; nothing is saved."""

import io
import zipfile

import pytest
from django_tenants.utils import schema_context
from intake_workbooks import YEAR, fill

from steward.carbon.models import ActivityRecord
from steward.filing.models import FilingStatus, MonthlyFiling
from steward.intake import services
from steward.intake.template import build_template
from tenants.models import Enterprise


def codes(report) -> list[str]:
    return [problem.code for problem in report.problems]


def test_another_enterprises_template_is_refused(power):
    cement = Enterprise.objects.get(slug="wx-cement")
    with schema_context(cement.schema_name):
        foreign = fill(build_template(enterprise=cement, year=YEAR, months=[1]))
    report = services.dry_run(enterprise=power, name="cement.xlsx", data=foreign)
    assert codes(report) == ["other_enterprise"]
    assert report.problems[0].sheet == "_meta"
    assert "其他企业" in report.problems[0].message


def _edit_meta(key, value):
    def edit(workbook):
        sheet = workbook["_meta"]
        for row in sheet.iter_rows():
            if row[0].value == key:
                row[1].value = value

    return edit


def test_wrong_template_version_and_tampered_metadata(power, year_template):
    old = services.dry_run(
        enterprise=power, name="t.xlsx", data=fill(year_template, edit=_edit_meta("template_version", "0"))
    )
    assert codes(old) == ["template_version"]
    assert "重新下载" in old.problems[0].message
    tampered = services.dry_run(
        enterprise=power, name="t.xlsx", data=fill(year_template, edit=_edit_meta("year", "2018"))
    )
    assert codes(tampered) == ["not_template"]


def test_file_over_the_size_limit(power, year_template, settings):
    settings.INTAKE_MAX_BYTES = 1000
    report = services.dry_run(enterprise=power, name="big.xlsx", data=fill(year_template))
    assert codes(report) == ["too_large"]


def test_macro_workbooks_are_refused(power, year_template):
    data = fill(year_template)
    assert codes(services.dry_run(enterprise=power, name="宏.xlsm", data=data)) == ["macro"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for entry in source.infolist():
            target.writestr(entry, source.read(entry))
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    assert codes(services.dry_run(enterprise=power, name="renamed.xlsx", data=buffer.getvalue())) == ["macro"]


def test_zip_bomb_is_refused_before_parsing(power, settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 100_000  # 20 MB behind a few kilobytes
    report = services.dry_run(enterprise=power, name="bomb.xlsx", data=data)
    assert codes(report) == ["zip_bomb"]


@pytest.mark.parametrize(
    "name, data",
    [
        ("报告.xlsx", b"%PDF-1.4 not a workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("data.csv", b"a,b\n1,2\n"),
        ("broken.xlsx", b"PK\x03\x04 truncated"),
    ],
)
def test_non_xlsx_files_are_refused(power, name, data):
    assert codes(services.dry_run(enterprise=power, name=name, data=data)) == ["not_xlsx"]


def test_row_problems_name_sheet_row_and_column(power, year_template):
    data = fill(
        year_template,
        {
            ("GRID", 1): {"quantity": "-5"},
            ("GRID", 2): {"quantity": "abc"},
            ("GRID", 3): {"unit": "t"},
            ("GRID", 4): {"data_source": "估计"},
            ("GRID", 5): {"ncv": "20"},
            ("GRID", 6): {"month": 13},
            ("U1-GAS", 7): {"carbon_content_ar": "120"},
        },
        edit=lambda wb: wb["活动数据"].append(["NOPE", "", "", YEAR, 1, 5, "t", "结算凭证"]),
    )
    report = services.dry_run(enterprise=power, name="errors.xlsx", data=data)
    found = {(p.code, p.column, p.header) for p in report.problems}
    assert ("negative", "F", "活动数据") in found
    assert ("not_a_number", "F", "活动数据") in found
    assert ("wrong_unit", "G", "单位") in found
    assert ("unknown_data_source", "H", "数据来源") in found
    assert ("not_applicable", "I", "低位发热量") in found
    assert ("wrong_month", "E", "月份") in found
    assert ("out_of_range", "K", "收到基元素碳含量（%）") in found
    assert ("unknown_source", "A", "排放源编号") in found
    assert all(p.sheet == "活动数据" and p.row and p.message for p in report.problems)
    assert not report.ok
    with pytest.raises(services.ImportRejected):
        services.confirm(enterprise=power, sha256=report.sha256, name="errors.xlsx", by=None)


def test_duplicate_rows_and_closed_months(power, filer):
    MonthlyFiling.objects.create(year=YEAR, month=2, deadline="2019-03-15", status=FilingStatus.IN_REVIEW)
    template = build_template(enterprise=power, year=YEAR, months=[1, 2])
    data = fill(
        template, edit=lambda wb: wb["活动数据"].append(["GRID", "", "", YEAR, 1, 5, "MWh", "结算凭证"])
    )
    report = services.dry_run(enterprise=power, name="dup.xlsx", data=data)
    problems = {p.code for p in report.problems}
    assert problems == {"duplicate_row", "month_closed"}
    assert ActivityRecord.objects.filter(year=YEAR).count() == 0


def test_real_world_cells(power, filer):
    template = build_template(enterprise=power, year=YEAR, months=[1])

    def edit(workbook):
        sheet = workbook["活动数据"]
        sheet.merge_cells("M2:N2")  # a merged header cell
        for _ in range(5):
            sheet.append([None] * 13)  # empty trailing rows

    data = fill(
        template,
        {
            ("GRID", 1): {"quantity": "1,234.5", "data_source": "settlement_voucher"},
            ("U1-COAL", 1): {"quantity": "１２８，０００"},
            ("U1-GAS", 1): {"quantity": 12.1, "month": "1"},
        },
        edit=edit,
    )
    report = services.dry_run(enterprise=power, name="排放数据_2019年1月.xlsx", data=data)
    assert report.ok, report.problems
    quantities = {row.source.code: row.quantity for row in report.plan.rows}
    assert str(quantities["GRID"]) == "1234.5"
    assert str(quantities["U1-COAL"]) == "128000"
    assert str(quantities["U1-GAS"]) == "12.1"
    assert report.name == "排放数据_2019年1月.xlsx"
