"""Reading 速算 figures set-wise: per enterprise, by district and by industry, and beside the sealed figures.

Each statement multiplies the newest batch's row of every enterprise, month and carrier by that carrier's
factor of the year (`steward.register.quick.year_factors`, passed in as a VALUES list), so 50,000 enterprises
are summed by PostgreSQL in one pass, never in a Python loop over rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from steward.compliance.grading import GRADE_COLOURS
from steward.factors.source import FactorSource
from steward.register.models import FeedBatch, GradeTally, RegisteredEnterprise, RegisterGrade
from steward.register.quick import CarrierFactor, year_factors
from tenants.models import Industry, Jurisdiction

LATEST = """
    SELECT DISTINCT ON (registered_id, month, carrier) registered_id, month, carrier, quantity
    FROM register_energyrecord
    WHERE year = %s {month}
    ORDER BY registered_id, month, carrier, batch_id DESC
"""
LATEST_OUTPUT = """
    SELECT DISTINCT ON (registered_id, month) registered_id, month, value_added, output_value
    FROM register_outputrecord
    WHERE year = %s {month}
    ORDER BY registered_id, month, batch_id DESC
"""


@dataclass(frozen=True)
class AreaTotal:
    code: str
    name: str
    enterprises: int
    tco2: Decimal
    value_added: Decimal | None

    @property
    def intensity(self) -> Decimal | None:
        """tCO2 per 万元 of value added."""
        return self.tco2 / self.value_added if self.value_added else None


def _factor_values(factors: dict[str, CarrierFactor]) -> tuple[str, list]:
    rows = [(code, factor.tco2_per_unit) for code, factor in factors.items()]
    if not rows:
        return "(VALUES (NULL::text, NULL::numeric)) AS f(carrier, k)", []
    sql = ", ".join(["(%s, %s::numeric)"] * len(rows))
    return f"(VALUES {sql}) AS f(carrier, k)", [value for row in rows for value in row]


def _latest(year: int, month: int | None, template: str = LATEST) -> tuple[str, list]:
    if month is None:
        return template.format(month=""), [year]
    return template.format(month="AND month = %s"), [year, month]


def area_totals(
    year: int,
    factors: FactorSource,
    *,
    by: str = "jurisdiction",
    month: int | None = None,
    jurisdiction_codes: set[str] | None = None,
) -> list[AreaTotal]:
    """速算 totals of the year (or one month) by district (`by="jurisdiction"`) or by industry, of the
    enterprises in `jurisdiction_codes` (all when None)."""
    if by not in {"jurisdiction", "industry"}:
        raise ValueError(by)
    return totals(year, factors, month=month, jurisdiction_codes=jurisdiction_codes)[by]


def totals(
    year: int, factors: FactorSource, *, month: int | None = None, jurisdiction_codes: set[str] | None = None
) -> dict[str, list[AreaTotal]]:
    """Both breakdowns ("jurisdiction", "industry") from one pass over the year's rows (GROUPING SETS); the
    rows read are only those of the enterprises in `jurisdiction_codes` (by the year/enterprise index)."""
    carrier_factors = year_factors(year, factors)
    values_sql, values_params = _factor_values(carrier_factors)
    latest_sql, latest_params = _latest(year, month)
    output_sql, output_params = _latest(year, month, LATEST_OUTPUT)
    scope, scope_params = "", []
    if jurisdiction_codes is not None:
        inside = (
            "registered_id IN (SELECT id FROM register_registeredenterprise WHERE jurisdiction_id = ANY(%s))"
        )
        latest_sql = latest_sql.replace("WHERE year = %s", f"WHERE year = %s AND {inside}", 1)
        output_sql = output_sql.replace("WHERE year = %s", f"WHERE year = %s AND {inside}", 1)
        codes = sorted(jurisdiction_codes)
        latest_params = [latest_params[0], codes, *latest_params[1:]]
        output_params = [output_params[0], codes, *output_params[1:]]
        scope, scope_params = "WHERE r.jurisdiction_id = ANY(%s)", [codes]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH energy AS (
                SELECT e.registered_id, sum(e.quantity * f.k) AS tco2
                FROM ({latest_sql}) e JOIN {values_sql} ON f.carrier = e.carrier
                GROUP BY e.registered_id
            ), output AS (
                SELECT registered_id, sum(value_added) AS value_added FROM ({output_sql}) o GROUP BY registered_id
            )
            SELECT r.jurisdiction_id, r.industry_id, count(*), coalesce(sum(energy.tco2), 0),
                   sum(output.value_added)
            FROM register_registeredenterprise r
            JOIN energy ON energy.registered_id = r.id
            LEFT JOIN output ON output.registered_id = r.id
            {scope}
            GROUP BY GROUPING SETS ((r.jurisdiction_id), (r.industry_id))
            """,
            latest_params + values_params + output_params + scope_params,
        )
        rows = cursor.fetchall()
    return _area_rows(rows)


