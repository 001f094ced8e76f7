"""碳效码 for every register enterprise: hand-computed grades, the industry average from the register itself,
SQL and Python bands agreeing, append-only history recomputed when a feed lands."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from steward.compliance.grading import band_for, grade_enterprise
from steward.compliance.selectors import grading_bands
from steward.register import demo, importer, selectors
from steward.register.grading import regrade, sql_band_labels
from steward.register.models import FeedBatch, GradingRun, RegisteredEnterprise, RegisterGrade

pytestmark = pytest.mark.django_db

GRID_2025 = Decimal("0.5306")  # tCO2/MWh the `general` rule selects for 2025 (test_figures.py)


def electricity(rows, user, name="grid.csv"):
    data = demo.feed_bytes(demo.ENERGY_HEADER, rows)
    return importer.import_feed(
        name=name, data=data, kind="grid_electricity", year=2025, source="国网湖州供电公司", by=user
    )[0]


def statistics(rows, user, name="stats.csv"):
    data = demo.feed_bytes(demo.OUTPUT_HEADER, rows)
    return importer.import_feed(
        name=name, data=data, kind="statistics_output", year=2025, source="湖州市统计局", by=user
    )[0]


@pytest.fixture
def trio(register, importer_user):
    """Three enterprises of one industry (and nothing fed for anyone else):
    A 1,000 MWh and 1,000 万元 → L 0.5306; B 2,000 MWh and 1,000 万元 → L 1.0612; C 1,000 MWh and 265.3 万元 →
    L 2.0 exactly. Industry L = 2,122.4 ÷ 2,265.3 = 0.93691…; K: A 0.5663 (grade 1), B 1.1327 (3), C 2.1347 (5)."""
    industry = register[0].industry_id
    a, b, c = [e for e in register if e.industry_id == industry and e.enterprise_id is None][:3]
    electricity(
        [
            [a.credit_code, 2025, 1, "电力", "1000000", "kWh"],
            [b.credit_code, 2025, 1, "电力", "2000000", "kWh"],
            [c.credit_code, 2025, 1, "电力", "1000000", "kWh"],
        ],
        importer_user,
    )
    statistics(
        [
            [a.credit_code, 2025, 1, "4000", "1000"],
            [b.credit_code, 2025, 1, "4000", "1000"],
            [c.credit_code, 2025, 1, "1000", "265.3"],
        ],
        importer_user,
    )
    return a, b, c


def test_grades_match_the_hand_computed_cases(trio):
    a, b, c = trio
    run = regrade(2025)
    assert run.enterprises == RegisteredEnterprise.objects.count() and run.graded == 3
    grades = selectors.latest_grades([a.pk, b.pk, c.pk], year=2025)
    average = (3 * 1000 * GRID_2025 + 1000 * GRID_2025) / Decimal("2265.3")
    assert grades[a.pk].industry_average_l == average.quantize(Decimal("1E-12"))
    assert grades[a.pk].emissions_t == Decimal("530.6000") and grades[a.pk].l_value == Decimal(
        "0.530600000000"
    )
    assert [grades[e.pk].grade for e in trio] == [1, 3, 5]
    assert grades[c.pk].l_value == 2  # on the 中碳 band's inclusive upper bound
    assert [grades[e.pk].level_label for e in trio] == [
        "低碳 low-carbon",
        "中碳 medium-carbon",
        "中碳 medium-carbon",
    ]
    assert abs(grades[b.pk].k_value - Decimal("1.1327")) < Decimal("0.0001")
    assert grades[c.pk].colour == "red" and grades[c.pk].colour_hex == "#dc2626"
    grid, stats = (FeedBatch.objects.get(kind=kind).pk for kind in ("grid_electricity", "statistics_output"))
    assert grades[a.pk].months == 1
    assert (grades[a.pk].energy_batch_ids, grades[a.pk].output_batch_ids) == ((grid,), (stats,))
    others = RegisterGrade.objects.filter(run=run).exclude(registered__in=trio)
    assert set(others.values_list("status", flat=True)) == {"no_energy"}
    assert not others.exclude(grade=None).exists()


def test_sql_grades_agree_with_the_python_grading(trio):
    run = regrade(2025)
    levels, grades = grading_bands()
    for row in RegisterGrade.objects.filter(run=run, status="graded"):
        python = grade_enterprise(
            emissions_t=row.emissions_t,
            zero_carbon_t=Decimal(0),
            value_added_10k=row.value_added_10k,
            industry_average_l=row.industry_average_l,
            levels=levels,
            grades=grades,
        )
        assert (python.grade.grade, python.level.label) == (row.grade, row.level_label)


def test_sql_bands_agree_with_band_for_on_every_boundary():
    levels, grades = grading_bands()
    for bands in (levels, grades):
        edges = {
            edge
            for band in bands
            for edge in (band.lower_exclusive, band.upper_inclusive)
            if edge is not None
        }
        values = [Decimal(0), Decimal("0.000000000001"), Decimal("1000")]
        for edge in sorted(edges):
            values += [edge - Decimal("1E-12"), edge, edge + Decimal("1E-12")]
        assert sql_band_labels(values, bands) == [band_for(value, bands).label for value in values]


def test_an_enterprise_without_value_added_keeps_a_row_saying_why(register, importer_user):
    entry = register[0]
    electricity([[entry.credit_code, 2025, 1, "电力", "1000000", "kWh"]], importer_user)
    run = regrade(2025)
    row = RegisterGrade.objects.get(run=run, registered=entry)
    assert (row.status, row.grade, row.emissions_t) == ("no_value_added", None, None)
    assert selectors.latest_grades([entry.pk]) == {}
    assert selectors.latest_grades([entry.pk], graded_only=False)[entry.pk].status == "no_value_added"


def test_a_new_batch_adds_a_run_and_keeps_the_old_grades(trio, importer_user):
    a, b, c = trio
    first = regrade(2025)
    # The statistics bureau corrects C's value added: 265.3 → 2,653 万元 (L 0.2), a new batch
    statistics([[c.credit_code, 2025, 1, "10000", "2653"]], importer_user, name="stats-corrected.csv")
    second = regrade(2025)
    history = selectors.grade_history(c)
    assert [(row.run_id, row.grade) for row in history] == [(second.pk, 1), (first.pk, 5)]
    assert history[0].output_batch_ids != history[1].output_batch_ids
    assert len(second.batch_ids) == len(first.batch_ids) + 1
    assert selectors.latest_grades([c.pk])[c.pk].run_id == second.pk
    assert RegisterGrade.objects.filter(registered=c).count() == 2


def test_grades_and_runs_are_append_only(trio):
    run = regrade(2025)
    for sql in ("UPDATE register_registergrade SET grade = 1", "DELETE FROM register_gradingrun"):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert GradingRun.objects.filter(pk=run.pk).exists()


def test_a_feed_landing_regrades_its_year_after_the_commit(
    register, importer_user, django_capture_on_commit_callbacks
):
    entry = register[0]
    with django_capture_on_commit_callbacks(execute=True):
        batch = statistics([[entry.credit_code, 2025, 1, "400", "100"]], importer_user)
    with django_capture_on_commit_callbacks(execute=True):
        electricity([[entry.credit_code, 2025, 1, "电力", "100000", "kWh"]], importer_user)
    runs = list(GradingRun.objects.filter(year=2025).order_by("pk"))
    assert [run.trigger_id for run in runs][0] == batch.pk and len(runs) == 2
    assert selectors.latest_grades([entry.pk])[entry.pk].grade == 3  # alone in its industry: K = 1


def test_a_corrected_energy_file_replaces_only_the_rows_it_brings(trio, importer_user):
    """A's January electricity corrected to 3,000 MWh by a second grid file: A is summed again from the newest
    row (the first file's row for A no longer counts, nor its batch); B and C keep the first file's figures."""
    a, b, c = trio
    first = FeedBatch.objects.get(kind="grid_electricity")
    corrected = electricity(
        [[a.credit_code, 2025, 1, "电力", "3000000", "kWh"]], importer_user, name="grid-corrected.csv"
    )
    grades = selectors.latest_grades([a.pk, b.pk, c.pk], year=regrade(2025).year)
    assert grades[a.pk].emissions_t == 3000 * GRID_2025
    assert grades[a.pk].energy_batch_ids == (corrected.pk,)
    assert (grades[b.pk].emissions_t, grades[c.pk].emissions_t) == (2000 * GRID_2025, 1000 * GRID_2025)
    assert grades[b.pk].energy_batch_ids == grades[c.pk].energy_batch_ids == (first.pk,)
    average = (6000 * GRID_2025) / Decimal("2265.3")
    assert grades[a.pk].industry_average_l == average.quantize(Decimal("1E-12"))


def test_a_month_without_value_added_is_left_out_of_the_emissions(trio, importer_user):
    """B's February electricity has no value added yet: B stays graded on January alone (1 month), and the
    February batch is still named among its energy batches; the other carrier of another file adds to A."""
    a, b, _c = trio
    february = electricity(
        [[b.credit_code, 2025, 2, "电力", "5000000", "kWh"]], importer_user, name="grid-february.csv"
    )
    gas = importer.import_feed(
        name="gas.csv",
        data=demo.feed_bytes(demo.ENERGY_HEADER, [[a.credit_code, 2025, 1, "天然气", "0", "m3"]]),
        kind="gas",
        year=2025,
        source="湖州燃气",
        by=importer_user,
    )[0]
    grades = selectors.latest_grades([a.pk, b.pk], year=regrade(2025).year)
    assert (grades[b.pk].emissions_t, grades[b.pk].months) == (2000 * GRID_2025, 1)
    assert february.pk in grades[b.pk].energy_batch_ids and len(grades[b.pk].energy_batch_ids) == 2
    assert grades[a.pk].emissions_t == 1000 * GRID_2025 and gas.pk in grades[a.pk].energy_batch_ids
