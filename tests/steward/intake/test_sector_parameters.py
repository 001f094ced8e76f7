"""The template carries the enterprise's sector parameter set (steward.carbon.parameter_sets): a cement plant
downloads its clinker, fuel and electricity columns, fills them, and the import stores what the month page and
the API store, so the month's calculation is the one the same values entered over the API give."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context
from intake_workbooks import HEADER_ROW, fill, headers, template_columns
from openpyxl import load_workbook

from steward.carbon import accounting
from steward.carbon import services as carbon
from steward.carbon.models import ActivityRecord, EmissionSource, MeasuredParameter
from steward.carbon.parameter_sets import CEMENT, PARAMETER_SET_TITLES, PARAMETER_SETS, ParameterSpec
from steward.carbon.selectors import month_request
from steward.demo.period import last_month
from steward.intake import services
from steward.intake.columns import DATA_SHEET, parameter_header
from steward.intake.models import ImportBatch
from steward.intake.template import build_template
from tenants.models import Enterprise, User

# Three years back: the demo cement plant's sources have no records yet (as tests/steward/carbon/
# test_cement_month_records.py), and the cement grid-factor rule covers the year.
YEAR, MONTH, API_MONTH = last_month()[0] - 3, 6, 7
Name, Kind = MeasuredParameter.Name, EmissionSource.Kind
REPORT = "JC-水泥-2023-06"
# The worked example of docs/calculation.md: ETS figure 79,416.96 tCO2. Percentages as the page takes them.
COAL = {"quantity": "12000", "data_source": "生产系统计量", "ncv": "22.1", "carbon_content_ar": "56"}
COAL |= {"oxidation_rate": "98%", "lab_report": REPORT}
CLINKER = {"quantity": "100,000", "data_source": "生产系统计量", "clinker_cao": 65, "clinker_mgo": "2.5"}
CLINKER |= {"noncarbonate_cao": "１", "noncarbonate_mgo": 0, "kiln_dust": 1500, "bypass_dust": "500"}
CLINKER |= {"raw_meal": "160000", "raw_meal_carbon": "0.2", "lab_report": REPORT}
GRID = {"quantity": "8000", "data_source": "结算凭证", "clinker_facility_electricity": "6000"}


@pytest.fixture
def cement(db):
    enterprise = Enterprise.objects.get(slug="wx-cement")
    with schema_context(enterprise.schema_name):
        yield enterprise


@pytest.fixture
def cement_filer(db):
    return User.objects.get(username="cement.filer")


def _lab_report(filer):
    return carbon.add_lab_report(
        upload=SimpleUploadedFile("检测报告.pdf", b"%PDF-1.4 clinker 2023-06", "application/pdf"),
        lab_name="湖州市建材质量检测中心",
        accreditation="CMA",
        accreditation_number="201912345678",
        report_number=REPORT,
        sampling_start=date(YEAR, MONTH, 1),
        sampling_end=date(YEAR, MONTH, 28),
        by=filer,
    )


def _filled(template: bytes, month: int = MONTH, **overrides) -> bytes:
    rows = {"K1-COAL": COAL, "K1-CLK": CLINKER, "GRID": GRID}
    values = {(code, month): cells | overrides.get(code, {}) for code, cells in rows.items()}
    return fill(template, values, every_row=False)


def test_the_cement_template_has_the_columns_of_the_cement_parameter_set(cement):
    template = build_template(enterprise=cement, year=YEAR, months=[MONTH])
    found = headers(template)
    sets = PARAMETER_SETS[CEMENT]
    expected = [parameter_header(spec) for kind in sets for spec in sets[kind]]
    assert [h for h in found if h in expected] == expected  # generated from the set, in its order
    assert found[:8] == [
        "排放源编号",
        "排放源名称",
        "计量器具",
        "年份",
        "月份",
        "活动数据",
        "单位",
        "数据来源",
    ]
    for header in ("熟料CaO含量（%）", "非碳酸盐MgO含量（%）", "窑头粉尘量（t）", "生料非燃料碳含量（%）"):
        assert header in found
    assert "其中：熟料生产设施用电量（同活动数据单位）" in found
    assert found.index("热值单位") == found.index("低位发热量") + 1
    assert found[-2:] == ["检测报告编号", "备注"]
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook[DATA_SHEET]
    column = template_columns(sheet)
    rows = {sheet.cell(row=r, column=1).value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1)}

    def shaded(code: str, key: str) -> bool:
        return sheet.cell(row=rows[code], column=column[key]).fill.fgColor.rgb.endswith("E7E6E6")

    assert shaded("GRID", "clinker_cao") and shaded("K1-COAL", "kiln_dust") and shaded("K1-CLK", "ncv")
    assert not shaded("K1-CLK", "clinker_cao") and not shaded("GRID", "clinker_facility_electricity")
    notes = [row[0] for row in workbook["填报说明"].iter_rows(values_only=True)]
    assert any(str(PARAMETER_SET_TITLES[CEMENT]) in (line or "") for line in notes)


def test_a_methodology_without_its_own_set_keeps_the_template_as_before(power):
    found = headers(build_template(enterprise=power, year=2019, months=[1]))
    assert found == [
        "排放源编号",
        "排放源名称",
        "计量器具",
        "年份",
        "月份",
        "活动数据",
        "单位",
        "数据来源",
        "低位发热量",
        "热值单位",
        "收到基元素碳含量（%）",
        "碳氧化率（%）",
        "备注",
    ]


def test_a_sector_set_added_later_is_picked_up_by_template_dry_run_and_import(power, monkeypatch):
    """Another sector's set (here a made-up one for the power plant's methodology): its columns, its checks and
    its stored values come from the set alone, with no intake code naming it."""
    filer = User.objects.get(username="power.filer")
    monkeypatch.setitem(
        PARAMETER_SETS,
        "cn_ets_power_2022",
        {
            Kind.FUEL_COMBUSTION: (
                ParameterSpec(Name.CARBON_CONTENT_AD, "%", lab=True),
                ParameterSpec(Name.MOISTURE_AR, "%", lab=True),
            ),
            Kind.PURCHASED_ELECTRICITY: (),
        },
    )
    template = build_template(enterprise=power, year=2019, months=[1])
    found = headers(template)
    assert "空干基元素碳含量（%）" in found and "收到基全水分（%）" in found and "检测报告编号" in found
    assert "碳氧化率（%）" not in found and "低位发热量" not in found
    data = fill(template, {("U1-COAL", 1): {"carbon_content_ad": "55.1", "moisture_ar": "8%"}})
    report = services.dry_run(enterprise=power, name="set.xlsx", data=data)
    assert report.ok, report.problems
    services.confirm(enterprise=power, sha256=report.sha256, name="set.xlsx", by=filer)
    record = ActivityRecord.objects.get(source__code="U1-COAL", year=2019, month=1)
    assert {(p.name, p.value, p.unit) for p in record.parameters.all()} == {
        ("carbon_content_ad", Decimal("55.1"), "%"),
        ("moisture_ar", Decimal("8"), "%"),
    }
    # The old template's oxidation rate is no parameter of this set: a row error, not a silent drop.
    old = fill(
        template, {("U1-COAL", 1): {"moisture_ar": "8"}}, edit=_with_column("碳氧化率（%）", "U1-COAL", 98)
    )
    refused = services.dry_run(enterprise=power, name="old.xlsx", data=old)
    problem = next(p for p in refused.problems if p.header == "碳氧化率（%）")
    assert problem.code == "not_applicable" and "收到基全水分" in problem.message


def _with_column(header: str, code: str, value):
    def edit(workbook):
        sheet = workbook[DATA_SHEET]
        column = sheet.max_column + 1
        sheet.cell(row=HEADER_ROW, column=column, value=header)
        for row in range(HEADER_ROW + 1, sheet.max_row + 1):
            if sheet.cell(row=row, column=1).value == code:
                sheet.cell(row=row, column=column, value=value)

    return edit


def _api_month(client, filer):
    client.force_login(filer)
    entries = [
        (
            "K1-COAL",
            "12000",
            "t",
            "production_metering",
            [("ncv", "22.1", "GJ/t"), ("carbon_content_ar", "56", "%"), ("oxidation_rate", "98", "%")],
        ),  # fmt: skip
        (
            "K1-CLK",
            "100000",
            "t",
            "production_metering",
            [
                ("clinker_cao", "65", "%"),
                ("clinker_mgo", "2.5", "%"),
                ("noncarbonate_cao", "1", "%"),
                ("noncarbonate_mgo", "0", "%"),
                ("kiln_dust", "1500", "t"),
                ("bypass_dust", "500", "t"),
                ("raw_meal", "160000", "t"),
                ("raw_meal_carbon", "0.2", "%"),
            ],
        ),  # fmt: skip
        ("GRID", "8000", "MWh", "settlement_voucher", [("clinker_facility_electricity", "6000", "MWh")]),
    ]
    for code, quantity, unit, data_source, parameters in entries:
        body = {"source": code, "year": YEAR, "month": API_MONTH, "quantity": quantity, "unit": unit}
        body |= {"data_source": data_source}
        body["parameters"] = [{"name": n, "value": v, "unit": u} for n, v, u in parameters]
        response = client.post("/e/wx-cement/api/v1/activity/", body, content_type="application/json")
        assert response.status_code == 201, response.content


def test_cement_round_trip_gives_the_figure_of_the_same_values_entered_over_the_api(
    cement, cement_filer, client
):
    report_row = _lab_report(cement_filer)
    template = build_template(enterprise=cement, year=YEAR, months=[MONTH, API_MONTH])
    data = _filled(template)
    before = ActivityRecord.objects.count()
    dry = services.dry_run(enterprise=cement, name="水泥六月.xlsx", data=data)
    assert dry.ok, dry.problems
    assert dry.summary()["create"] == 3 and ActivityRecord.objects.count() == before
    batch = services.confirm(enterprise=cement, sha256=dry.sha256, name=dry.name, by=cement_filer)
    assert batch.rows_created == 3
    clinker = ActivityRecord.objects.get(source__code="K1-CLK", year=YEAR, month=MONTH)
    stored = {p.name: (p.value, p.unit, p.lab_report_id) for p in clinker.parameters.all()}
    assert stored["clinker_cao"] == (Decimal("65"), "%", report_row.pk)  # composition: lab-backed, cited
    assert stored["noncarbonate_cao"] == (Decimal("1"), "%", report_row.pk)
    assert stored["kiln_dust"] == (Decimal("1500"), "t", None)  # a weighed mass: no lab report
    assert stored["raw_meal_carbon"] == (Decimal("0.2"), "%", report_row.pk)
    grid = ActivityRecord.objects.get(source__code="GRID", year=YEAR, month=MONTH)
    assert [(p.name, p.value, p.unit) for p in grid.parameters.all()] == [
        ("clinker_facility_electricity", Decimal("6000"), "MWh")
    ]
    coal = ActivityRecord.objects.get(source__code="K1-COAL", year=YEAR, month=MONTH)
    assert {p.name: p.unit for p in coal.parameters.all()} == {
        "ncv": "GJ/t",
        "carbon_content_ar": "%",
        "oxidation_rate": "%",
    }

    _api_month(client, cement_filer)
    imported = month_request(year=YEAR, month=MONTH, methodology=CEMENT)
    entered = month_request(year=YEAR, month=API_MONTH, methodology=CEMENT)
    assert {**imported, "period": None} == {**entered, "period": None}
    runs = [
        accounting.compute_month(enterprise=cement, year=YEAR, month=month, by=cement_filer)
        for month in (MONTH, API_MONTH)
    ]
    assert runs[0].result["direct_tco2"] == runs[1].result["direct_tco2"] == "79416.96"

    # The same file again is the same batch; a changed raw-meal carbon is version 2 with the batch as reason,
    # keeping every other value and its citation.
    assert services.confirm(enterprise=cement, sha256=dry.sha256, name="again.xlsx", by=cement_filer) == batch
    changed = _filled(template, **{"K1-CLK": {"raw_meal_carbon": "0.25", "lab_report": None}})
    second = services.dry_run(enterprise=cement, name="更正.xlsx", data=changed)
    assert second.ok, second.problems
    assert (second.summary()["correct"], second.summary()["unchanged"]) == (1, 2)
    correction = services.confirm(enterprise=cement, sha256=second.sha256, name="更正.xlsx", by=cement_filer)
    versions = ActivityRecord.objects.filter(source__code="K1-CLK", year=YEAR, month=MONTH).order_by(
        "version"
    )
    assert [v.version for v in versions] == [1, 2]
    assert (
        versions[1].correction_reason == f"导入批次 #{correction.pk}"
        and versions[1].supersedes == versions[0]
    )
    new = {p.name: (p.value, p.lab_report_id) for p in versions[1].parameters.all()}
    assert new["raw_meal_carbon"] == (Decimal("0.25"), None)  # a new value without its report: DQ-E01 says so
    assert new["clinker_cao"] == (Decimal("65"), report_row.pk)
    assert len(new) == 8
    assert versions[0].parameters.get(name="raw_meal_carbon").value == Decimal("0.2")  # never edited
    assert ImportBatch.objects.count() == 2


@pytest.mark.parametrize(
    "code, key, value, expected",
    [
        ("K1-CLK", "clinker_cao", "六十五", "not_a_number"),
        ("K1-CLK", "clinker_mgo", "1e400", "out_of_range"),
        ("K1-CLK", "noncarbonate_cao", "NaN", "not_finite"),
        ("K1-CLK", "noncarbonate_mgo", "150 %", "out_of_range"),
        ("K1-CLK", "raw_meal_carbon", 150, "out_of_range"),
        ("K1-CLK", "kiln_dust", '=HYPERLINK("http://evil.example/","1500")', "formula"),
        ("K1-CLK", "bypass_dust", "-500", "negative"),
        ("K1-CLK", "raw_meal", "@SUM(1+1)", "not_a_number"),
        ("K1-CLK", "lab_report", "=cmd|' /C calc'!A0", "unknown_lab_report"),
        ("K1-COAL", "clinker_cao", "65", "not_applicable"),
        ("K1-COAL", "ncv_unit", "kcal/kg", "wrong_unit"),
        ("GRID", "ncv", "20", "not_applicable"),
        ("GRID", "clinker_facility_electricity", "999999999999999", "out_of_range"),
    ],
)
def test_hostile_parameter_cells_are_row_errors_naming_row_and_column(
    cement, cement_filer, code, key, value, expected
):
    _lab_report(cement_filer)
    template = build_template(enterprise=cement, year=YEAR, months=[MONTH])
    data = _filled(template, **{code: {key: value}})
    sheet = load_workbook(io.BytesIO(data))[DATA_SHEET]
    column = template_columns(sheet)
    row = next(
        r for r in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == code
    )
    report = services.dry_run(enterprise=cement, name="坏.xlsx", data=data)
    assert [(p.code, p.row) for p in report.problems] == [(expected, row)]
    problem = report.problems[0]
    assert (
        problem.sheet == DATA_SHEET and problem.header == sheet.cell(row=HEADER_ROW, column=column[key]).value
    )
    assert problem.column == sheet.cell(row=HEADER_ROW, column=column[key]).column_letter
    assert any("\u4e00" <= char <= "\u9fff" for char in problem.message)
    with pytest.raises(services.ImportRejected):
        services.confirm(enterprise=cement, sha256=report.sha256, name=report.name, by=cement_filer)
    assert not ActivityRecord.objects.filter(year=YEAR, month=MONTH).exists()


def test_a_lab_report_number_on_a_row_without_lab_values_is_refused(cement, cement_filer):
    _lab_report(cement_filer)
    template = build_template(enterprise=cement, year=YEAR, months=[MONTH])
    report = services.dry_run(
        enterprise=cement, name="x.xlsx", data=_filled(template, GRID={"lab_report": REPORT})
    )
    assert [(p.code, p.header) for p in report.problems] == [("not_applicable", "检测报告编号")]


def test_citing_a_lab_report_for_the_same_values_is_a_new_version_with_the_citation(cement, cement_filer):
    """A filer who imported the month's values before the lab's report came back imports the same values again
    with the report number: the values now cite it (a new version, nothing edited)."""
    template = build_template(enterprise=cement, year=YEAR, months=[MONTH])
    uncited = _filled(template, **{"K1-COAL": {"lab_report": None}, "K1-CLK": {"lab_report": None}})
    first = services.dry_run(enterprise=cement, name="先.xlsx", data=uncited)
    services.confirm(enterprise=cement, sha256=first.sha256, name=first.name, by=cement_filer)
    report_row = _lab_report(cement_filer)
    cited = services.dry_run(enterprise=cement, name="后.xlsx", data=_filled(template))
    assert (cited.summary()["correct"], cited.summary()["unchanged"]) == (2, 1)
    services.confirm(enterprise=cement, sha256=cited.sha256, name=cited.name, by=cement_filer)
    clinker = ActivityRecord.objects.filter(source__code="K1-CLK", year=YEAR, month=MONTH).order_by("version")
    assert [v.version for v in clinker] == [1, 2]
    assert clinker[1].parameters.get(name="clinker_cao").lab_report == report_row
    assert clinker[1].parameters.get(name="kiln_dust").lab_report is None
    assert clinker[0].parameters.get(name="clinker_cao").lab_report is None


def test_numeric_cells_written_as_infinity_or_nan_are_refused_not_crashed_on(cement, cement_filer):
    """Cells typed as numbers in the sheet's XML (not text): 1e400 reads as infinity, NaN not as a number."""
    from intake_workbooks import rewrite_member, sheet_part

    _lab_report(cement_filer)
    template = build_template(enterprise=cement, year=YEAR, months=[MONTH])
    good = _filled(template, **{"K1-CLK": {"clinker_mgo": 2.53421, "raw_meal_carbon": 0.98765}})
    part = sheet_part(good, DATA_SHEET)
    infinite = rewrite_member(good, part, lambda body: body.replace(b"<v>2.53421</v>", b"<v>1e400</v>"))
    report = services.dry_run(enterprise=cement, name="inf.xlsx", data=infinite)
    assert [(p.code, p.header) for p in report.problems] == [("not_finite", "熟料MgO含量（%）")]
    nan = rewrite_member(good, part, lambda body: body.replace(b"<v>0.98765</v>", b"<v>NaN</v>"))
    report = services.dry_run(enterprise=cement, name="nan.xlsx", data=nan)
    assert [p.code for p in report.problems] == ["unreadable_row"] and report.problems[0].row