def _area_rows(rows) -> dict[str, list[AreaTotal]]:
    names = {
        "jurisdiction": dict(Jurisdiction.objects.values_list("code", "name_zh")),
        "industry": dict(Industry.objects.values_list("code", "name_zh")),
    }
    found: dict[str, list[AreaTotal]] = {"jurisdiction": [], "industry": []}
    for jurisdiction, industry, count, tco2, value_added in rows:
        by, code = ("jurisdiction", jurisdiction) if jurisdiction is not None else ("industry", industry)
        found[by].append(
            AreaTotal(code, names[by][code], count, tco2.quantize(Decimal("0.0001")), value_added)
        )
    for rows_of in found.values():
        rows_of.sort(key=lambda row: row.code)
    return found


@dataclass(frozen=True)
class RunFigures:
    """What the register page reads from one grading run, in one pass over its rows (`run_figures`)."""

    totals: dict[str, list[AreaTotal]]  # 速算 and value added by district and by industry (every industry)
    distribution: list[GradeCount]  # enterprises per grade (or ungraded status), of the industry if given
    district_grades: dict[
        str, dict[str, int]
    ]  # district → grade "1"–"5" → enterprises, of the industry if given
    # district → grade filter ("1"–"5", "none": not graded) → enterprises, of the industry if given: how many
    # entries `register_entries` lists for that filter, without a COUNT over the join
    filter_counts: dict[str, dict[str, int]]

    def entries_with(self, grade: str) -> int:
        """How many register entries the grade filter (`GRADE_FILTERS`) lists, over the districts read."""
        return sum(counts.get(grade, 0) for counts in self.filter_counts.values())


def run_figures(
    run_id: int, *, jurisdiction_codes: Iterable[str] | None = None, industry: str | None = None
) -> RunFigures:
    """The year's 速算 and value added by district and industry (what `totals` gives, from the run: each row
    holds the enterprise's 速算 over all its energy months and its value added over all its months; equal to
    `totals` while the run read every batch of the year with the same factors, `run_is_current`; value added
    is the newest non-empty figure of each month, as the grading reads it), the grade distribution, the grades
    per district and the grade filter's counts, in one GROUP BY GROUPING SETS. The totals cover every
    industry; the grades only `industry` when given (the page's filter).

    Read from the run's tally (`GradeTally`: a few hundred rows per district, industry and grade, written with
    the run), not its 50,000 rows; a run from before the tally (migration register 0008) is summed from its rows
    (`run_figures_from_rows`), which give the same figures."""
    if not run_has_tally(run_id):
        return run_figures_from_rows(run_id, jurisdiction_codes, industry)
    return _run_figures_sql(run_id, jurisdiction_codes, industry, TALLY_FIGURES) or _figures([])


