"""Issue 17: the bureau dashboard's district map (a schematic): shading by emissions, on-time rate or grade,
the same figures in the table beside it, formatted as people read them; the geometry is our own and says so."""

from __future__ import annotations

import csv
import datetime
import importlib.util
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from steward.formatting import percent
from steward.oversight.dashboard import Filters, build_dashboard
from steward.oversight.district_map import district_grades, district_rows
from steward.oversight.scope import bureau_codes
from tenants.models import User

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
YEAR = 2023  # a year the demo world leaves empty
TODAY = datetime.date(2024, 6, 1)  # every 2023 deadline has passed


def load_generator():
    spec = importlib.util.spec_from_file_location("schematic_map", ROOT / "deploy" / "schematic_map.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def city() -> set[str]:
    return bureau_codes(User.objects.get(username="city.viewer"))


@pytest.fixture
def city_year(make_fact, make_metric):
    """March 2023: the power plant (长兴) locked on time, 52,000 t; the cement plant (吴兴) 30,000 t, late.
    Grades: power 4, cement 2, the dyeing mill (南浔, no filing) 1."""
    make_fact("cx-power", YEAR, 3, total_tco2=Decimal("52000"), deadline=datetime.date(YEAR, 5, 10))
    make_fact(
        "wx-cement",
        YEAR,
        3,
        total_tco2=Decimal("30000"),
        deadline=datetime.date(YEAR, 5, 10),
        submitted_late=True,
    )
    for slug, grade in (("cx-power", "4"), ("wx-cement", "2"), ("nx-dyeing", "1")):
        make_metric(slug, "carbon_efficiency_grade", "compliance", YEAR, label=grade)


def test_grades_per_district_are_the_mean_of_the_graded_enterprises(city_year, make_metric):
    make_metric("nth-paper", "carbon_efficiency_grade", "compliance", YEAR, label="3")
    grades = district_grades(city(), Filters(year=YEAR))
    assert grades["330522"].mean == Decimal("4.0") and grades["330522"].enterprises == 1
    assert grades["330503"].mean == Decimal("1.0")
    assert grades["NTH"].mean_text == "3.0"
    # the district filter narrows the grades as it narrows the facts
    assert set(district_grades(city(), Filters(year=YEAR, district="330502"))) == {"330502"}
    # a district bureau sees its own district only
    wuxing = bureau_codes(User.objects.get(username="wuxing.viewer"))
    assert set(district_grades(wuxing, Filters(year=YEAR))) == {"330502"}


def test_a_graded_district_without_filings_is_still_a_row(city_year):
    board = build_dashboard(city(), Filters(year=YEAR), today=TODAY)
    rows = {
        row["jurisdiction_id"]: row
        for row in district_rows(board, district_grades(city(), Filters(year=YEAR)))
    }
    assert rows["330503"]["jurisdiction__name_zh"] == "南浔区" and rows["330503"]["tco2"] is None
    assert rows["330522"]["tco2"] == Decimal("52000") and rows["330522"]["grades"].mean == Decimal("4.0")


def test_the_page_hands_the_map_its_shading_and_the_tooltips_formatted_texts(city_year, user_client, clock):
    clock("2024-06-01T10:00")
    page = user_client("city.viewer").get(f"/bureau/?year={YEAR}").content.decode()
    charts = json.loads(
        re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', page).group(1)
    )
    shown = charts["map"]
    assert shown["geojson"].endswith("frontend/maps/huzhou-schematic.geojson")
    assert shown["measures"]["tco2"]["texts"] == {"330502": "3.00 万吨", "330522": "5.20 万吨"}
    # the on-time rate per district as the table has it (months never opened are due too)
    board = build_dashboard(city(), Filters(year=YEAR), today=TODAY)
    for row in board.by_district:
        expected = f"{percent(row['on_time_rate'])} ({row['due_on_time']}/{row['due']})"
        assert shown["measures"]["on_time"]["texts"][row["jurisdiction_id"]] == expected
    assert shown["measures"]["on_time"]["texts"]["330502"].startswith("0.0% (0/")
    assert shown["measures"]["on_time"]["texts"]["330522"] == "8.3% (1/12)"
    assert shown["measures"]["grade"]["texts"]["330503"] == "平均 1.0 级（1 家）"
    assert shown["measures"]["grade"]["range"] == [1, 5]
    assert shown["selected"] == "" and "330502" in shown["clickable"]
    # the table beside the map says the same, and the map says it is a schematic
    assert 'data-testid="district-grade-330522">平均 4.0 级（1 家）' in page
    assert 'data-testid="district-tco2-330522">5.20 万吨' in page
    assert "示意图，非标准地图" in page
    assert [label for label in re.findall(r'for="map-measure-(\w+)"', page)] == ["tco2", "on_time", "grade"]


def test_a_district_filter_marks_its_tile_and_narrows_the_shading(city_year, user_client, clock):
    clock("2024-06-01T10:00")
    page = user_client("city.viewer").get(f"/bureau/?year={YEAR}&district=330502").content.decode()
    charts = json.loads(
        re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', page).group(1)
    )
    assert charts["map"]["selected"] == "330502"
    assert charts["map"]["measures"]["tco2"]["texts"] == {"330502": "3.00 万吨"}


def test_the_wall_shows_the_map_and_rotates_its_measures(city_year, user_client):
    page = user_client("city.viewer").get(f"/bureau/wall/?year={YEAR}").content.decode()
    assert (
        'data-chart="map"' in page
        and 'data-rotate="20"' in page
        and 'data-testid="wall-district-table"' in page
    )


def test_the_map_reads_in_english(user_client, settings):
    client = user_client("city.viewer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/bureau/").content.decode()
    assert "Schematic, not a standard map" in page and "Map shading" in page


def test_the_schematic_is_what_its_script_writes_and_covers_every_county_level_unit():
    generator = load_generator()
    assert generator.check() == []
    geo = json.loads(
        (ROOT / "frontend/static/frontend/maps/huzhou-schematic.geojson").read_text(encoding="utf-8")
    )
    lines = (ROOT / "tenants/data/huzhou_jurisdictions.csv").read_text(encoding="utf-8").splitlines()
    tree = {row["code"]: row for row in csv.DictReader(line for line in lines if not line.startswith("#"))}
    drawn = {feature["properties"]["code"]: feature["properties"]["name"] for feature in geo["features"]}
    children = {code for code, row in tree.items() if row["parent_code"] == "330500"}
    assert set(drawn) == children  # 吴兴 南浔 德清 长兴 安吉 and the two functional zones
    assert all(drawn[code] == tree[code]["name_zh"] for code in drawn)
    assert "示意图" in geo["title"] and geo["license"] == "AGPL-3.0-or-later"
    assert (ROOT / "frontend/static/frontend/maps/huzhou-schematic.geojson").stat().st_size < 5000
    assert "Source and licence" in (ROOT / "frontend/static/frontend/maps/SOURCE.md").read_text(
        encoding="utf-8"
    )
