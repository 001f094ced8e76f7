"""碳效码 for every register enterprise (DB33/T 1347-2023 grading, DOMAIN.md §5), computed set-wise.

For one year, in one statement over the register and its feeds:

    emissions   = 速算 CO2 of the enterprise's month (the newest batch's row per month and carrier × the
                  carrier's factor of the year, steward.register.quick), summed over the *paired* months: those
                  with both an energy row and a value added row from the statistics feed;
    value added = Σ 工业增加值 (万元) of the same months (statistics_output feed);
    L           = emissions ÷ value added (tCO2 per 万元; the feeds carry no own zero-carbon generation, so
                  nothing is deducted);
    industry L  = Σ emissions ÷ Σ value added of the register's enterprises of the same industry (GB/T 4754
                  class) and year that have both (every district: the city's benchmark, not the bureau's);
    K           = L ÷ industry L; level = the band of L, grade = the band of K.

The bands are the grading table's (steward/factors/data/carbon_efficiency_grading_zj.csv, published as
`compliance_reference.GradingBand` rows and read with `steward.compliance.selectors.grading_bands`), passed to
SQL as a VALUES list and matched with the same rule as `steward.compliance.grading.Band.contains` ((lower
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

TEMP = "register_grading"


class GradingUnavailable(RuntimeError):
    """No published grading table (reference release) to grade against."""


def _factor_values(factors: FactorSource, year: int) -> tuple[str, list]:
    rows = [(code, factor.tco2_per_unit) for code, factor in year_factors(year, factors).items()]
    if not rows:
        return "(VALUES (NULL::text, NULL::numeric)) AS f(carrier, k)", []
    sql = ", ".join(["(%s, %s::numeric)"] * len(rows))
    return f"(VALUES {sql}) AS f(carrier, k)", [value for row in rows for value in row]


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


def band_lateral(bands: list[Band], alias: str, value: str) -> tuple[str, list]:
    """`LEFT JOIN LATERAL` picking the first band that contains `value`, as `Band.contains` / `band_for` do."""
    values, params = band_values(bands, "b")
    sql = f"""LEFT JOIN LATERAL (
        SELECT b.label, b.grade, b.colour FROM {values}
        WHERE {value} IS NOT NULL
          AND (b.lower_exclusive IS NULL OR {value} > b.lower_exclusive)
          AND (b.upper_inclusive IS NULL OR {value} <= b.upper_inclusive)
        ORDER BY b.position LIMIT 1
    ) AS {alias} ON true"""
    return sql, params


def sql_band_labels(values: list[Decimal], bands: list[Band]) -> list[str | None]:
    """The band label SQL picks for each value (the agreement test compares it with `band_for`)."""
    lateral, params = band_lateral(bands, "band", "v.value")
    rows = ", ".join(["(%s::int, %s::numeric)"] * len(values))
    value_params = [item for index, value in enumerate(values) for item in (index, value)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT band.label FROM (VALUES {rows}) AS v(position, value) {lateral} ORDER BY v.position",
            value_params + params,
        )
        return [label for (label,) in cursor.fetchall()]


GRADE_SQL = """
CREATE TEMP TABLE {temp} ON COMMIT DROP AS
WITH energy_rows AS (
    -- A (carrier, month) that only one batch of the year brought needs no "newest batch" pick: its rows are
    -- unique per enterprise (the importer refuses duplicates within a file) and are read as they are. Only
    -- the contested ones (two or more batches brought that carrier for that month) go through DISTINCT ON.
    SELECT registered_id, month, carrier, quantity, batch_id
    FROM register_energyrecord
    WHERE year = %s AND batch_id <= %s AND NOT ((carrier, month) IN (SELECT c, m FROM {contested}))
    UNION ALL
    SELECT * FROM (
        SELECT DISTINCT ON (registered_id, month, carrier) registered_id, month, carrier, quantity, batch_id
        FROM register_energyrecord
        WHERE year = %s AND batch_id <= %s AND (carrier, month) IN (SELECT c, m FROM {contested})
        ORDER BY registered_id, month, carrier, batch_id DESC
    ) AS newest
), energy AS (
    -- which batches an enterprise's figures came from, as one bit per batch of the year (bit_or keeps the
    -- aggregation hashed: no sort of the year's rows)
    SELECT e.registered_id, e.month, sum(e.quantity * f.k) AS tco2, bit_or(bits.mask) AS batches
    FROM energy_rows e
    JOIN {factors} ON f.carrier = e.carrier
    JOIN {bits} ON bits.batch_id = e.batch_id
    GROUP BY e.registered_id, e.month
), output AS (
    SELECT DISTINCT ON (registered_id, month) registered_id, month, value_added, batch_id
    FROM register_outputrecord
    WHERE year = %s AND batch_id <= %s AND value_added IS NOT NULL
    ORDER BY registered_id, month, batch_id DESC
), per_enterprise AS (
    SELECT energy.registered_id, bit_or(energy.batches) AS energy_mask,
           count(output.month) AS months,
           sum(energy.tco2) FILTER (WHERE output.month IS NOT NULL) AS tco2,
           sum(output.value_added) AS value_added,
           bit_or(bits.mask) AS output_mask
    FROM energy
    LEFT JOIN output ON output.registered_id = energy.registered_id AND output.month = energy.month
    LEFT JOIN {bits} ON bits.batch_id = output.batch_id
    GROUP BY energy.registered_id
), base AS (
    SELECT r.id AS registered_id, r.industry_id, coalesce(p.months, 0) AS months, p.tco2, p.value_added,
           p.energy_mask, p.output_mask,
           CASE WHEN p.registered_id IS NULL THEN 'no_energy'
                WHEN p.value_added IS NULL OR p.value_added <= 0 THEN 'no_value_added'
                ELSE 'graded' END AS status
    FROM register_registeredenterprise r
    LEFT JOIN per_enterprise p ON p.registered_id = r.id
), industry AS (
    SELECT industry_id, sum(tco2) / sum(value_added) AS average_l
    FROM base WHERE status = 'graded' GROUP BY industry_id
), scored AS (
    SELECT base.*, industry.average_l,
           CASE WHEN base.status = 'graded' THEN base.tco2 / base.value_added END AS l_value,
           CASE WHEN base.status = 'graded' AND industry.average_l > 0
                THEN (base.tco2 / base.value_added) / industry.average_l END AS k_value
    FROM base LEFT JOIN industry ON industry.industry_id = base.industry_id
)
SELECT scored.registered_id, scored.industry_id, scored.months,
       CASE WHEN scored.status = 'graded' AND scored.k_value IS NULL THEN 'no_industry_average'
            ELSE scored.status END AS status,
       CASE WHEN scored.status = 'graded' THEN scored.tco2 END AS tco2,
       CASE WHEN scored.status = 'graded' THEN scored.value_added END AS value_added,
       scored.l_value, CASE WHEN scored.status = 'graded' THEN scored.average_l END AS average_l,
       scored.k_value, level.label AS level_label, grade.grade, grade.label AS grade_label, grade.colour,
       scored.energy_mask, scored.output_mask
