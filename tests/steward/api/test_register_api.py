"""The bureau's register API: its jurisdiction's register enterprises with their 碳效码, filtered and paged, and
one enterprise's grade history; bureau users only, each within its districts; constant queries per page."""

from decimal import Decimal

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.register import demo, importer
from steward.register.grading import regrade
from steward.register.models import RegisteredEnterprise
from tenants.models import User

pytestmark = pytest.mark.django_db
LIST = "/api/v1/register/enterprises/"


def _feed(kind, header, rows, name, source="测试"):
    importer.import_feed(
        name=name,
        data=demo.feed_bytes(header, rows),
        kind=kind,
        year=2025,
        source=source,
        by=User.objects.get(username="platform"),
    )


@pytest.fixture
def graded(db):
    """One industry's enterprise in 吴兴区 (L 0.5306, K 0.6667: grade 2) and one in 长兴县 (L 1.0612, K 1.3333:
    grade 4); every other register enterprise is listed without a grade (no energy)."""
    demo.load_register(14)
    generated = RegisteredEnterprise.objects.filter(enterprise__isnull=True).order_by("id")
    wuxing = generated.filter(jurisdiction_id="330502").first()
    changxing = generated.filter(jurisdiction_id="330522", industry_id=wuxing.industry_id).first()
    _feed(
        "grid_electricity",
        demo.ENERGY_HEADER,
        [
            [wuxing.credit_code, 2025, 1, "电力", "1000000", "kWh"],
            [changxing.credit_code, 2025, 1, "电力", "2000000", "kWh"],
        ],
        "grid.csv",
    )
    _feed(
        "statistics_output",
        demo.OUTPUT_HEADER,
        [[wuxing.credit_code, 2025, 1, "4000", "1000"], [changxing.credit_code, 2025, 1, "4000", "1000"]],
        "stats.csv",
    )
    regrade(2025)
    return wuxing, changxing


def _get(client, username, url, **params):
    client.force_login(User.objects.get(username=username))
    return client.get(url, params)


def test_the_city_bureau_lists_every_register_enterprise_with_its_grade_and_chinese_labels(client, graded):
    wuxing, changxing = graded
    response = _get(client, "city.viewer", LIST, limit=500)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == RegisteredEnterprise.objects.count() == len(body["results"])
    rows = {row["id"]: row for row in body["results"]}
    grade = rows[wuxing.pk]["grade"]
    assert (grade["year"], grade["grade"], grade["grade_name"], grade["status_label"]) == (
        2025,
        2,
        "2级",
        "已评价",
    )
    assert (grade["colour"], grade["colour_hex"], grade["level_label"]) == (
        "light green",
        "#4ade80",
        "低碳 low-carbon",
    )
    assert Decimal(grade["l_value"]) == Decimal("0.5306") and Decimal(grade["emissions_t"]) == Decimal(
        "530.6"
    )
    assert rows[changxing.pk]["grade"]["grade"] == 4
    assert rows[wuxing.pk]["district"] == {"code": "330502", "name": "吴兴区"}
    others = [row["grade"] for pk, row in rows.items() if pk not in {wuxing.pk, changxing.pk}]
    assert {(g["status"], g["status_label"], g["grade"], g["grade_name"]) for g in others} == {
        ("no_energy", "无能源消费数据", None, "")
    }


def test_a_district_bureau_reads_only_its_district(client, graded):
    wuxing, changxing = graded
    body = _get(client, "wuxing.viewer", LIST, limit=500).json()
    assert {row["district"]["code"] for row in body["results"]} == {"330502"}
    assert body["count"] == RegisteredEnterprise.objects.filter(jurisdiction_id="330502").count()
    refused = _get(client, "wuxing.viewer", LIST, district="330522")
    assert refused.status_code == 400 and refused.json()["district"][0]["code"] == "invalid"
    history = f"{LIST}{changxing.pk}/grades/"
    assert _get(client, "wuxing.viewer", history).status_code == 404
    assert _get(client, "changxing.inspector", history).status_code == 200


