"""Damaged and hostile workbooks are refused with a code and a Chinese message naming where, never a 500;
a formula is never taken as a figure; quantities are bounded before any arithmetic."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from intake_workbooks import YEAR, corrupt_deflate, fill, rewrite_member, sheet_part

from steward.intake import services
from steward.intake.columns import DATA_SHEET
from steward.intake.numbers import MAX_INTEGER_DIGITS, NumberError, parse_decimal
from steward.intake.safety import Refusal, check_workbook_bytes
from steward.intake.template import build_template


@pytest.fixture
def january(power):
    template = build_template(enterprise=power, year=YEAR, months=[1])
    good = fill(template)
    return template, good, sheet_part(good, DATA_SHEET)


def test_a_corrupt_deflate_stream_is_refused_before_parsing(power, january):
    _, good, part = january
    report = services.dry_run(enterprise=power, name="坏.xlsx", data=corrupt_deflate(good, part))
    assert [p.code for p in report.problems] == ["not_xlsx"]
    assert "损坏" in report.problems[0].message
    assert not report.ok


def test_xml_cut_short_names_the_sheet(power, january):
    _, good, part = january
    report = services.dry_run(
        enterprise=power,
        name="截断.xlsx",
        data=rewrite_member(good, part, lambda body: body[: len(body) // 2]),
    )
    assert [p.code for p in report.problems] == ["unreadable_row"]
    problem = report.problems[0]
    assert problem.sheet == DATA_SHEET and problem.row and "无法读取" in problem.message


def test_a_numeric_cell_holding_text_names_its_row(power, january):
    _, good, part = january
    typed_as_number = re.compile(rb'(<c r="F(\d+)"[^>]*t="n"[^>]*>)<v>[^<]*</v>')
    row = int(typed_as_number.search(zip_text(good, part))[2])
    data = rewrite_member(good, part, lambda body: typed_as_number.sub(rb"\1<v>abc</v>", body, count=1))
    report = services.dry_run(enterprise=power, name="文本.xlsx", data=data)
    assert [(p.code, p.sheet, p.row) for p in report.problems] == [("unreadable_row", DATA_SHEET, row)]
    assert "数字格式的单元格中存放了文本" in report.problems[0].message


def zip_text(data: bytes, member: str) -> bytes:
    import io
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read(member)


def test_a_formula_given_as_a_quantity_does_not_pass_the_dry_run(power, january):
    template, _, _ = january
    data = fill(template, {("GRID", 1): {"quantity": '=HYPERLINK("http://evil.example/","101")'}})
    report = services.dry_run(enterprise=power, name="公式.xlsx", data=data)
    assert not report.ok
    assert [(p.code, p.column, p.header) for p in report.problems] == [("formula", "F", "活动数据")]
    assert "公式" in report.problems[0].message


@pytest.mark.parametrize(
    "value, code",
    [
        ("1e400", "out_of_range"),
        ("1e27", "out_of_range"),
        ("1e999999999", "out_of_range"),
        ("1e-999999999", "precision"),
        pytest.param("9" * 5000, "too_long", id="5000-digit-text"),
        pytest.param(10**5000, "out_of_range", id="5000-digit-int"),
        ("NaN", "not_finite"),
        ("-Infinity", "not_finite"),
        (float("inf"), "not_finite"),
        ("=SUM(F3:F9)", "formula"),
        ("0.000000001", "precision"),
        ("1" + "0" * MAX_INTEGER_DIGITS, "out_of_range"),
    ],
)
def test_parse_decimal_refuses_what_cannot_be_stored_with_a_code(value, code):
    with pytest.raises(NumberError) as refused:
        parse_decimal(value)
    assert refused.value.code == code and len(refused.value.message) < 120


def test_parse_decimal_keeps_real_figures_exact():
    assert str(parse_decimal("1.5e3")) == "1500"
    assert str(parse_decimal("9" * MAX_INTEGER_DIGITS)) == "9" * MAX_INTEGER_DIGITS
    assert str(parse_decimal("１２，３４５.６７８９")) == "12345.6789"
    assert str(parse_decimal(12.1)) == "12.1" and parse_decimal("0e999999999") == 0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=2048), st.binary(max_size=64).map(lambda b: b"PK\x03\x04" + b)))
def test_arbitrary_bytes_are_refused_by_the_product_never_by_a_crash(power, data):
    try:
        check_workbook_bytes("任意.xlsx", data)
    except Refusal as refusal:
        assert refusal.code and refusal.message
    report = services.check_file(enterprise=power, name="任意.xlsx", data=data)
    assert not report.ok and report.problems[0].message


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.text(max_size=80), st.integers(), st.floats(), st.decimals()))
def test_parse_decimal_answers_a_number_or_its_own_refusal(value):
    try:
        number = parse_decimal(value)
    except NumberError as refused:
        assert refused.code
    else:
        assert number is None or (number.is_finite() and number >= 0 and abs(number) < 10**MAX_INTEGER_DIGITS)
