"""碳效码 for every register enterprise (DB33/T 1347-2023 grading, DOMAIN.md §5), computed set-wise.

For one year, over the register and its feeds:

    emissions   = 速算 CO2 of the enterprise's month (the newest batch's row per month and carrier × the
                  carrier's factor of the year, steward.register.quick), summed over the *paired* months: those
                  with both an energy row and a value added row from the statistics feed;
    value added = Σ 工业增加值 (万元) of the same months (statistics_output feed);
    L           = emissions ÷ value added (tCO2 per 万元; the feeds carry no own zero-carbon generation, so
                  nothing is deducted);
    industry L  = Σ emissions ÷ Σ value added of the register's enterprises of the same industry (GB/T 4754
                  class) and year that have both (every district: the city's benchmark, not the bureau's);
    K           = L ÷ industry L; level = the band of L, grade = the band of K.

How (50,000 enterprises, 3.6 M energy rows, in a few seconds): one pass over the year's energy rows sums them
per enterprise and batch, with a bit per carrier and month present (`CELLS_SQL`: hashed, no sort, no join per
row; each carrier's factor is a CASE over the year's factors). An enterprise two of whose batches may bring the
same carrier in the same month (a corrected file) is summed again from the newest batch's row of each month and
carrier (`CELLS_AGAIN_SQL`, DISTINCT ON over that enterprise's rows only); everyone else's batches share no
(carrier, month), so their sums are already the newest rows'. Months with energy but no value added have their
CO2 taken out (`UNPAIRED_TCO2_SQL`, those months' rows only). Then one statement over those sums, the statistics
feed and the register (`GRADE_SQL`) pairs the months, averages per industry and applies the bands, and one
INSERT … SELECT writes the run's rows.

The bands are the grading table's (steward/factors/data/carbon_efficiency_grading_zj.csv, published as
`compliance_reference.GradingBand` rows and read with `steward.compliance.selectors.grading_bands`), passed to
SQL as a VALUES list and a CASE with the same rule as `steward.compliance.grading.Band.contains` ((lower
exclusive, upper inclusive], the first band that contains the value). `tests/steward/register/test_grades.py`
checks that SQL and `grade_enterprise` agree on every row and on every boundary.

The grading table defines no monthly or quarterly period (DOMAIN.md §5: the assessment period is annual, some
counties update quarterly, to verify), so grades are yearly; a year still open is graded on the months fed
so far (`months` on each row).

A run is append-only history (`GradingRun`, `RegisterGrade`): a recompute adds a run with a row per register
enterprise, whether graded or not (with its reason), and never edits an old one.
"""

from __future__ import annotations

import logging
import time
from decimal import Decimal

from django.db import connection, transaction

from steward.compliance.grading import Band
from steward.compliance.reference.models import ReferenceRelease
from steward.compliance.selectors import grading_bands
from steward.factors.source import FactorSnapshot, FactorSource
from steward.register.models import FeedBatch, GradingRun
from steward.register.quick import year_factors

logger = logging.getLogger("steward.register")


class GradingUnavailable(RuntimeError):
    """No published grading table (reference release) to grade against."""


def band_values(bands: list[Band], alias: str) -> tuple[str, list]:
    """The bands as a VALUES list `alias(position, label, lower_exclusive, upper_inclusive, grade, colour)`."""
    if not bands:
        return (
            f"(SELECT NULL::int, NULL::text, NULL::numeric, NULL::numeric, NULL::int, NULL::text WHERE false)"
            f" AS {alias}(position, label, lower_exclusive, upper_inclusive, grade, colour)"
        ), []
    rows = ", ".join(["(%s::int, %s::text, %s::numeric, %s::numeric, %s::int, %s::text)"] * len(bands))
    params = []
    for position, band in enumerate(bands):
        params += [position, band.label, band.lower_exclusive, band.upper_inclusive, band.grade, band.colour]
    return (
        f"(VALUES {rows}) AS {alias}(position, label, lower_exclusive, upper_inclusive, grade, colour)",
        params,
    )


def band_case(bands: list[Band], value: str) -> tuple[str, list]:
    """A CASE expression giving the position of the first band that contains `value` (NULL when none, or when
    `value` is NULL), with the rule of `Band.contains` / `band_for`: (lower exclusive, upper inclusive]."""
    if not bands:
        return "NULL::int", []
    whens, params = [], []
    for position, band in enumerate(bands):
        tests = []
        if band.lower_exclusive is not None:
            tests.append(f"{value} > %s::numeric")
            params.append(band.lower_exclusive)
        if band.upper_inclusive is not None:
            tests.append(f"{value} <= %s::numeric")
            params.append(band.upper_inclusive)
        whens.append(f"WHEN {' AND '.join(tests) or 'true'} THEN {position}")
    return f"CASE WHEN {value} IS NULL THEN NULL {' '.join(whens)} END", params