def run_figures_from_rows(
    run_id: int, jurisdiction_codes: Iterable[str] | None = None, industry: str | None = None
) -> RunFigures:
    """`run_figures` summed from the run's rows: by the district and industry each row keeps, or, for a run from
    before they were kept (migration register 0007), by the register's (a join with its 50,000 rows)."""
    template = ROW_FIGURES if run_has_districts(run_id) else JOINED_ROW_FIGURES
    return _run_figures_sql(run_id, jurisdiction_codes, industry, template) or _figures([])


_STATE = "CASE WHEN g.grade IS NULL THEN g.status ELSE 'graded' END"
_SETS = (
    f"GROUP BY GROUPING SETS ((a.jurisdiction_id), (a.industry_id), (a.jurisdiction_id, g.grade, {_STATE}))"
)
_ENERGY = "FILTER (WHERE g.status <> 'no_energy')"
TALLY_FIGURES = f"""
    SELECT GROUPING(g.grade), a.jurisdiction_id, a.industry_id, g.grade, {_STATE}, sum(g.with_energy),
           coalesce(sum(g.tco2), 0), sum(g.value_added_10k),
           coalesce(sum(g.enterprises) FILTER (WHERE %s::text IS NULL OR a.industry_id = %s), 0)
    FROM register_gradetally g, LATERAL (SELECT g.jurisdiction_id, g.industry_id) a
    WHERE {{where}} {_SETS}"""
ROW_FIGURES = f"""
    SELECT GROUPING(g.grade), a.jurisdiction_id, a.industry_id, g.grade, {_STATE}, count(*) {_ENERGY},
           coalesce(sum(g.all_months_tco2) {_ENERGY}, 0), sum(g.all_months_value_added_10k) {_ENERGY},
           count(*) FILTER (WHERE %s::text IS NULL OR a.industry_id = %s)
    FROM register_registergrade g, LATERAL (SELECT g.jurisdiction_id, g.industry_id) a
    WHERE {{where}} {_SETS}"""
JOINED_ROW_FIGURES = ROW_FIGURES.replace(
    "LATERAL (SELECT g.jurisdiction_id, g.industry_id) a",
    "register_registeredenterprise a WHERE a.id = g.registered_id AND",
).replace("WHERE {where}", "{where}")


def _run_figures_sql(run_id, jurisdiction_codes, industry, template) -> RunFigures | None:
    where, params = ["g.run_id = %s"], [industry, industry, run_id]
    if jurisdiction_codes is not None:
        where.append("a.jurisdiction_id = ANY(%s)")
        params.append(sorted(jurisdiction_codes))
    with connection.cursor() as cursor:
        cursor.execute(template.format(where=" AND ".join(where)), params)
        rows = cursor.fetchall()
    return _figures(rows) if rows else None


def _figures(rows) -> RunFigures:
    areas, per_grade, district_grades, district_counts = [], {}, {}, {}
    for (
        by_area,
        jurisdiction,
        industry_id,
        grade,
        status,
        enterprises,
        tco2,
        value_added,
        of_industry,
    ) in rows:
        if by_area:
            if enterprises:  # an area whose enterprises have no energy rows has no 速算 (as in `totals`)
                areas.append((jurisdiction, industry_id, enterprises, tco2, value_added))
            continue
        if not of_industry:
            continue
        key = (grade, status)
        per_grade[key] = per_grade.get(key, 0) + of_industry
        filter_key = str(grade) if grade is not None else "none"
        counts = district_counts.setdefault(jurisdiction, {})
        counts[filter_key] = counts.get(filter_key, 0) + of_industry
        if grade is not None:
            district_grades.setdefault(jurisdiction, {})[str(grade)] = of_industry
    order = sorted(per_grade, key=lambda key: (key[0] is None, key[0] or 0, key[1]))
    return RunFigures(
        totals=_area_rows(areas),
        distribution=[GradeCount(grade, status, per_grade[(grade, status)]) for grade, status in order],
        district_grades=district_grades,
        filter_counts=district_counts,
    )


