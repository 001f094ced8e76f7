"""Numbers and shapes at the edge of the calculator, and `manage.py calculate` on a fresh clone (issue 15).

Before: `1e400` or `1e27 t` was a decimal.InvalidOperation/Overflow deep in a methodology, `outputs: []` an
AttributeError, `methodology: []` a TypeError, JSON nested thousands deep a RecursionError, and the command
needed a migrated database with a loaded factor library."""

import copy
import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings

from steward.carbon.calculator import CalculationInputError, calculate
from steward.edge import json_body
from steward.edge.errors import EdgeError
from steward.edge.numbers import BOUNDS, bounded_decimal, parse_decimal
from steward.factors.shipped import shipped_snapshot
from tests.steward.carbon.conftest import EXAMPLE_REQUEST

FACTORS = shipped_snapshot()  # no database needed
HUGE_INT = "9" * 5000


def codes(data) -> dict[str, list[str]]:
    with pytest.raises(CalculationInputError) as caught:
        calculate(data, FACTORS)
    return {path: [e["code"] for e in errors] for path, errors in caught.value.errors.items()}


def with_consumption(value) -> dict:
    request = copy.deepcopy(EXAMPLE_REQUEST)
    request["fuels"][0]["consumption"]["value"] = value
    return request


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (Decimal("1e400"), "out_of_range"),  # a JSON number, read as Decimal
        ("1e400", "out_of_range"),
        ("1e27", "out_of_range"),
        (Decimal("1e999999999"), "out_of_range"),
        ("1e999999999", "out_of_range"),
        pytest.param(10**5000, "too_long", id="int-5000-digits"),
        (Decimal(HUGE_INT), "too_long"),
        (HUGE_INT, "too_long"),
        (Decimal("NaN"), "not_finite"),
        ("-Infinity", "not_finite"),
        ("1_000", "not_a_decimal"),
        ("١٢٣", "not_a_decimal"),  # Arabic-Indic digits: Decimal() would read them
        ("0.123456789", "too_precise"),
        ("-1", "negative"),
    ],
)
def test_each_bad_number_is_a_field_error_of_the_calculator(raw, code):
    assert codes(with_consumption(raw)) == {"fuels[0].consumption.value": [code]}


def test_bounds_are_per_unit_not_per_digit():
    assert bounded_decimal("1000000000", "t", "mass", "x") == Decimal("1e9")
    assert bounded_decimal("1000000000000", "kg", "mass", "x") == Decimal("1e12")  # the same 1e9 t
    with pytest.raises(EdgeError) as caught:
        bounded_decimal("1000000001", "t", "mass", "x")
    assert caught.value.errors["x"][0]["code"] == "out_of_range"
    assert set(BOUNDS) >= {"mass", "gas_volume", "electricity", "heat", "fraction"}


@pytest.mark.parametrize(
    ("patch", "path"),
    [
        ({"outputs": []}, "outputs"),
        ({"outputs": "200000 MWh"}, "outputs"),
        ({"methodology": ["cn_ets_power_2022"]}, "methodology"),
        ({"methodology": {"code": "cn_ets_power_2022"}}, "methodology"),
        ({"period": [2024, 3]}, "period"),
        ({"fuels": {"fuel": "diesel"}}, "fuels"),
        ({"clinker": []}, "clinker"),
    ],
)
def test_wrong_shapes_are_field_errors(patch, path):
    assert codes({**EXAMPLE_REQUEST, **patch})[path] == ["invalid_shape"]


def test_json_numbers_stay_exact_and_nesting_is_bounded():
    data = json_body.loads(b'{"a": 1e400, "b": 0.1, "c": NaN, "d": %s}' % HUGE_INT.encode())
    assert data["a"] == Decimal("1e400") and data["b"] == Decimal("0.1")
    assert data["c"].is_nan() and data["d"] == Decimal(HUGE_INT)
    with pytest.raises(EdgeError) as deep:
        json_body.loads("[" * 100_000 + "]" * 100_000)
    assert deep.value.errors["non_field_errors"][0]["code"] == "too_deep"
    assert json_body.loads('{"s": "[[[[[[[[[[[[[[[[[[[[[[[[[["}')["s"].startswith("[")  # brackets in text
    with pytest.raises(EdgeError) as nul:
        json_body.loads('{"fuels": [{"label": "a\\u0000b"}]}')
    assert nul.value.errors == {
        "fuels[0].label": [{"code": "control_character", "message": "含有不允许的控制字符 U+0000"}]
    }


