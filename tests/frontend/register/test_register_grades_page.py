"""The bureau's register page shows every register enterprise's 碳效码 with its label and colour, the grade
distribution over all of them, filters in the URL, and each enterprise's grade history, within its jurisdiction."""

from decimal import Decimal

import pytest

from steward.register import demo, importer
from steward.register.grading import regrade
from steward.register.models import FeedBatch, RegisteredEnterprise
from tenants.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(db):
    """Two enterprises of one industry in 吴兴区 and 长兴县: 吴兴 L 0.5306 (K 0.6667, grade 2), 长兴 L 1.0612
    (K 1.3333, grade 4); the industry average is 1,591.8 ÷ 2,000 = 0.7959."""
    demo.load_register(14)
    generated = RegisteredEnterprise.objects.filter(enterprise__isnull=True).order_by("id")
    wuxing = generated.filter(jurisdiction_id="330502").first()
    changxing = generated.filter(jurisdiction_id="330522", industry_id=wuxing.industry_id).first()
    user = User.objects.get(username="platform")
    rows = [
        [wuxing.credit_code, 2025, 1, "电力", "1000000", "kWh"],
        [changxing.credit_code, 2025, 1, "电力", "2000000", "kWh"],
    ]
    importer.import_feed(
        name="grid.csv",
        data=demo.feed_bytes(demo.ENERGY_HEADER, rows),
        kind="grid_electricity",
        year=2025,
        source="国网湖州供电公司",
        by=user,
    )
    stats = [[wuxing.credit_code, 2025, 1, "4000", "1000"], [changxing.credit_code, 2025, 1, "4000", "1000"]]
    importer.import_feed(
        name="stats.csv",
        data=demo.feed_bytes(demo.OUTPUT_HEADER, stats),
        kind="statistics_output",
        year=2025,
        source="湖州市统计局",
        by=user,
    )
    regrade(2025)
    return wuxing, changxing


def test_the_city_bureau_sees_each_grade_with_its_label_colour_and_the_distribution(user_client, graded):
    wuxing, changxing = graded
    response = user_client("city.viewer").get("/bureau/register/?year=2025")
    page = response.content.decode()
    assert f'data-testid="register-grade-{wuxing.pk}"' in page
    assert "2级 · 浅绿" in page and "4级 · 橙" in page
    assert (
        'data-testid="register-grade-count-2">1<' in page
        and 'data-testid="register-grade-count-4">1<' in page
    )
    chart = response.context["charts"]["grades"]
    assert chart["data"] == [0, 1, 0, 1, 0]
    assert chart["colours"] == ["#166534", "#4ade80", "#facc15", "#fb923c", "#dc2626"]
    ungraded = {row.status: row.enterprises for row in response.context["ungraded"]}
    assert ungraded["no_energy"] == RegisteredEnterprise.objects.count() - 2


def test_filters_by_grade_industry_and_district_live_in_the_url(user_client, graded):
    wuxing, changxing = graded
    client = user_client("city.viewer")
    page = client.get("/bureau/register/?year=2025&grade=4").content.decode()
    assert changxing.name in page and wuxing.name not in page
    page = client.get(
        f"/bureau/register/?year=2025&district=330502&industry={wuxing.industry_id}"
    ).content.decode()
    assert wuxing.name in page and changxing.name not in page
    assert 'data-testid="register-grade-count-4"' not in page  # the distribution follows the filters


def test_a_district_bureau_sees_only_its_districts_grades(user_client, graded):
    wuxing, changxing = graded
    client = user_client("wuxing.viewer")
    response = client.get("/bureau/register/?year=2025")
    page = response.content.decode()
    assert wuxing.name in page and changxing.name not in page
    assert [row.grade for row in response.context["distribution"]] == [2]
    assert client.get(f"/bureau/register/{wuxing.pk}/").status_code == 200
    assert client.get(f"/bureau/register/{changxing.pk}/").status_code == 404
    assert user_client("changxing.inspector").get(f"/bureau/register/{changxing.pk}/").status_code == 200
    assert user_client("power.filer").get(f"/bureau/register/{wuxing.pk}/").status_code == 403


def test_the_detail_page_shows_the_grade_history_of_every_run(user_client, graded):
    wuxing, _changxing = graded
    second = regrade(2025)
    page = user_client("city.viewer").get(f"/bureau/register/{wuxing.pk}/").content.decode()
    assert 'data-testid="entry-grade-2025"' in page
    assert page.count('data-testid="history-run-') == 2 and f'data-testid="history-run-{second.pk}"' in page
    assert "0.6667" in page and "0.5306" in page and "0.7959" in page


def test_a_workspace_enterprise_shows_its_own_grade_beside_the_registers(user_client, graded):
    from steward.oversight.models import Metric
    from tenants.models import Enterprise

    power = Enterprise.objects.get(slug="cx-power")
    user = User.objects.get(username="platform")
    importer.import_feed(
        name="grid-power.csv",
        data=demo.feed_bytes(demo.ENERGY_HEADER, [[power.credit_code, 2025, 1, "电力", "1000000", "kWh"]]),
        kind="grid_electricity",
        year=2025,
        source="国网湖州供电公司",
        by=user,
    )
    importer.import_feed(
        name="stats-power.csv",
        data=demo.feed_bytes(demo.OUTPUT_HEADER, [[power.credit_code, 2025, 1, "4000", "1000"]]),
        kind="statistics_output",
        year=2025,
        source="湖州市统计局",
        by=user,
    )
    regrade(2025)
    Metric.objects.update_or_create(
        enterprise=power,
        key="carbon_efficiency_grade",
        year=2025,
        month=0,
        defaults={
            "jurisdiction_id": power.jurisdiction_id,
            "industry_id": power.industry_id,
            "domain": "compliance",
            "label": "4",
        },
    )
    entry = power.register_entry
    page = user_client("city.viewer").get(f"/bureau/register/{entry.pk}/").content.decode()
    assert 'data-testid="entry-grade-2025"' in page  # alone in its industry: K = 1, grade 3
    assert "3级（接近行业平均）" in page
    own = page.split('data-testid="entry-own-grade-2025"')[1][:200]
    assert "grade-4" in own