def run_has_tally(run_id: int) -> bool:
    """Whether a run wrote its tally (`GradeTally`: every run with rows from migration register 0008 on)."""
    return GradeTally.objects.filter(run_id=run_id).exists()


def run_has_districts(run_id: int) -> bool:
    """Whether a run's rows keep each enterprise's district (runs from migration register 0007 on do, all of
    their rows: one row tells; a tallied run does)."""
    if run_has_tally(run_id):
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT jurisdiction_id IS NOT NULL FROM register_registergrade WHERE run_id = %s LIMIT 1",
            [run_id],
        )
        found = cursor.fetchone()
    return bool(found and found[0])


def run_totals(run_id: int, *, jurisdiction_codes: set[str] | None = None) -> dict[str, list[AreaTotal]]:
    """What `totals` gives for the whole year, read from a grading run's rows (`run_figures`)."""
    return run_figures(run_id, jurisdiction_codes=jurisdiction_codes).totals


@dataclass(frozen=True)
class RunLag:
    """What a grading run has not read: feed batches of its year landed after it, a factor library newer than
    the one it used, or (a run from before migration register 0005) no year figures on its rows. The register
    page shows the run's figures and says this; `tasks.regrade_stale` regrades such a year."""

    batches: tuple[FeedBatch, ...] = ()
    factors_changed: bool = False
    no_year_figures: bool = False

    @property
    def current(self) -> bool:
        return not (self.batches or self.factors_changed or self.no_year_figures)


def run_lag(run, factors: FactorSource) -> RunLag:
    """What `run` has not read of its year so far (`RunLag.current` when nothing)."""
    batches = tuple(FeedBatch.objects.filter(year=run.year).exclude(pk__in=run.batch_ids).order_by("pk"))
    # A run writes the year figures of every enterprise with energy rows, or of none: one row tells (a tallied
    # run, from migration register 0008 on, has them).
    sample = (
        []
        if run_has_tally(run.pk)
        else RegisterGrade.objects.filter(run=run)
        .exclude(status=RegisterGrade.Status.NO_ENERGY)
        .values_list("all_months_tco2", flat=True)[:1]
    )
    return RunLag(
        batches=batches,
        factors_changed=run.factor_version != str(factors.version)[:40],
        no_year_figures=any(value is None for value in sample),
    )


def run_is_current(run, factors: FactorSource) -> bool:
    """Whether a grading run read every feed batch of its year so far, with the factor library in force, and
    holds each enterprise's year figures (runs computed before migration register 0005 have none: their
    rows' `all_months_tco2` is empty, and summing them would give 0 t)."""
    return run_lag(run, factors).current


@dataclass(frozen=True)
class EnterpriseFigure:
    registered_id: int
    month: int | None
    tco2: Decimal
    quantities: dict[str, Decimal]