def run_command(args: list[str], stdin: str = "", database: str = "") -> subprocess.CompletedProcess:
    """The command as a user runs it; `database` defaults to one that does not exist (a fresh clone)."""
    url = database or "postgresql://postgres@127.0.0.1:5432/steward_no_such_database_for_calculate"
    env = {**os.environ, "STEWARD_USE_CURRENT_PYTHON": "1", "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "manage.py", "calculate", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=env,
        timeout=120,
    )


def test_calculate_runs_without_a_database_from_the_shipped_factor_files(tmp_path):
    request = tmp_path / "request.json"
    request.write_text(json.dumps(EXAMPLE_REQUEST), encoding="utf-8")
    result = run_command([str(request)])
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["total_tco2"] == "166817.78"  # the same figure as from the loaded library
    assert body["factor_set_version"].startswith("shipped-")


@pytest.mark.parametrize(
    ("text", "path", "code"),
    [
        (
            json.dumps(EXAMPLE_REQUEST).replace('"85000"', "1e400"),
            "fuels[0].consumption.value",
            "out_of_range",
        ),
        (json.dumps(EXAMPLE_REQUEST).replace('"85000"', HUGE_INT), "fuels[0].consumption.value", "too_long"),
        (json.dumps(EXAMPLE_REQUEST).replace('"85000"', "NaN"), "fuels[0].consumption.value", "not_finite"),
        (json.dumps({**EXAMPLE_REQUEST, "outputs": []}), "outputs", "invalid_shape"),
        ("[" * 50_000 + "]" * 50_000, "", "too_deep"),
        ("{not json", "", "invalid_json"),
    ],
)
def test_bad_requests_exit_2_with_the_field_named_never_a_traceback(text, path, code):
    result = run_command(["-"], stdin=text)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["errors"][path][0]["code"] == code


def test_an_unreadable_file_exits_2():
    result = run_command(["/nonexistent/request.json"])
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert json.loads(result.stdout)["errors"]["path"][0]["code"] == "unreadable"


def test_a_methodologys_domain_refusal_keeps_its_field(monkeypatch):
    """H7's methodologies refuse impossible values (moisture 100%, CaO) with a ValidationError naming the
    field; the calculator, and so the API (400) and the command (exit 2), pass it on as it is."""
    from django.core.exceptions import ValidationError

    from steward.carbon import calculator

    class Refusing:
        @staticmethod
        def check(request):  # a method's domain refusals come from its check, before any arithmetic
            raise ValidationError(
                {"fuels[0].moisture_ar": ValidationError("收到基水分不能为 100%", code="out_of_range")}
            )

        @staticmethod
        def compute(request, factors):
            raise AssertionError("compute runs only on a request its check accepted")

    monkeypatch.setitem(calculator.METHODOLOGIES, "cn_ets_power_2022", Refusing)
    assert codes(copy.deepcopy(EXAMPLE_REQUEST)) == {"fuels[0].moisture_ar": ["out_of_range"]}


def test_parse_decimal_accepts_plain_numbers():
    assert parse_decimal(" 85000.5 ", "x") == Decimal("85000.5")
    assert parse_decimal(12, "x") == 12 and parse_decimal("1.2e3", "x") == Decimal("1200")


def test_a_body_of_millions_of_values_is_refused_before_parsing():
    with pytest.raises(EdgeError) as caught:
        json_body.loads("[" + "1," * 2_000_000 + "1]")
    assert caught.value.errors["non_field_errors"][0]["code"] == "too_many_values"


def test_every_unit_dimension_has_a_documented_bound():
    """A methodology that adds a dimension (kg/t for anode consumption) gets a range at the edge too."""
    from steward.carbon.units import DIMENSIONS
    from steward.edge.numbers import BOUNDS

    assert set(DIMENSIONS) <= set(BOUNDS), set(DIMENSIONS) - set(BOUNDS)
