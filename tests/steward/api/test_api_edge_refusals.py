"""What a hostile client sends to the API is refused by field, never a 500 and never stored (issue 15).

Before: 1e400 or a wrong shape in POST /api/v1/calculate, `?source=%00`, and JSON nested thousands deep were
500s; a month after this one, an unknown field and a control character in the enterprise name were stored;
a 30 MiB JSON body was parsed; serializer errors were plain strings; /api/schema/ left out the public API."""

import json
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from steward.carbon.models import ActivityRecord
from steward.edge.periods import current_month
from steward.integrations import tokens
from tenants.models import Enterprise, User
from tests.steward.carbon.conftest import EXAMPLE_REQUEST

pytestmark = pytest.mark.django_db
API = "/e/cx-power/api/v1"
GOOD = {
    "source": "GRID",
    "year": 2019,
    "month": 5,
    "quantity": "850.5",
    "unit": "MWh",
    "data_source": "settlement_voucher",
}


@pytest.fixture
def token():
    return tokens.create_token(
        enterprise=Enterprise.objects.get(slug="cx-power"),
        name="edge",
        permissions=["read_activity", "write_activity", "read_filings", "submit_filing", "upload_evidence"],
        by=User.objects.get(username="power.admin"),
    ).secret


def post(client, token, body, path="activity/"):
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(
        f"{API}/{path}", raw, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )


def assert_house_shape(body: dict) -> None:
    """{field: [{code, message}]} and nothing else."""
    assert body and all(isinstance(field, str) for field in body)
    for errors in body.values():
        assert errors and all(set(error) == {"code", "message"} for error in errors), body


def stored(year=2019, month=5) -> int:
    with schema_context("ent_cx_power"):
        return ActivityRecord.objects.filter(source__code="GRID", year=year, month=month).count()