def band_join(bands: list[Band], alias: str, value: str) -> tuple[str, list]:
    """`LEFT JOIN` of the band (label, grade, colour) that contains `value`, as `Band.contains` / `band_for`
    pick it: the position is one CASE over the bands in order (evaluated once per row, no sort)."""
    case, case_params = band_case(bands, value)
    values, values_params = band_values(bands, alias)
    return f"LEFT JOIN {values} ON {alias}.position = ({case})", values_params + case_params


def sql_band_labels(values: list[Decimal], bands: list[Band]) -> list[str | None]:
    """The band label SQL picks for each value (the agreement test compares it with `band_for`)."""
    join, params = band_join(bands, "band", "v.value")
    rows = ", ".join(["(%s::int, %s::numeric)"] * len(values))
    value_params = [item for index, value in enumerate(values) for item in (index, value)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT band.label FROM (VALUES {rows}) AS v(position, value) {join} ORDER BY v.position",
            value_params + params,
        )
        return [label for (label,) in cursor.fetchall()]


def _carrier_cases(factors: FactorSource, year: int) -> tuple[str, list, str, list, list[str]]:
    """The carriers with a factor this year (rows of any other carrier are left out, as `quick_co2` cannot
    compute them), the CO2 of a row `e` (quantity × the carrier's factor, a CASE over them) and its carrier's bit."""
    found = year_factors(year, factors)
    codes = sorted(found)
    if len(codes) > 31:
        raise ValueError("a carrier's bit is one of an integer's 31")
    if not codes:
        return "NULL::numeric", [], "0", [], []
    tco2 = "e.quantity * CASE e.carrier " + " ".join(["WHEN %s THEN %s::numeric"] * len(codes)) + " END"
    tco2_params = [value for code in codes for value in (code, found[code].tco2_per_unit)]
    bit = "CASE e.carrier " + " ".join(f"WHEN %s THEN {1 << i}" for i in range(len(codes))) + " END"
    return tco2, tco2_params, bit, list(codes), codes


MONTHS = range(1, 13)

# One pass over the year's energy rows: per enterprise and batch, which carriers and months it brought (a bit
# each) and its CO2 over all those months. Hashed, nothing joined per row.
CELLS_SQL = """
CREATE TEMP TABLE {cells} ON COMMIT DROP AS
SELECT e.registered_id, e.batch_id, bit_or({bit}) AS carriers, bit_or(1 << (e.month - 1)) AS months,
       sum({tco2}) AS tco2
FROM register_energyrecord e
WHERE e.year = %s AND e.batch_id <= %s AND e.carrier = ANY(%s)
GROUP BY e.registered_id, e.batch_id
"""

# Enterprises whose batches may share a carrier and a month (a newer batch replaced some of an older one's
# rows): a carrier in two of its batches and a month in two of them. A superset of those that do, exact enough
# to choose whom to sum again, never to decide a figure; an enterprise's batches of different carriers (the
# grid's electricity, the gas company's gas) are not in it.
OVERLAP_SQL = """
SELECT registered_id FROM {cells}
GROUP BY registered_id
HAVING count(*) > 1
   AND sum(bit_count(carriers::bit(32))) > bit_count(bit_or(carriers)::bit(32))
   AND sum(bit_count(months::bit(32))) > bit_count(bit_or(months)::bit(32))
"""

# Those enterprises summed again from the newest batch's row of each month and carrier (their rows only).
CELLS_AGAIN_SQL = """
CREATE TEMP TABLE {cells_again} ON COMMIT DROP AS
SELECT e.registered_id, e.batch_id, bit_or({bit}) AS carriers, bit_or(1 << (e.month - 1)) AS months,
       sum({tco2}) AS tco2
FROM (
    SELECT DISTINCT ON (registered_id, month, carrier) registered_id, month, carrier, quantity, batch_id
    FROM register_energyrecord
    WHERE year = %s AND batch_id <= %s AND carrier = ANY(%s) AND registered_id = ANY(%s)
    ORDER BY registered_id, month, carrier, batch_id DESC
) AS e
GROUP BY e.registered_id, e.batch_id
"""