def enterprise_figures(
    year: int,
    factors: FactorSource,
    *,
    registered_ids: list[int] | None = None,
    month: int | None = None,
    monthly: bool = True,
) -> list[EnterpriseFigure]:
    """速算 of each enterprise's month (or, with monthly=False, its year) with its quantities per carrier."""
    carrier_factors = year_factors(year, factors)
    values_sql, values_params = _factor_values(carrier_factors)
    latest_sql, latest_params = _latest(year, month)
    where, where_params = "", []
    if registered_ids is not None:
        where, where_params = "WHERE e.registered_id = ANY(%s)", [list(registered_ids)]
    period = "e.month" if monthly else "NULL::int"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT e.registered_id, {period} AS period, e.carrier, sum(e.quantity), sum(e.quantity * f.k)
            FROM ({latest_sql}) e JOIN {values_sql} ON f.carrier = e.carrier
            {where}
            GROUP BY e.registered_id, period, e.carrier
            ORDER BY e.registered_id, period, e.carrier
            """,
            latest_params + values_params + where_params,
        )
        figures: dict[tuple[int, int | None], EnterpriseFigure] = {}
        totals: dict[tuple[int, int | None], Decimal] = {}
        for registered_id, period_month, carrier, quantity, tco2 in cursor.fetchall():
            key = (registered_id, period_month)
            if key not in figures:
                figures[key] = EnterpriseFigure(registered_id, period_month, Decimal(0), {})
                totals[key] = Decimal(0)
            figures[key].quantities[carrier] = quantity
            totals[key] += tco2
    return [
        EnterpriseFigure(f.registered_id, f.month, totals[key].quantize(Decimal("0.0001")), f.quantities)
        for key, f in figures.items()
    ]


@dataclass(frozen=True)
class Comparison:
    registered_id: int
    enterprise_id: int
    name: str
    year: int
    month: int
    quick_tco2: Decimal
    sealed_tco2: Decimal

    @property
    def gap(self) -> Decimal | None:
        """(速算 − sealed) / sealed."""
        return (self.quick_tco2 - self.sealed_tco2) / self.sealed_tco2 if self.sealed_tco2 else None


def sealed_comparison(
    year: int,
    factors: FactorSource,
    *,
    month: int | None = None,
    enterprise_ids: list[int] | None = None,
    jurisdiction_codes: set[str] | None = None,
) -> list[Comparison]:
    """For enterprises that file here: each month's 速算 beside its sealed (locked) figure from the oversight
    read model (one statement; no enterprise schema is opened)."""
    carrier_factors = year_factors(year, factors)
    values_sql, values_params = _factor_values(carrier_factors)
    latest_sql, latest_params = _latest(year, month)
    linked = "registered_id IN (SELECT id FROM register_registeredenterprise WHERE enterprise_id IS NOT NULL)"
    latest_sql = latest_sql.replace("WHERE year = %s", f"WHERE year = %s AND {linked}", 1)
    where, where_params = "", []
    if enterprise_ids is not None:
        where, where_params = "AND r.enterprise_id = ANY(%s)", [list(enterprise_ids)]
    if jurisdiction_codes is not None:
        where += " AND r.jurisdiction_id = ANY(%s)"
        where_params.append(sorted(jurisdiction_codes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH quick AS (
                SELECT e.registered_id, e.month, sum(e.quantity * f.k) AS tco2
                FROM ({latest_sql}) e JOIN {values_sql} ON f.carrier = e.carrier
                GROUP BY e.registered_id, e.month
            )
            SELECT r.id, r.enterprise_id, r.name, m.year, m.month, quick.tco2, m.total_tco2
            FROM register_registeredenterprise r
            JOIN quick ON quick.registered_id = r.id
            JOIN oversight_monthfact m
              ON m.enterprise_id = r.enterprise_id AND m.year = %s AND m.month = quick.month
            WHERE r.enterprise_id IS NOT NULL AND m.figures_version IS NOT NULL AND m.total_tco2 IS NOT NULL
              {where}
            ORDER BY r.name, m.month
            """,
            latest_params + values_params + [year] + where_params,
        )
        return [
            Comparison(rid, eid, name, y, m, quick.quantize(Decimal("0.0001")), sealed)
            for rid, eid, name, y, m, quick, sealed in cursor.fetchall()
        ]


def feed_years() -> list[int]:
    """Years with energy feeds, newest first."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT year FROM register_feedbatch ORDER BY year DESC")
        return [year for (year,) in cursor.fetchall()]


# --- 碳效码 of the register (steward.register.grading writes it; these read it) -----------------------------


@dataclass(frozen=True)
class GradeRow:
    """One enterprise's 碳效码 for one year as one grading run computed it."""

    registered_id: int
    enterprise_id: int | None  # its workspace's enterprise, where it files here
    year: int
    run_id: int
    computed_at: datetime.datetime
    industry_id: str
    status: str  # RegisterGrade.Status: graded | no_energy | no_value_added | no_industry_average
    months: int  # months with both 速算 and value added
    emissions_t: Decimal | None
    value_added_10k: Decimal | None
    l_value: Decimal | None
    industry_average_l: Decimal | None
    k_value: Decimal | None
    level_label: str
    grade: int | None
    grade_label: str
    colour: str  # the grading table's colour name ("deep green")
    energy_batch_ids: tuple[int, ...]
    output_batch_ids: tuple[int, ...]

    @property
    def colour_hex(self) -> str:
        return GRADE_COLOURS.get(str(self.grade), ("", ""))[1]


