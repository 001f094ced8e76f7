"""The reporting-only sectors through the command and the API (refusals: exit 2 / HTTP 400 with the field named),
and the enterprise's industry choosing the methodology."""

import json

import pytest

from steward.carbon.methods import METHODOLOGIES
from steward.carbon.selectors import methodology_for, methodology_for_industry
from tenants.models import Enterprise
from tests.steward.carbon.test_calculator_interfaces import run_command
from tests.steward.carbon.test_sector_chemicals import CHEMICALS
from tests.steward.carbon.test_sector_glass import GLASS
from tests.steward.carbon.test_sector_paper import PAPER, WASTEWATER

VALID = [
    {"methodology": "cn_flat_glass", "period": {"year": 2024, "month": 5}, "glass": GLASS},
    {"methodology": "cn_chemicals", "period": {"year": 2024}, "chemicals": CHEMICALS},
    {"methodology": "cn_paper", "period": {"year": 2024, "month": 6}, "paper": PAPER},
]
REFUSED = [
    (
        {"methodology": "cn_chemicals", "period": {"year": 2024},
         "chemicals": {"outputs": CHEMICALS["outputs"]}},
        "chemicals.outputs", "exceeds_total",
    ),
    (
        {"methodology": "cn_paper", "period": {"year": 2024},
         "paper": {"wastewater": WASTEWATER | {"cod_out": {"value": "9000", "unit": "mg/L"}}}},
        "paper.wastewater.cod_out.value", "exceeds_total",
    ),
    (
        {"methodology": "cn_flat_glass", "period": {"year": 2024},
         "glass": {"carbonates": [{"carbonate": "Na2CO3", "quantity": {"value": "-1", "unit": "t"}}]}},
        "glass.carbonates[0].quantity.value", "negative",
    ),
    (
        {"methodology": "cn_flat_glass", "period": {"year": 2024},
         "glass": {"carbonates": [{"carbonate": "Na2CO3", "quantity": {"value": "1", "unit": "t"},
                                   "purity": {"value": "1e400", "unit": "fraction"}}]}},
        "glass.carbonates[0].purity.value", "out_of_range",
    ),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("request_body", VALID, ids=lambda body: body["methodology"])
def test_command_and_api_agree_for_each_sector(user_client, request_body):
    command = run_command(json.dumps(request_body))
    assert command.returncode == 0, command.stderr
    api = user_client("paper.filer").post("/api/v1/calculate", request_body, content_type="application/json")
    assert api.status_code == 200 and json.loads(command.stdout) == api.json()
    assert api.json()["methodology"] == request_body["methodology"]


@pytest.mark.django_db
@pytest.mark.parametrize("request_body, path, code", REFUSED)
def test_impossible_values_exit_2_and_answer_400_with_the_field(user_client, request_body, path, code):
    command = run_command(json.dumps(request_body))
    assert command.returncode == 2, command.stderr
    errors = json.loads(command.stdout)["errors"]
    assert errors[path][0]["code"] == code
    api = user_client("paper.filer").post("/api/v1/calculate", request_body, content_type="application/json")
    assert api.status_code == 400 and api.json() == errors


def test_industry_chooses_the_methodology():
    assert methodology_for_industry("3041") == "cn_flat_glass"
    assert methodology_for_industry("2221") == methodology_for_industry("2211") == "cn_paper"
    assert methodology_for_industry("2641") == methodology_for_industry("2614") == "cn_chemicals"
    assert methodology_for_industry("3011") == "cn_cement_clinker"
    assert methodology_for_industry("2822") == "gbt32150_generic"  # chemical fibre is division 28, not 26
    assert methodology_for_industry("3042") == methodology_for_industry(None) == "gbt32150_generic"
    assert {"cn_flat_glass", "cn_chemicals", "cn_paper"} <= set(METHODOLOGIES)


@pytest.mark.django_db
def test_the_demo_paper_mill_is_accounted_as_paper():
    assert methodology_for(Enterprise.objects.get(slug="nth-paper")) == "cn_paper"
    assert methodology_for(Enterprise.objects.get(slug="aj-wood")) == "gbt32150_generic"