# The statistics feed's newest row of each enterprise and month (600 k rows at 50,000 enterprises).
OUTPUT_SQL = """
CREATE TEMP TABLE {output} ON COMMIT DROP AS
SELECT DISTINCT ON (registered_id, month) registered_id, month, value_added, batch_id
FROM register_outputrecord
WHERE year = %s AND batch_id <= %s AND value_added IS NOT NULL
ORDER BY registered_id, month, batch_id DESC
"""

# A table's rows with those of the enterprises summed again replaced.
CURRENT = """(SELECT * FROM {table} t0 WHERE NOT EXISTS (
    SELECT 1 FROM {again} a0 WHERE a0.registered_id = t0.registered_id) UNION ALL SELECT * FROM {again})"""

# Months with energy but no value added, of enterprises that have value added in some month: their CO2 is
# taken out of the sums (emissions and value added are over the same months). Usually none (both feeds cover
# the same months); an open year whose energy runs a month ahead has one per enterprise.
UNPAIRED_SQL = """
CREATE TEMP TABLE {unpaired} ON COMMIT DROP AS
SELECT energy.registered_id, energy.months & ~om.months AS months
FROM (SELECT registered_id, bit_or(months) AS months FROM {energy_cells} c GROUP BY registered_id) AS energy
JOIN (SELECT registered_id, bit_or(1 << (month - 1)) AS months FROM {output} GROUP BY registered_id) AS om
  ON om.registered_id = energy.registered_id
WHERE energy.months & ~om.months <> 0
"""

UNPAIRED_TCO2_SQL = """
CREATE TEMP TABLE {unpaired_tco2} ON COMMIT DROP AS
SELECT e.registered_id, sum({tco2}) AS tco2
FROM (
    SELECT DISTINCT ON (r.registered_id, r.month, r.carrier) r.registered_id, r.month, r.carrier, r.quantity
    FROM register_energyrecord r
    JOIN {unpaired} u ON u.registered_id = r.registered_id AND u.months & (1 << (r.month - 1)) <> 0
    WHERE r.year = %s AND r.batch_id <= %s AND r.carrier = ANY(%s)
    ORDER BY r.registered_id, r.month, r.carrier, r.batch_id DESC
) AS e
GROUP BY e.registered_id
"""

GRADE_SQL = """
CREATE TEMP TABLE {temp} ON COMMIT DROP AS
WITH energy AS (
    -- per enterprise: the months with energy, the CO2 of the paired months, the batches its figures came from
    SELECT c.registered_id, bit_or(c.months) AS months, sum(c.tco2) - coalesce(min(u.tco2), 0) AS tco2,
           sum(c.tco2) AS all_months_tco2, array_agg(c.batch_id::int ORDER BY c.batch_id) AS batch_ids
    FROM {energy_cells} c LEFT JOIN {unpaired_tco2} u ON u.registered_id = c.registered_id
    GROUP BY c.registered_id
), paired_batches AS (
    SELECT o.registered_id, o.batch_id, count(*) AS months, sum(o.value_added) AS value_added
    FROM {output} o
    JOIN energy ON energy.registered_id = o.registered_id AND energy.months & (1 << (o.month - 1)) <> 0
    GROUP BY o.registered_id, o.batch_id
), paired AS (
    -- per enterprise: the months with both, their value added, the statistics batches they came from
    SELECT registered_id, sum(months) AS months, sum(value_added) AS value_added,
           array_agg(batch_id::int ORDER BY batch_id) AS batch_ids
    FROM paired_batches GROUP BY registered_id
), output_year AS (
    SELECT registered_id, sum(value_added) AS value_added FROM {output} GROUP BY registered_id
), base AS (
    SELECT r.id AS registered_id, r.industry_id, r.jurisdiction_id, coalesce(p.months, 0) AS months, e.tco2, p.value_added,
           e.batch_ids AS energy_batch_ids, p.batch_ids AS output_batch_ids, e.all_months_tco2,
           CASE WHEN e.registered_id IS NOT NULL THEN y.value_added END AS all_months_value_added,
           CASE WHEN e.registered_id IS NULL THEN 'no_energy'
                WHEN p.value_added IS NULL OR p.value_added <= 0 THEN 'no_value_added'
                ELSE 'graded' END AS status
    FROM register_registeredenterprise r
    LEFT JOIN energy e ON e.registered_id = r.id
    LEFT JOIN paired p ON p.registered_id = r.id
    LEFT JOIN output_year y ON y.registered_id = r.id
), industry AS (
    SELECT industry_id, sum(tco2) / sum(value_added) AS average_l
    FROM base WHERE status = 'graded' GROUP BY industry_id
), scored AS MATERIALIZED (  -- L and K computed once per row, before the bands
    SELECT base.*, industry.average_l,
           CASE WHEN base.status = 'graded' THEN base.tco2 / base.value_added END AS l_value,
           CASE WHEN base.status = 'graded' AND industry.average_l > 0
                THEN (base.tco2 / base.value_added) / industry.average_l END AS k_value
    FROM base LEFT JOIN industry ON industry.industry_id = base.industry_id
)
SELECT scored.registered_id, scored.industry_id, scored.jurisdiction_id, scored.months,
       CASE WHEN scored.status = 'graded' AND scored.k_value IS NULL THEN 'no_industry_average'
            ELSE scored.status END AS status,
       CASE WHEN scored.status = 'graded' THEN scored.tco2 END AS tco2,
       CASE WHEN scored.status = 'graded' THEN scored.value_added END AS value_added,
       scored.l_value, CASE WHEN scored.status = 'graded' THEN scored.average_l END AS average_l,
       scored.k_value, level.label AS level_label, grade.grade, grade.label AS grade_label, grade.colour,
       scored.energy_batch_ids, scored.output_batch_ids, scored.all_months_tco2, scored.all_months_value_added
FROM scored
{level}
{grade}
"""