GRADE_COLUMNS = """g.registered_id, r.enterprise_id, g.year, g.run_id, run.computed_at, g.industry_id, g.status,
    g.months, g.emissions_t, g.value_added_10k, g.l_value, g.industry_average_l, g.k_value, g.level_label, g.grade,
    g.grade_label, g.colour, g.energy_batch_ids, g.output_batch_ids"""


def _grade_rows(cursor) -> list[GradeRow]:
    rows = []
    for row in cursor.fetchall():
        *head, energy_ids, output_ids = row
        rows.append(GradeRow(*head, tuple(energy_ids), tuple(output_ids)))
    return rows


def latest_run_id(year: int) -> int | None:
    """The newest grading run of `year` (None before the year was graded)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM register_gradingrun WHERE year = %s", [year])
        return cursor.fetchone()[0]


def latest_grades(
    registered_ids: Iterable[int] | None, *, year: int | None = None, graded_only: bool = True
) -> dict[int, GradeRow]:
    """Each register enterprise's current 碳效码, keyed by `RegisteredEnterprise` id (all enterprises when
    `registered_ids` is None): the newest run's row of `year`, or without a year the newest year that has one.
    With `graded_only` (the default) a row without a grade (no value added, say) is skipped, so the newest
    year that *was* graded answers; enterprises never graded are absent."""
    return _latest_grades("g.registered_id", registered_ids, year=year, graded_only=graded_only)


def latest_grades_by_enterprise(
    enterprise_ids: Iterable[int], *, year: int | None = None, graded_only: bool = True
) -> dict[int, GradeRow]:
    """`latest_grades` keyed by `tenants.Enterprise` id, for enterprises that file here (banks, budgets)."""
    found = _latest_grades("r.enterprise_id", enterprise_ids, year=year, graded_only=graded_only)
    return {row.enterprise_id: row for row in found.values()}


def _latest_grades(
    column: str, ids: Iterable[int] | None, *, year: int | None, graded_only: bool
) -> dict[int, GradeRow]:
    where, params = ["true"], []
    if ids is not None:
        ids = list(ids)
        if not ids:
            return {}
        where.append(f"{column} = ANY(%s)")
        params.append(ids)
    if graded_only:
        where.append("g.grade IS NOT NULL")
    if year is not None:
        where.append("g.year = %s")
        params.append(year)
    with connection.cursor() as cursor:
        # The newest run of each year holds every register enterprise; DISTINCT ON picks, per enterprise, the
        # newest year and in it the newest run (runs are append-only, ids increase).
        cursor.execute(
            f"""
            SELECT DISTINCT ON (g.registered_id) {GRADE_COLUMNS}
            FROM register_registergrade g
            JOIN register_gradingrun run ON run.id = g.run_id
            JOIN register_registeredenterprise r ON r.id = g.registered_id
            WHERE g.run_id IN (SELECT max(id) FROM register_gradingrun GROUP BY year) AND {" AND ".join(where)}
            ORDER BY g.registered_id, g.year DESC, g.run_id DESC
            """,
            params,
        )
        return {row.registered_id: row for row in _grade_rows(cursor)}


def grade_history(register_entry) -> list[GradeRow]:
    """Every grade an enterprise was given: each year, each run (newest year, then newest run, first)."""
    registered_id = getattr(register_entry, "pk", register_entry)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT {GRADE_COLUMNS}
            FROM register_registergrade g
            JOIN register_gradingrun run ON run.id = g.run_id
            JOIN register_registeredenterprise r ON r.id = g.registered_id
            WHERE g.registered_id = %s
            ORDER BY g.year DESC, g.run_id DESC
            """,
            [registered_id],
        )
        return _grade_rows(cursor)