def test_filters_by_district_industry_grade_and_year(client, graded):
    wuxing, changxing = graded
    by_grade = _get(client, "city.viewer", LIST, grade="4").json()
    assert [row["id"] for row in by_grade["results"]] == [changxing.pk]
    by_district = _get(client, "city.viewer", LIST, district="330502", industry=wuxing.industry_id).json()
    assert wuxing.pk in {row["id"] for row in by_district["results"]}
    assert {row["industry"]["code"] for row in by_district["results"]} == {wuxing.industry_id}
    ungraded = _get(client, "city.viewer", LIST, grade="none", limit=500).json()
    assert ungraded["count"] == RegisteredEnterprise.objects.count() - 2
    earlier = _get(client, "city.viewer", LIST, year=2019).json()  # a year never graded: no grades
    assert earlier["count"] and all(row["grade"] is None for row in earlier["results"])
    assert _get(client, "city.viewer", LIST, grade="6").status_code == 400
    assert _get(client, "city.viewer", LIST, year="20x5").status_code == 400


def test_an_enterprise_grade_history_lists_every_run_newest_first(client, graded):
    wuxing, _changxing = graded
    first = regrade(2025)
    body = _get(client, "city.viewer", f"{LIST}{wuxing.pk}/grades/").json()
    assert body["enterprise"]["credit_code"] == wuxing.credit_code
    assert body["enterprise"]["grade"]["run"] == first.pk
    runs = [row["run"] for row in body["history"]]
    assert len(runs) == 2 and runs == sorted(runs, reverse=True) and runs[0] == first.pk
    assert {row["grade_name"] for row in body["history"]} == {"2级"}
    assert _get(client, "city.viewer", f"{LIST}999999999/grades/").status_code == 404


@pytest.mark.parametrize(
    "username", ["power.filer", "power.admin", "greencarbon.reviewer", "platform", "huzhou.bank"]
)
def test_anyone_but_a_bureau_is_refused(client, graded, username):
    wuxing, _changxing = graded
    assert _get(client, username, LIST).status_code == 403
    assert _get(client, username, f"{LIST}{wuxing.pk}/grades/").status_code == 403


def test_anonymous_is_refused(client, graded):
    assert client.get(LIST).status_code in {401, 403}


def test_a_page_costs_the_same_queries_for_one_row_as_for_many(client, graded):
    client.force_login(User.objects.get(username="city.viewer"))
    counts = {}
    for limit in (1, 500):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST, {"limit": limit})
        counts[limit] = (len(response.json()["results"]), len(captured))
    assert counts[1][0] == 1 and counts[500][0] >= 20
    assert counts[1][1] == counts[500][1], counts


def test_the_schema_describes_the_register_api(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    listing = schema["paths"][LIST]["get"]
    assert {"year", "district", "industry", "grade", "limit", "offset"} <= {
        p["name"] for p in listing["parameters"]
    }
    assert "/api/v1/register/enterprises/{registered_id}/grades/" in schema["paths"]
    grade = schema["components"]["schemas"]["RegisterGrade"]["properties"]
    assert {"grade", "grade_name", "status_label", "l_value", "k_value"} <= set(grade)


PARAM = st.one_of(
    st.none(),
    st.sampled_from(["2025", "2019", "0", "99999999", "330502", "330522", "none", "3", "C26", "-1"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12),
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(year=PARAM, district=PARAM, industry=PARAM, grade=PARAM, limit=PARAM, offset=PARAM)
def test_any_query_is_answered_or_refused_never_a_server_error(
    client, graded, year, district, industry, grade, limit, offset
):
    params = {"year": year, "district": district, "industry": industry, "grade": grade}
    params |= {"limit": limit, "offset": offset}
    response = _get(client, "wuxing.viewer", LIST, **{k: v for k, v in params.items() if v is not None})
    assert response.status_code in {200, 400}, response.content
    if response.status_code == 200:
        assert {row["district"]["code"] for row in response.json()["results"]} <= {"330502"}