@pytest.mark.parametrize(
    ("quantity", "code"),
    [
        ("1e400", "max_digits"),  # a JSON number: the parser keeps it as Decimal, the field bounds it
        ('"1e400"', "max_digits"),
        ("1e999999999", "max_digits"),
        pytest.param("9" * 5000, "max_string_length", id="int-5000-digits"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        ('"1000000000001"', "out_of_range"),  # fits the column, but beyond the unit's range (1e9 MWh)
    ],
)
def test_bad_numbers_are_refused_by_field(client, token, quantity, code):
    body = json.dumps(GOOD).replace('"850.5"', quantity)
    response = post(client, token, body)
    assert response.status_code == 400, response.content
    assert_house_shape(response.json())
    assert [error["code"] for error in response.json()["quantity"]] == [code]
    assert stored() == 0


@pytest.mark.parametrize("value", ["1e400", '"1e27"', "1e999999999", "9" * 5000, "NaN", "-Infinity"])
def test_the_calculate_api_refuses_bad_numbers_by_field(user_client, value):
    body = json.dumps(EXAMPLE_REQUEST).replace('"85000"', value)
    response = user_client("power.filer").post("/api/v1/calculate", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["fuels[0].consumption.value"]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"outputs": []}, "outputs"),
        ({"outputs": "200000"}, "outputs"),
        ({"methodology": []}, "methodology"),
        ({"methodology": {"x": 1}}, "methodology"),
    ],
)
def test_the_calculate_api_refuses_wrong_shapes(user_client, patch, field):
    response = user_client("power.filer").post(
        "/api/v1/calculate", {**EXAMPLE_REQUEST, **patch}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert response.json()[field][0]["code"] == "invalid_shape"


def test_deep_nesting_and_a_body_shaped_wrong_are_refused(client, token, user_client):
    deep = post(client, token, "[" * 20_000 + "]" * 20_000)
    assert deep.status_code == 400 and deep.json()["non_field_errors"][0]["code"] == "too_deep"
    calc = user_client("power.filer").post(
        "/api/v1/calculate", '{"a":' * 5000 + "1" + "}" * 5000, "application/json"
    )
    assert calc.status_code == 400
    listed = post(client, token, [GOOD])
    assert listed.status_code == 400
    assert_house_shape(listed.json())


def test_a_json_body_over_5_mib_is_refused_before_parsing(client, token):
    body = json.dumps(GOOD | {"reason": "x" * (6 * 1024 * 1024)})
    response = post(client, token, body)
    assert response.status_code == 413
    assert response.json()["non_field_errors"][0]["code"] == "too_large"


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/activity/?source=%00",
        f"{API}/activity/?source=a%07b",
        f"{API}/filings/?status=%00",
        f"{API}/results/?year=%00",
        "/e/cx%00power/api/v1/activity/",
    ],
)
def test_control_characters_in_query_and_path_are_a_400_with_a_chinese_message(client, token, path):
    response = client.get(path, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 400, response.content
    error = next(iter(response.json().values()))[0]
    assert error["code"] == "control_character" and "控制字符" in error["message"]


def test_control_characters_on_a_page_are_a_400_too(user_client):
    response = user_client("power.filer").get("/e/cx-power/carbon/?q=%00")
    assert response.status_code == 400 and "控制字符" in response.content.decode()


def test_control_characters_in_json_fields_are_refused_by_field(client, token):
    response = post(client, token, GOOD | {"reason": "更正\u0000", "unit": "MWh\u0085"})
    assert response.status_code == 400
    assert set(response.json()) == {"reason", "unit"}
    assert stored() == 0


def test_a_control_character_never_reaches_the_enterprise_name(user_client):
    before = Enterprise.objects.get(slug="cx-power").name_zh
    response = user_client("power.admin").patch(
        "/e/cx-power/api/v1/enterprise/", {"name_zh": "长兴电厂\u0007"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["name_zh"][0]["code"] == "control_character"
    assert Enterprise.objects.get(slug="cx-power").name_zh == before


def next_month() -> tuple[int, int]:
    year, month = current_month()
    return (year + 1, 1) if month == 12 else (year, month + 1)


@pytest.mark.parametrize(
    ("period", "field", "code"),
    [
        (next_month(), None, "period_in_future"),
        ((2099, 12), "year", "period_in_future"),
        ((2012, 12), "year", "period_before_first_year"),
    ],
)
def test_periods_after_this_month_or_before_the_first_reporting_year_are_refused(
    client, token, period, field, code
):
    year, month = period
    response = post(client, token, GOOD | {"year": year, "month": month})
    assert response.status_code == 400, response.content
    errors = response.json()
    assert [e["code"] for errors_ in errors.values() for e in errors_] == [code]
    if field:
        assert field in errors
    assert stored(year, month) == 0
    submit = client.post(f"{API}/filings/{year}/{month}/submit/", HTTP_AUTHORIZATION=f"Token {token}")
    assert submit.status_code == 400 and submit.json()[next(iter(submit.json()))][0]["code"] == code


def test_the_current_month_in_shanghai_is_the_boundary():
    import datetime

    late_utc = datetime.datetime(2026, 11, 30, 16, 30, tzinfo=datetime.UTC)  # 00:30 on 1 December in Huzhou
    assert current_month(late_utc) == (2026, 12)


@pytest.mark.parametrize(
    ("extra", "code"), [({"quantiy": "1"}, "unknown_field"), ({"revision": 3}, "unknown_field")]
)
def test_unknown_fields_are_refused(client, token, extra, code):
    response = post(client, token, GOOD | extra)
    assert response.status_code == 400
    assert response.json() == {
        next(iter(extra)): [{"code": code, "message": f"未知字段 {next(iter(extra))}"}]
    }
    assert stored() == 0
    nested = post(
        client, token, GOOD | {"parameters": [{"name": "ncv", "value": "1", "unit": "GJ/t", "x": 1}]}
    )
    assert nested.status_code == 400 and "parameters[0].x" in nested.json()


def test_read_only_fields_are_refused_not_ignored(user_client):
    response = user_client("power.admin").patch(
        "/e/cx-power/api/v1/enterprise/", {"slug": "taken-over"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["slug"][0]["code"] == "read_only_field"


def test_serializer_errors_have_the_documented_shape(client, token):
    response = post(
        client, token, GOOD | {"month": "abc", "data_source": "rumour", "parameters": [{"name": "ncv"}]}
    )
    assert response.status_code == 400
    body = response.json()
    assert_house_shape(body)
    assert {"month", "data_source", "parameters[0].value", "parameters[0].unit"} <= set(body)
    assert body["month"][0]["code"] == "invalid"


def test_a_refused_submit_lists_its_open_findings_in_chinese(client, token):
    year, month = current_month()  # not over yet: DQ-T02 blocks it, and no source has data
    response = client.post(f"{API}/filings/{year}/{month}/submit/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["findings"], body
    for finding in body["findings"]:
        assert finding["code"] and finding["rule"] and finding["message"]
    message = body["non_field_errors"][0]["message"]
    assert f"{len(body['findings'])} 项" in message and body["findings"][0]["rule"] in message
    assert "Transition" not in message and "not allowed" not in message
    assert "DQ-T02" in {finding["rule"] for finding in body["findings"]}


def test_the_schema_lists_the_public_and_the_workspace_api(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    assert {"/api/v1/calculate", "/api/v1/me/", "/api/v1/enterprises/"} <= set(schema["paths"])
    assert "/e/{slug}/api/v1/activity/" in schema["paths"]
    assert schema["paths"]["/api/v1/calculate"]["post"]["responses"]["400"]


def test_a_figure_that_passes_is_stored_exactly(client, token):
    response = post(client, token, json.dumps(GOOD).replace('"850.5"', "850.5"))
    assert response.status_code == 201, response.content
    with schema_context("ent_cx_power"):
        assert ActivityRecord.objects.get(pk=response.json()["id"]).quantity == Decimal("850.5")


def test_a_nul_in_the_session_cookie_is_a_400_not_a_500(client):
    client.cookies["sessionid"] = "abc\x00def"
    response = client.get("/api/v1/me/")
    assert (
        response.status_code == 400 and response.json()["cookie sessionid"][0]["code"] == "control_character"
    )
