"""Property-based layer over the calculator, the request parser and the edge readers (Hypothesis).

Properties: arbitrary JSON (and arbitrary near-valid requests) never raise anything but the product's own
refusal, in the house shape; valid requests round-trip through JSON and echo their inputs; totals do not
depend on the unit a figure is given in (t/kg, MWh/kWh, GJ/MJ, GJ/t vs MJ/kg). No database: the shipped
factor files. Bounded to a few hundred examples, seconds in all.
"""

import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.carbon.calculator import CalculationInputError, calculate
from steward.carbon.methods import METHODOLOGIES
from steward.carbon.request import OUTPUT_DIMENSIONS, TOP_LEVEL_FIELDS
from steward.carbon.units import ALL_UNITS
from steward.edge import json_body
from steward.edge.errors import EdgeError
from steward.edge.numbers import parse_decimal
from steward.edge.text import clean_text, forbidden_character
from steward.factors.shipped import shipped_snapshot

FACTORS = shipped_snapshot()
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None)
FAST = settings(SETTINGS, max_examples=80, suppress_health_check=[HealthCheck.too_slow])

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.decimals()
    | st.text(max_size=12)
    | st.sampled_from(["1e400", "1e27", "1e999999999", "9" * 5000, "NaN", "-Infinity", "1_0", "\x00"])
)
json_like = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
numbers = st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=0, max_value=10**7).map(str)
quantity_like = (
    st.fixed_dictionaries(
        {"value": numbers | scalars, "unit": st.sampled_from(sorted(ALL_UNITS)) | st.text(max_size=5)}
    )
    | json_like
)
fuel_like = st.fixed_dictionaries(
    {"fuel": st.sampled_from(sorted(FACTORS.fuel_codes())) | json_like},
    optional={
        "consumption": quantity_like,
        "ncv": quantity_like,
        "carbon_content_ar": quantity_like,
        "moisture_ar": quantity_like,
        "carbon_content_per_heat": quantity_like,
        "oxidation_rate": quantity_like,
        "label": json_like,
    },
)
request_like = st.fixed_dictionaries(
    {},
    optional={
        "methodology": st.sampled_from(sorted(METHODOLOGIES)) | json_like,
        "period": st.fixed_dictionaries(
            {}, optional={"year": st.integers(1990, 2110), "month": st.integers(0, 13)}
        )
        | json_like,
        "fuels": st.lists(fuel_like, max_size=3) | json_like,
        "purchased_electricity": quantity_like,
        "grid_factor": quantity_like,
        "purchased_heat": quantity_like,
        "clinker": st.dictionaries(
            st.sampled_from(["output", "cao", "mgo", "cao_noncarbonate"]), quantity_like
        )
        | json_like,
        "outputs": st.dictionaries(st.sampled_from(sorted(OUTPUT_DIMENSIONS)), quantity_like) | json_like,
    },
)


def refusal_or_result(data) -> dict | None:
    try:
        return calculate(data, FACTORS)
    except CalculationInputError as error:
        assert error.errors
        for path, items in error.errors.items():
            assert isinstance(path, str)
            assert items and all(set(item) == {"code", "message"} for item in items)
        return None


@SETTINGS
@given(json_like)
def test_arbitrary_json_is_a_refusal_never_a_crash(data):
    refusal_or_result(data)


@SETTINGS
@given(request_like)
def test_near_valid_requests_are_computed_or_refused_by_field(data):
    result = refusal_or_result(data)
    if result is not None:
        assert set(data) <= TOP_LEVEL_FIELDS
        assert Decimal(result["total_tco2"]) >= 0


@FAST
@given(st.text(max_size=40) | st.binary(max_size=40).map(lambda b: b.decode("latin-1")))
def test_any_text_is_parsed_or_refused(text):
    for raw in (text, text.encode("utf-8", "surrogatepass")):
        try:
            json_body.loads(raw)
        except EdgeError as error:
            assert error.errors
    try:
        cleaned = clean_text(text, "x", multiline=True)
    except EdgeError as error:
        assert error.errors["x"][0]["code"] == "control_character"
    else:
        assert forbidden_character(cleaned) is None


@FAST
@given(json_like)
def test_json_round_trips_through_the_bounded_reader(data):
    try:
        text = json.dumps(data, default=str, allow_nan=True)
    except (ValueError, TypeError):
        return
    try:
        json_body.loads(text)
    except EdgeError as error:
        assert {item["code"] for items in error.errors.values() for item in items} <= {
            "control_character",
            "too_deep",
        }


@FAST
@given(st.decimals(allow_nan=False, allow_infinity=False, places=8, min_value=0, max_value=10**9))
def test_bounded_decimals_round_trip(value):
    assert parse_decimal(format(value, "f"), "x") == value
    assert json_body.loads(json.dumps({"v": format(value, "f")}))["v"] == format(value, "f")


def power_request(coal_t: Decimal, electricity_mwh: Decimal, ncv_gj_t: Decimal) -> dict:
    return {
        "methodology": "cn_ets_power_2022",
        "period": {"year": 2024, "month": 3},
        "fuels": [
            {
                "fuel": "bituminous_coal",
                "consumption": {"value": str(coal_t), "unit": "t"},
                "ncv": {"value": str(ncv_gj_t), "unit": "GJ/t"},
            }
        ],
        "purchased_electricity": {"value": str(electricity_mwh), "unit": "MWh"},
        "outputs": {"electricity_supplied": {"value": "1000", "unit": "MWh"}},
    }


amounts = st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=0, max_value=10**6)


@FAST
@given(amounts, amounts, st.decimals(places=3, min_value=1, max_value=40))
def test_valid_requests_round_trip_and_echo_their_inputs(coal, electricity, ncv):
    request = power_request(coal, electricity, ncv)
    result = calculate(request, FACTORS)
    assert calculate(json_body.loads(json.dumps(request)), FACTORS) == result
    given_inputs = {item["name"]: item["value"] for line in result["lines"] for item in line["inputs"]}
    assert Decimal(given_inputs["FC"]) == coal


@FAST
@given(amounts, amounts, st.decimals(places=3, min_value=1, max_value=40), amounts)
def test_totals_do_not_depend_on_the_unit(coal, electricity, ncv, heat):
    base = power_request(coal, electricity, ncv)
    scaled = json.loads(json.dumps(base))
    scaled["fuels"][0]["consumption"] = {"value": str(coal * 1000), "unit": "kg"}
    scaled["fuels"][0]["ncv"] = {"value": str(ncv), "unit": "MJ/kg"}
    scaled["purchased_electricity"] = {"value": str(electricity * 1000), "unit": "kWh"}
    assert calculate(base, FACTORS)["total_tco2"] == calculate(scaled, FACTORS)["total_tco2"]
    generic = {
        "methodology": "gbt32150_generic",
        "period": {"year": 2024},
        "purchased_heat": {"value": str(heat), "unit": "GJ"},
    }
    in_mj = generic | {"purchased_heat": {"value": str(heat * 1000), "unit": "MJ"}}
    assert calculate(generic, FACTORS)["total_tco2"] == calculate(in_mj, FACTORS)["total_tco2"]