def test_the_page_sums_the_year_from_the_run_and_says_when_a_regrade_is_pending(user_client, graded):
    """速算 by district comes from the newest run's rows, never from a pass over the energy rows: a batch
    landing after the run leaves the run's figures on the page with a note that a regrade is queued, until the
    regrade (`register.regrade_stale`, every 5 minutes) has read it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wuxing, _changxing = graded
    client = user_client("city.viewer")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bureau/register/?year=2025")
    district = {row.code: row for row in response.context["by_district"]}["330502"]
    assert district.tco2 == Decimal("530.6") and district.value_added == 1000
    energy_reads = [q["sql"] for q in queries if "register_energyrecord" in q["sql"]]
    assert all("enterprise_id IS NOT NULL" in sql for sql in energy_reads)  # only the sealed comparison
    importer.import_feed(
        name="grid-feb.csv",
        data=demo.feed_bytes(demo.ENERGY_HEADER, [[wuxing.credit_code, 2025, 2, "电力", "1000000", "kWh"]]),
        kind="grid_electricity",
        year=2025,
        source="国网湖州供电公司",
        by=User.objects.get(username="platform"),
    )
    assert 'data-testid="regrade-pending"' not in response.content.decode()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bureau/register/?year=2025")
    energy_reads = [q["sql"] for q in queries if "register_energyrecord" in q["sql"]]
    assert all("enterprise_id IS NOT NULL" in sql for sql in energy_reads)
    district = {row.code: row for row in response.context["by_district"]}["330502"]
    assert district.tco2 == Decimal("530.6")  # the run's figure, said to be so
    page = response.content.decode()
    note = page.split('data-testid="regrade-pending"')[1].split("</div>")[0]
    newest = FeedBatch.objects.order_by("-pk").first()
    assert f"有 1 个新数据批次尚未计入碳效评价：#{newest.pk}" in note
    assert f"仍为评价批次 #{response.context['run'].pk} 的结果" in note and "重新评价已排队" in note

    from steward.register.tasks import regrade_stale

    assert regrade_stale() == [2025]
    assert regrade_stale() == []  # the year is current now: nothing graded again
    response = client.get("/bureau/register/?year=2025")
    district = {row.code: row for row in response.context["by_district"]}["330502"]
    assert district.tco2 == Decimal("1061.2")
    assert 'data-testid="regrade-pending"' not in response.content.decode()


def test_a_run_on_an_older_factor_library_is_said_to_be_pending(user_client, graded):
    from steward.factors.source import FactorSnapshot

    current = FactorSnapshot.current()
    older = FactorSnapshot("2024-old", [("cn_guidelines", f) for f in current._fuels.values()], current._grid)
    regrade(2025, factors=older)
    page = user_client("city.viewer").get("/bureau/register/?year=2025").content.decode()
    note = page.split('data-testid="regrade-pending"')[1].split("</div>")[0]
    assert f"因子库已更新为 {current.version}，尚未据此重新评价" in note and "重新评价已排队" in note
    assert "新数据批次" not in note


def test_the_register_map_shades_every_district_by_its_quick_estimate_and_grades(user_client, graded):
    """The map on the register page covers every register enterprise, workspace or not: each district's 速算 is
    the district table's figure, its grade the mean of its enterprises' grades; a click filters by district."""
    wuxing, changxing = graded
    client = user_client("city.viewer")
    response = client.get("/bureau/register/?year=2025")
    assert 'data-testid="register-map-card"' in response.content.decode()
    chart = response.context["charts"]["map"]
    assert list(chart["measures"]) == ["tco2", "grade"]  # the register has no deadlines to be on time for
    assert chart["measures"]["tco2"]["label"] == "速算排放量"
    table = {row.code: float(row.tco2) for row in response.context["by_district"]}
    assert chart["measures"]["tco2"]["values"] == {
        code: tco2 for code, tco2 in table.items() if tco2 is not None
    }
    grades = chart["measures"]["grade"]
    assert grades["values"]["330502"] == 2.0 and grades["values"]["330522"] == 4.0
    assert grades["texts"]["330502"] == "平均 2.0 级（1 家）"
    assert set(chart["clickable"]) >= {"330502", "330522"} and chart["selected"] == ""
    selected = client.get("/bureau/register/?year=2025&district=330502").context["charts"]["map"]
    assert selected["selected"] == "330502" and set(selected["measures"]["grade"]["values"]) == {"330502"}
    # a district bureau's map offers only its own district to click
    own = user_client("wuxing.viewer").get("/bureau/register/?year=2025").context["charts"]["map"]
    assert own["clickable"] == ["330502"] and "330522" not in own["measures"]["grade"]["values"]
