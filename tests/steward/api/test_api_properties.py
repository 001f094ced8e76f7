"""Property-based layer over the API's serializers and exception handler (Hypothesis, through the test client).

Arbitrary JSON bodies (and near-valid activity writes) sent to POST activity/ and POST /api/v1/calculate are
either accepted or refused in the house shape `{field: [{code, message}]}`; never a 5xx. 60 + 60 + 40 examples.
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.integrations import tokens
from tenants.models import Enterprise, User
from tests.steward.carbon.test_edge_properties import json_like, request_like

pytestmark = pytest.mark.django_db
API = "/e/cx-power/api/v1"
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
activity_like = st.fixed_dictionaries(
    {},
    optional={
        "source": st.sampled_from(["GRID", "U1-COAL", "nope"]) | json_like,
        "year": st.integers(2010, 2030) | json_like,
        "month": st.integers(0, 13) | json_like,
        "quantity": st.sampled_from(["850.5", "1e400", "NaN", "-1", "1e12"]) | json_like,
        "unit": st.sampled_from(["MWh", "t", "kWh"]) | json_like,
        "data_source": st.sampled_from(["settlement_voucher", "meter"]) | json_like,
        "parameters": st.lists(
            st.fixed_dictionaries({"name": json_like, "value": json_like, "unit": json_like}), max_size=2
        )
        | json_like,
        "reason": json_like,
    },
)


def assert_accepted_or_refused(response) -> None:
    assert response.status_code < 500, response.content[:500]
    if response.status_code == 400:
        body = response.json()
        assert body and all(isinstance(key, str) for key in body)
        for errors in body.values():
            assert errors and all(set(error) == {"code", "message"} for error in errors), body


@pytest.fixture
def send(client):
    secret = tokens.create_token(
        enterprise=Enterprise.objects.get(slug="cx-power"),
        name="hypothesis",
        permissions=["read_activity", "write_activity"],
        by=User.objects.get(username="power.admin"),
    ).secret

    def post(body):
        text = json.dumps(body, default=str)
        return client.post(
            f"{API}/activity/", text, content_type="application/json", HTTP_AUTHORIZATION=f"Token {secret}"
        )

    return post


def test_arbitrary_activity_bodies_are_accepted_or_refused_by_field(send):
    @SETTINGS
    @given(activity_like | json_like)
    def run(body):
        assert_accepted_or_refused(send(body))

    run()


def test_arbitrary_calculation_requests_are_computed_or_refused_by_field(user_client):
    client = user_client("power.filer")

    @settings(SETTINGS, max_examples=40)
    @given(request_like)
    def run(body):
        text = json.dumps(body, default=str)
        assert_accepted_or_refused(client.post("/api/v1/calculate", text, content_type="application/json"))

    run()