INSERT_SQL = """
INSERT INTO register_registergrade
    (run_id, registered_id, year, industry_id, jurisdiction_id, status, months, emissions_t, value_added_10k, l_value,
     industry_average_l, k_value, level_label, grade, grade_label, colour, energy_batch_ids, output_batch_ids,
     all_months_tco2, all_months_value_added_10k)
SELECT %s, t.registered_id, %s, t.industry_id, t.jurisdiction_id, t.status, t.months, round(t.tco2, 4), round(t.value_added, 4),
       round(t.l_value, 12), round(t.average_l, 12), round(t.k_value, 12), coalesce(t.level_label, ''), t.grade,
       coalesce(t.grade_label, ''), coalesce(t.colour, ''), coalesce(t.energy_batch_ids, '{{}}'),
       coalesce(t.output_batch_ids, '{{}}'), round(t.all_months_tco2, 8), t.all_months_value_added
FROM {temp} t
"""

# The run's rows counted and summed per district, industry and grade or status (`GradeTally`: what the register
# page reads), from the rows as stored, so the tally adds up to exactly what summing the rows gives.
TALLY_SQL = """
INSERT INTO register_gradetally
    (run_id, jurisdiction_id, industry_id, grade, status, enterprises, with_energy, tco2, value_added_10k)
SELECT run_id, jurisdiction_id, industry_id, grade, status, count(*), count(*) FILTER (WHERE status <> 'no_energy'),
       coalesce(sum(all_months_tco2) FILTER (WHERE status <> 'no_energy'), 0),
       sum(all_months_value_added_10k) FILTER (WHERE status <> 'no_energy')
FROM register_registergrade
WHERE run_id = %s
GROUP BY run_id, jurisdiction_id, industry_id, grade, status
"""

TABLES = {
    "cells": "register_grading_cells",
    "cells_again": "register_grading_cells_again",
    "output": "register_grading_output",
    "unpaired": "register_grading_unpaired",
    "unpaired_tco2": "register_grading_unpaired_tco2",
    "temp": "register_grading",
}


def _again(cursor, overlap_sql: str, create_sql: str, params: list, table: str, columns: str) -> int:
    """Sum again the enterprises `overlap_sql` names into `table` (created empty when there are none)."""
    cursor.execute(overlap_sql)
    ids = [registered_id for (registered_id,) in cursor.fetchall()]
    if ids:
        cursor.execute(create_sql, [*params, ids])
    else:
        cursor.execute(f"CREATE TEMP TABLE {table} ({columns}) ON COMMIT DROP")
    return len(ids)