FROM scored
{level}
{grade}
"""

INSERT_SQL = """
WITH masks AS (  -- a handful of distinct bit patterns, each decoded once into batch ids
    SELECT d.mask, ARRAY(SELECT b.batch_id FROM {bits_b} WHERE (d.mask & b.mask) = b.mask ORDER BY b.batch_id) AS ids
    FROM (SELECT energy_mask AS mask FROM {temp} UNION SELECT output_mask FROM {temp}) AS d
    WHERE d.mask IS NOT NULL
)
INSERT INTO register_registergrade
    (run_id, registered_id, year, industry_id, status, months, emissions_t, value_added_10k, l_value,
     industry_average_l, k_value, level_label, grade, grade_label, colour, energy_batch_ids, output_batch_ids)
SELECT %s, t.registered_id, %s, t.industry_id, t.status, t.months, round(t.tco2, 4), round(t.value_added, 4),
       round(t.l_value, 12), round(t.average_l, 12), round(t.k_value, 12), coalesce(t.level_label, ''), t.grade,
       coalesce(t.grade_label, ''), coalesce(t.colour, ''), coalesce(em.ids, '{{}}'), coalesce(om.ids, '{{}}')
FROM {temp} t
LEFT JOIN masks em ON em.mask = t.energy_mask
LEFT JOIN masks om ON om.mask = t.output_mask
"""


def _batch_bits(batch_ids: list[int], alias: str) -> tuple[str, list]:
    """The year's batches as `alias(batch_id, mask)`: one bit each, in a bit string as long as the list."""
    width = max(len(batch_ids), 1)
    if not batch_ids:
        return f"(SELECT NULL::bigint AS batch_id, NULL::varbit AS mask WHERE false) AS {alias}", []
    rows = ", ".join([f"(%s::bigint, %s::bit({width}))"] * len(batch_ids))
    params = []
    for position, batch_id in enumerate(batch_ids):
        params += [batch_id, "0" * position + "1" + "0" * (width - position - 1)]
    return f"(VALUES {rows}) AS {alias}(batch_id, mask)", params


