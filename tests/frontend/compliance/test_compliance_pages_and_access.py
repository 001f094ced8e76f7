"""The compliance and carbon-efficiency pages and API: who sees them, who may enter figures, isolation."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import schema_context

from steward.compliance.models import Allocation, ValueAddedRecord
from tenants.models import Enterprise

PAGE = "/e/cx-power/compliance/2024/"
BADGE = "/e/cx-power/carbon-efficiency/2024/"
API = "/e/cx-power/api/v1/compliance/2024/"


@pytest.mark.parametrize(
    "username",
    [
        "power.admin",
        "power.filer",
        "power.signatory",
        "greencarbon.reviewer",
        "city.viewer",
        "changxing.inspector",
    ],
)
def test_enterprise_roles_carbon_stewards_and_the_covering_bureau_see_the_position(
    power_2024, user_client, username
):
    response = user_client(username).get(PAGE)
    assert response.status_code == 200
    text = response.content.decode()
    assert "877,000 t" in text  # the allocation
    assert "盈缺 -83,000.00 t（缺口）" in text  # allocated 877,000 − forecast 960,000
    assert 'data-testid="deficit-warning"' in text
    assert "待核实" in text  # the 2024 rule and the 2019–20 benchmark are shown as to be verified
    assert 'data-testid="benchmark-mismatch"' in text


@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("cement.admin", PAGE),  # another enterprise's user
        ("wuxing.viewer", PAGE),  # a bureau of another district
        ("greencarbon.manager", "/e/nx-dyeing/compliance/2024/"),  # engagement ended last month
        ("qingyuan.reviewer", "/e/dq-fibre/compliance/2024/"),  # engagement covers environmental only
        ("cement.admin", BADGE),
        ("wuxing.viewer", API),
        ("greencarbon.manager", "/e/nx-dyeing/api/v1/compliance/2024/"),
    ],
)
def test_refused_without_a_live_carbon_role_here(db, user_client, username, path):
    assert user_client(username).get(path).status_code == 403


def test_anonymous_api_call_is_unauthorised(db, client):
    assert client.get(API).status_code == 401


def test_bureau_reads_but_cannot_enter_an_allocation(power_2024, user_client):
    client = user_client("city.inspector")
    assert 'enctype="multipart/form-data"' not in client.get(PAGE).content.decode()
    assert client.post(PAGE, {"stage": "final"}).status_code == 403
    assert client.post(BADGE, {"value_added_10k_cny": "1"}).status_code == 403


def test_filer_enters_a_final_allocation_and_a_correction_needs_a_reason(power_2024, user_client, release):
    client = user_client("power.filer")
    benchmark = release.benchmarks.get(unit_category="coal_300mw_plus").pk
    form = {
        "stage": "final",
        "benchmark": benchmark,
        "output_mwh": "1100000",
        "heat_supplied_gj": "0",
        "corrections": "冷却方式修正系数=1\n负荷系数=1.01",
        "carried_in": "5000",
    }
    response = client.post(PAGE, form)
    assert response.status_code == 302
    response = client.post(PAGE, form | {"output_mwh": "1200000"})
    assert "必须说明原因" in response.content.decode()
    connection.set_schema_to_public()
    with schema_context(Enterprise.objects.get(slug="cx-power").schema_name):
        final = Allocation.objects.get(year=2024, stage="final")
        # 0.877 × 1,100,000 × 1 × 1.01 = 974,347
        assert final.allocated == 974347 and final.carried_in == 5000 and final.version == 1
    text = client.get(PAGE).content.decode()
    assert "974,347 t" in text and "最终核定" in text


def test_value_added_with_evidence_gives_a_badge_explained_step_by_step(power_2024, user_client):
    client = user_client("power.admin")
    response = client.post(
        BADGE,
        {
            "value_added_10k_cny": "80000",
            "zero_carbon_t": "0",
            "industry_average_l": "10",
            "industry_average_source": "湖州市经信局2024年电力行业平均值",
            "evidence_file": SimpleUploadedFile("增加值.pdf", b"%PDF-1.4 value added", "application/pdf"),
        },
    )
    assert response.status_code == 302
    text = client.get(BADGE).content.decode()
    # 960,000 t (forecast) ÷ 80,000 万元 = 12.0000; K = 12 ÷ 10 = 1.2000 → grade 3, high-carbon level
    assert 'data-testid="efficiency-badge"' in text and "grade-3" in text and "3级" in text
    assert "12.0000" in text and "1.2000" in text and "高碳" in text
    assert 'data-testid="provisional"' in text and 'data-testid="colour-to-verify"' in text
    connection.set_schema_to_public()
    with schema_context(Enterprise.objects.get(slug="cx-power").schema_name):
        assert ValueAddedRecord.objects.get(year=2024).evidence.original_name == "增加值.pdf"


def test_api_returns_position_and_grade_as_strings(power_2024, user_client):
    body = user_client("greencarbon.reviewer").get(API).json()
    assert body["allocation"]["allocated_t"] == "877000"
    assert body["emissions"] == {
        "source": "locked_months",
        "total_tco2": "240000",
        "scope": "direct",
        "unscoped_months": [],
        "complete": False,
        "months": {"1": "80000", "2": "80000", "3": "80000"},
    }
    assert body["position"]["surplus_t"] == "-83000" and body["position"]["on_forecast"] is True
    assert body["forecast"]["method"] == "run_rate" and body["warning"] == "likely"
    assert body["policy"]["status"] == "to_verify" and body["policy"]["deficit_cap_share"] == "0.2"
    assert body["carbon_efficiency"] is None  # no value added entered for 2024


def test_workspace_home_links_to_both_pages(db, user_client):
    text = user_client("power.filer").get("/e/cx-power/").content.decode()
    assert 'href="/e/cx-power/compliance/"' in text and 'href="/e/cx-power/carbon-efficiency/"' in text


def test_grading_table_reads_from_the_lowest_band_up_with_plain_bounds(power_2024, user_client):
    """The bands are listed 低碳 → 高碳 and 1级 → 5级, their bounds as people write them: (0.6, 2], not
    (0.600000, 2.000000] nor 中碳 before 低碳."""
    text = user_client("city.viewer").get(BADGE).content.decode()
    table = text[text.index('data-testid="grading-table"') :]
    rows = table[: table.index("</table>")]
    assert "0.600000" not in rows and "2.000000" not in rows
    assert "(−∞, 0.6]" in rows and "(0.6, 2]" in rows and "(2, +∞]" in rows
    levels = [rows.index(label) for label in ("低碳", "中碳", "高碳")]
    grades = [rows.index(f"{grade}级") for grade in range(1, 6)]
    assert levels == sorted(levels) and grades == sorted(grades)


def test_steps_on_a_forecast_read_to_the_hundredth_and_name_the_unit_category(
    power_2024, user_client, lock_month
):
    """Seven locked months forecast 560,000.01 ÷ 7 × 12 = 960,000.0171428…: the steps show 960000.02 and the
    results 960,000.02, never the quotient's 28 digits; the benchmark's unit category is named, not coded."""
    for month in (4, 5, 6, 7):
        total = "80000.01" if month == 7 else "80000.00"
        lock_month(2024, month, total, lines={"fuel_combustion": total})
    text = user_client("changxing.inspector").get(PAGE).content.decode()
    position = text[text.index('data-testid="position"') :]
    steps = position[: position.index("</table>")]
    assert re.search(r"\d\.\d{3,}", steps) is None, steps
    assert "877000 + 0 − 960000.02" in steps and '<td class="num">-83,000.02</td>' in steps
    assert "300MW等级以上常规燃煤机组" in text and "coal_300mw_plus" not in text