def _compute(cursor, year: int, last_batch: int, factors: FactorSource, bands: tuple[str, str, list]) -> dict:
    """The run's rows into the temporary table `register_grading`; what it did, for the log."""
    tco2, tco2_params, bit, bit_params, carriers = _carrier_cases(factors, year)
    t = TABLES
    cursor.execute(f"DROP TABLE IF EXISTS {', '.join(TABLES.values())}")
    cursor.execute(
        CELLS_SQL.format(cells=t["cells"], bit=bit, tco2=tco2),
        [*bit_params, *tco2_params, year, last_batch, carriers],
    )
    energy_again = _again(
        cursor,
        OVERLAP_SQL.format(cells=t["cells"]),
        CELLS_AGAIN_SQL.format(cells_again=t["cells_again"], bit=bit, tco2=tco2),
        [*bit_params, *tco2_params, year, last_batch, carriers],
        t["cells_again"],
        "registered_id bigint, batch_id bigint, carriers int, months int, tco2 numeric",
    )
    cursor.execute(OUTPUT_SQL.format(output=t["output"]), [year, last_batch])
    tables = {
        "energy_cells": CURRENT.format(table=t["cells"], again=t["cells_again"]),
        "output": t["output"],
        "unpaired": t["unpaired"],
        "unpaired_tco2": t["unpaired_tco2"],
        "temp": t["temp"],
    }
    cursor.execute(UNPAIRED_SQL.format(**tables))
    unpaired = cursor.rowcount
    if unpaired:
        cursor.execute(f"ANALYZE {t['unpaired']}")
        cursor.execute(
            UNPAIRED_TCO2_SQL.format(tco2=tco2, **tables), [*tco2_params, year, last_batch, carriers]
        )
    else:
        cursor.execute(
            f"CREATE TEMP TABLE {t['unpaired_tco2']} (registered_id bigint, tco2 numeric) ON COMMIT DROP"
        )
    level_sql, grade_sql, band_params = bands
    cursor.execute(GRADE_SQL.format(level=level_sql, grade=grade_sql, **tables), band_params)
    return {
        "energy_summed_again": energy_again,
        "with_unpaired_months": unpaired,
    }


def regrade(
    year: int, *, trigger: FeedBatch | None = None, factors: FactorSource | None = None
) -> GradingRun:
    """Grade every register enterprise for `year` from the feeds landed so far: one new run (append-only)."""
    started = time.perf_counter()
    factors = factors or FactorSnapshot.current()
    release = ReferenceRelease.objects.first()
    levels, grades = grading_bands()
    if release is None or not grades:
        raise GradingUnavailable("no published carbon-efficiency grading table")
    level_sql, level_params = band_join(levels, "level", "scored.l_value")
    grade_sql, grade_params = band_join(grades, "grade", "scored.k_value")
    with transaction.atomic(), connection.cursor() as cursor:
        # One run per year at a time: a second feed landing meanwhile waits and then grades what both brought.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"register-grading:{year}"])
        batch_ids = list(FeedBatch.objects.filter(year=year).order_by("pk").values_list("pk", flat=True))
        last_batch = batch_ids[-1] if batch_ids else 0
        cursor.execute("SET LOCAL work_mem = '256MB'")  # the year's rows are aggregated in memory
        done = _compute(
            cursor, year, last_batch, factors, (level_sql, grade_sql, [*level_params, *grade_params])
        )
        cursor.execute(f"SELECT count(*), count(*) FILTER (WHERE status = 'graded') FROM {TABLES['temp']}")
        enterprises, graded = cursor.fetchone()
        run = GradingRun.objects.create(
            year=year,
            trigger=trigger,
            batch_ids=batch_ids,
            reference_release=release,
            factor_version=str(factors.version)[:40],
            enterprises=enterprises,
            graded=graded,
            seconds=Decimal(f"{time.perf_counter() - started:.3f}"),
        )
        cursor.execute(INSERT_SQL.format(temp=TABLES["temp"]), [run.pk, year])
        cursor.execute(TALLY_SQL, [run.pk])
        cursor.execute(f"DROP TABLE IF EXISTS {', '.join(TABLES.values())}")
    logger.info(
        "register graded",
        extra={
            "year": year,
            "run": run.pk,
            "graded": graded,
            **done,
            "seconds": time.perf_counter() - started,
        },
    )
    return run


def ensure_graded(year: int) -> GradingRun | None:
    """Grade `year` unless a run already read every batch of it (the demo, loaded twice, grades once)."""
    batch_ids = list(FeedBatch.objects.filter(year=year).order_by("pk").values_list("pk", flat=True))
    if not batch_ids:
        return None
    latest = GradingRun.objects.filter(year=year).order_by("-pk").first()
    if latest is not None and latest.batch_ids == batch_ids:
        return latest
    return regrade(year)
