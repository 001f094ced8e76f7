"""The command and the API take the same request and give the same result."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.conftest import test_database_url
from tests.steward.carbon.conftest import EXAMPLE_REQUEST


def run_command(stdin: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "STEWARD_USE_CURRENT_PYTHON": "1", "DATABASE_URL": test_database_url()}
    return subprocess.run(
        [sys.executable, "manage.py", "calculate", "-"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env=env,
    )


@pytest.mark.django_db
def test_command_and_api_agree(user_client):
    command = run_command(json.dumps(EXAMPLE_REQUEST))
    assert command.returncode == 0, command.stderr
    api = user_client("power.filer").post(
        "/api/v1/calculate", EXAMPLE_REQUEST, content_type="application/json"
    )
    assert api.status_code == 200
    assert json.loads(command.stdout) == api.json()
    assert api.json()["total_tco2"] == "166817.78"


@pytest.mark.django_db
def test_invalid_input_is_status_2_on_the_command_and_400_on_the_api(user_client):
    bad = {
        **EXAMPLE_REQUEST,
        "fuels": [{"fuel": "diesel", "consumption": {"value": "-1", "unit": "bananas"}}],
    }
    command = run_command(json.dumps(bad))
    assert command.returncode == 2
    errors = json.loads(command.stdout)["errors"]
    api = user_client("power.filer").post("/api/v1/calculate", bad, content_type="application/json")
    assert api.status_code == 400 and api.json() == errors
    assert errors["fuels[0].consumption.unit"][0] == {"code": "unknown_unit", "message": "未知单位 bananas"}
    assert run_command("{not json").returncode == 2


@pytest.mark.django_db
def test_api_numbers_in_json_are_read_as_decimals_not_floats(user_client):
    request = {**EXAMPLE_REQUEST, "fuels": [], "purchased_electricity": {"value": "0.1", "unit": "MWh"}}
    body = json.dumps(request).replace('"0.1"', "0.1")  # a bare JSON number
    response = user_client("power.filer").post("/api/v1/calculate", body, content_type="application/json")
    assert response.status_code == 200 and response.json()["lines"][0]["inputs"][0]["value"] == "0.1"


@pytest.mark.django_db
def test_api_needs_a_login(client):
    assert client.post("/api/v1/calculate", EXAMPLE_REQUEST, content_type="application/json").status_code in {
        401,
        403,
    }