def _contested(cursor, year: int, last_batch: int) -> tuple[str, list]:
    """(carrier, month) pairs of the year that more than one batch brought, as a VALUES list `(c, m)`."""
    cursor.execute(
        """SELECT carrier, month FROM (
               SELECT DISTINCT batch_id, carrier, month FROM register_energyrecord
               WHERE year = %s AND batch_id <= %s
           ) AS coverage GROUP BY carrier, month HAVING count(*) > 1""",
        [year, last_batch],
    )
    pairs = cursor.fetchall()
    if not pairs:
        return "(SELECT NULL::varchar AS c, NULL::smallint AS m WHERE false) AS contested", []
    rows = ", ".join(["(%s::varchar, %s::smallint)"] * len(pairs))
    return f"(VALUES {rows}) AS contested(c, m)", [value for pair in pairs for value in pair]


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
    factor_sql, factor_params = _factor_values(factors, year)
    level_sql, level_params = band_lateral(levels, "level", "scored.l_value")
    grade_sql, grade_params = band_lateral(grades, "grade", "scored.k_value")
    with transaction.atomic(), connection.cursor() as cursor:
        # One run per year at a time: a second feed landing meanwhile waits and then grades what both brought.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"register-grading:{year}"])
        batch_ids = list(FeedBatch.objects.filter(year=year).order_by("pk").values_list("pk", flat=True))
        last_batch = batch_ids[-1] if batch_ids else 0
        cursor.execute(
            "SET LOCAL work_mem = '256MB'"
        )  # the year's rows are aggregated in memory, not on disk
        contested_sql, contested_params = _contested(cursor, year, last_batch)
        bits_sql, bits_params = _batch_bits(batch_ids, "bits")
        bits_b_sql, bits_b_params = _batch_bits(batch_ids, "b")
        cursor.execute(f"DROP TABLE IF EXISTS {TEMP}")
        cursor.execute(
            GRADE_SQL.format(
                temp=TEMP,
                contested=contested_sql,
                factors=factor_sql,
                bits=bits_sql,
                level=level_sql,
                grade=grade_sql,
            ),
            [
                year,
                last_batch,
                *contested_params,
                year,
                last_batch,
                *contested_params,
                *factor_params,
                *bits_params,
                year,
                last_batch,
                *bits_params,
                *level_params,
                *grade_params,
            ],
        )
        cursor.execute(f"SELECT count(*), count(*) FILTER (WHERE status = 'graded') FROM {TEMP}")
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
        cursor.execute(INSERT_SQL.format(temp=TEMP, bits_b=bits_b_sql), [*bits_b_params, run.pk, year])
        cursor.execute(f"DROP TABLE {TEMP}")
    logger.info(
        "register graded",
        extra={"year": year, "run": run.pk, "graded": graded, "seconds": time.perf_counter() - started},
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