@dataclass(frozen=True)
class GradeCount:
    grade: int | None  # None: not graded (the status says why)
    status: str
    enterprises: int

    @property
    def colour_hex(self) -> str:
        return GRADE_COLOURS.get(str(self.grade), ("", ""))[1]


def grade_distribution(
    year: int,
    *,
    jurisdiction_codes: Iterable[str] | None = None,
    industry: str | None = None,
    run_id: int | None = None,
) -> list[GradeCount]:
    """How many register enterprises hold each grade in the year's newest run (or `run_id`), of the districts
    in `jurisdiction_codes` (all when None) and one industry if given (`run_figures`)."""
    run_id = run_id or latest_run_id(year)
    if run_id is None:
        return []
    return run_figures(run_id, jurisdiction_codes=jurisdiction_codes, industry=industry).distribution


def workspace_grades(enterprise_ids: Iterable[int], year: int) -> dict[int, int | None]:
    """The grade each workspace's own 碳效码 gave (steward/compliance, from its locked months and its entered
    value added), as the oversight read model holds it: {enterprise id: grade}, absent when not graded."""
    ids = list(enterprise_ids)
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT enterprise_id, label FROM oversight_metric
               WHERE key = 'carbon_efficiency_grade' AND year = %s AND month = 0 AND enterprise_id = ANY(%s)""",
            [year, ids],
        )
        return {pk: int(label) if label.isdigit() else None for pk, label in cursor.fetchall()}


GRADE_FILTERS = ("1", "2", "3", "4", "5", "none")  # a grade, or "none": not graded (the status says why)


def register_entries(
    jurisdiction_codes: set[str],
    *,
    run_id: int | None,
    district: str | None = None,
    industry: str | None = None,
    grade: str | None = None,
):
    """The register entries a bureau of `jurisdiction_codes` reads, as a queryset to page (by district, name and
    id, which the (district, name, id) index serves at any offset): one district of them when given (another
    district reads nothing), one industry, and one grade of the run `run_id` (`GRADE_FILTERS`; without a run
    no entry has a grade).

    With a grade, the district and industry are the run's rows' (as it read the register), so the entries
    listed are exactly those `run_figures(...).entries_with(grade)` counts: the page takes its count from
    there, not from a COUNT over the join. The register's own district still bounds them to the bureau's
    jurisdictions (an entry moved out since the run is not shown; the roster import regrades, see
    `subscribers`)."""
    codes = {district} & set(jurisdiction_codes) if district else set(jurisdiction_codes)
    if not grade:
        entries = RegisteredEnterprise.objects.filter(jurisdiction_id__in=codes)
        if industry:
            entries = entries.filter(industry_id=industry)
        return entries.order_by("jurisdiction_id", "name", "id")
    if grade not in GRADE_FILTERS:
        raise ValueError(grade)
    entries = RegisteredEnterprise.objects.filter(jurisdiction_id__in=set(jurisdiction_codes))
    if run_id is None:
        return entries.none()
    graded = RegisterGrade.objects.filter(run_id=run_id)
    graded = graded.filter(grade__isnull=True) if grade == "none" else graded.filter(grade=int(grade))
    if run_has_districts(run_id):
        graded = graded.filter(jurisdiction_id__in=codes)
        if industry:
            graded = graded.filter(industry_id=industry)
    else:  # a run from before migration register 0007: the register's district and industry
        entries = entries.filter(jurisdiction_id__in=codes)
        if industry:
            entries = entries.filter(industry_id=industry)
    return entries.filter(pk__in=graded.values("registered_id")).order_by("jurisdiction_id", "name", "id")


def graded_years() -> list[int]:
    """Years with a grading run, newest first."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT year FROM register_gradingrun ORDER BY year DESC")
        return [year for (year,) in cursor.fetchall()]
