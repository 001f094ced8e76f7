"""The bureau dashboard: timeliness, approval and return rates, emissions by industry and district.

Everything is aggregated in SQL over the public read model, so the page costs the same dozen queries whatever
the number of enterprises (bench/oversight.py): one pass over the scoped facts gives the totals, the figures
per industry, district, month and state and the trend (`aggregate_facts`, GROUPING SETS with conditional
aggregates built from the same Q objects as the filters); one gives the months never opened
(`missing_months`); the table's first rows are read in the order of the `fact_listing` index.

States are named as the bureau names them (`STATES`): 未报送 / 审核中 / 已退回 / 已存证 / 逾期; a returned
filing is 已退回, never "not submitted". The on-time rate counts only months whose deadline has passed
(`due`), including the months an obligated enterprise never opened (`missing_months`): a month still within
its deadline is neither on time nor late yet.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, Case, Count, ExpressionWrapper, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.annual.deadlines import annual_report_deadline
from steward.compliance.grading import GRADE_COLOURS
from steward.oversight.columns import COLUMNS_BY_KEY
from steward.oversight.models import Metric, MonthFact
from tenants.deadlines import month_end
from tenants.models import DeadlinePolicy, Enterprise, Industry, Jurisdiction

SUBMITTED = ("in_review", "locked")
REGIMES = {
    "carbon_market": "enterprise__in_national_carbon_market",
    "permit": "enterprise__pollutant_permit_key_unit",
    "efficiency": "enterprise__carbon_efficiency_evaluated",
}
TABLE_ROWS = 25  # the page shows the first rows; the XLSX export holds all of them
# A month as the bureau names it. One state per month (a partition: the counts add up to the months shown).
STATES = (
    ("not_submitted", _("未报送")),  # a draft (or no filing) still within its deadline
    ("in_review", _("审核中")),
    ("returned", _("已退回")),  # returned to the enterprise for correction, whatever the deadline
    ("locked", _("已存证")),  # sealed; also while a reopened correction is in progress (the seal stands)
    ("overdue", _("逾期")),  # never submitted and past its deadline (drafts and months never opened)
)
STATE_LABELS = dict(STATES)
SLUG = re.compile(r"^[a-z0-9-]{1,63}$")


@dataclass(frozen=True)
class Filters:
    year: int
    month: int | None = None
    district: str = ""
    industry: str = ""
    regime: str = ""
    state: str = ""
    enterprise: str = ""  # the enterprise's slug (the drill-down)

    @classmethod
    def from_query(cls, query, today: datetime.date) -> Filters:
        def number(name, low, high):
            try:
                value = int(query.get(name, ""))
            except ValueError:
                return None
            return value if low <= value <= high else None

        enterprise = query.get("enterprise", "")
        return cls(
            year=number("year", 2000, 2100) or today.year,
            month=number("month", 1, 12),
            district=query.get("district", "")[:12],
            industry=query.get("industry", "")[:5],
            regime=query.get("regime", "") if query.get("regime") in REGIMES else "",
            state=query.get("state", "") if query.get("state") in STATE_LABELS else "",
            enterprise=enterprise if SLUG.match(enterprise) else "",
        )

    def as_query(self) -> dict[str, str]:
        values = {"year": self.year, "month": self.month, "district": self.district}
        values.update(
            industry=self.industry, regime=self.regime, state=self.state, enterprise=self.enterprise
        )
        return {key: str(value) for key, value in values.items() if value}

    def but(self, **changes) -> Filters:
        return dataclasses.replace(self, **changes)


REGIME_LABELS = {
    "carbon_market": _("全国碳市场重点排放单位"),
    "permit": _("排污许可重点管理单位"),
    "efficiency": _("碳效评价企业"),
}


def describe_filters(filters: Filters) -> list[tuple[str, str]]:
    """The view's filters as a document names them on its first page: (label, value) for the period and for
    each filter, "全部" where none is applied, with names (吴兴区, 水泥制造) rather than codes."""
    every = str(_("全部"))
    district = (
        Jurisdiction.objects.filter(code=filters.district).values_list("name_zh", flat=True).first()
        or filters.district
        if filters.district
        else every
    )
    industry = (
        Industry.objects.filter(code=filters.industry).values_list("name_zh", flat=True).first()
        or filters.industry
        if filters.industry
        else every
    )
    described = [
        (str(_("年份")), f"{filters.year}年"),
        (str(_("月份")), f"{filters.month}月" if filters.month else str(_("全年"))),
        (str(_("区县")), district),
        (str(_("行业")), industry),
        (str(_("纳管类别")), str(REGIME_LABELS[filters.regime]) if filters.regime else every),
        (str(_("状态")), str(STATE_LABELS[filters.state]) if filters.state else every),
    ]
    if filters.enterprise:
        name = Enterprise.objects.filter(slug=filters.enterprise).values_list("name_zh", flat=True).first()
        described.append((str(_("企业")), name or filters.enterprise))
    return described


def filters_sentence(filters: Filters) -> str:
    """ "年份：2026年；月份：全年；区县：吴兴区；…" in one line."""
    return "；".join(f"{label}：{value}" for label, value in describe_filters(filters))


def state_of(today: datetime.date) -> Case:
    """The bureau's state of a MonthFact row, as SQL (`bureau_state` is the same in Python)."""
    return Case(
        When(status="locked", then=Value("locked")),
        When(status="in_review", then=Value("in_review")),
        When(status="returned", then=Value("returned")),
        When(figures_version__isnull=False, then=Value("locked")),
        When(deadline__lt=today, then=Value("overdue")),
        default=Value("not_submitted"),
    )


def bureau_state(fact, today: datetime.date) -> str:
    if fact.status in ("locked", "in_review", "returned"):
        return fact.status
    if fact.figures_version is not None:
        return "locked"
    return "overdue" if fact.deadline < today else "not_submitted"


def _in_scope(codes: set[str], filters: Filters, rows: QuerySet, prefix: str = "") -> QuerySet:
    """The jurisdiction, district, industry, regime and enterprise filters (on facts, metrics or enterprises)."""
    rows = rows.filter(jurisdiction_id__in=codes)
    if filters.district:
        rows = rows.filter(jurisdiction_id=filters.district)
    if filters.industry:
        rows = rows.filter(industry_id=filters.industry)
    if filters.regime:
        rows = rows.filter(**{REGIMES[filters.regime].replace("enterprise__", prefix): True})
    if filters.enterprise:
        rows = rows.filter(**{f"{prefix}slug": filters.enterprise})
    return rows


def _facts(codes: set[str], filters: Filters, today: datetime.date) -> QuerySet[MonthFact]:
    """Rows of every year matching the filters but the period (the trend compares years)."""
    rows = _in_scope(codes, filters, MonthFact.objects.all(), "enterprise__").annotate(state=state_of(today))
    return rows.filter(state=filters.state) if filters.state else rows


def scoped_facts(
    codes: set[str], filters: Filters, today: datetime.date | None = None
) -> QuerySet[MonthFact]:
    """Rows of the bureau's jurisdiction (codes) matching the filters; a district outside it gives none."""
    rows = _facts(codes, filters, today or timezone.localdate()).filter(year=filters.year)
    if filters.month:
        rows = rows.filter(month=filters.month)
    return rows


def scoped_enterprises(codes: set[str], filters: Filters) -> QuerySet[Enterprise]:
    return _in_scope(codes, filters, Enterprise.objects.all())


@dataclass(frozen=True)
class MissingMonth:
    """A month an obligated enterprise never opened, past its deadline: 逾期, in the on-time denominator."""

    enterprise: Enterprise
    year: int
    month: int
    deadline: datetime.date
    status: str = "not_started"
    state: str = "overdue"
    version: int | None = None
    figures_version: int | None = None
    total_tco2: Decimal | None = None
    intensity: Decimal | None = None
    submitted_late: bool = False
    open_findings: int = 0
    waived_findings: int = 0
    acknowledged_findings: int = 0
    is_submitted: bool = False

    @property
    def jurisdiction(self):
        return self.enterprise.jurisdiction

    @property
    def industry(self):
        return self.enterprise.industry

    @property
    def jurisdiction_id(self) -> str:
        return self.enterprise.jurisdiction_id


def filing_days() -> dict[str | None, int]:
    """Days after month end per jurisdiction code, the nearest policy up the tree (None: national, 40)."""
    policies = dict(DeadlinePolicy.objects.values_list("jurisdiction_id", "monthly_filing_days"))
    parents = dict(Jurisdiction.objects.values_list("code", "parent_id"))
    days: dict[str | None, int] = {None: policies.get(None, 40)}
    for code in parents:
        walk = code
        while walk is not None and walk not in policies:
            walk = parents.get(walk)
        days[code] = policies.get(walk, days[None])
    return days


def missing_months(codes: set[str], filters: Filters, today: datetime.date) -> list[MissingMonth]:
    """Months past their deadline that an obligated enterprise (national carbon market, or any filing this
    year) never opened: there is no MonthFact for them, yet they are due.

    One query: the (jurisdiction, month) pairs already past their deadline are computed from the policies (a
    handful), the database pairs them with the scoped enterprises and keeps those without a fact; only the
    enterprises of the months found are loaded."""
    if filters.state not in ("", "overdue"):
        return []
    last = 12 if filters.year < today.year else (today.month - 1 if filters.year == today.year else 0)
    months = [filters.month] if filters.month else list(range(1, last + 1))
    months = [month for month in months if month <= last]
    if not months:
        return []
    days = filing_days()
    due = []
    for code in sorted({filters.district} & codes if filters.district else codes):
        for month in months:
            deadline = month_end(filters.year, month) + datetime.timedelta(days=days.get(code, days[None]))
            if deadline < today:
                due.append((code, month, deadline))
    if not due:
        return []
    scoped_sql, scoped_params = scoped_enterprises(codes, filters).values("pk").query.sql_with_params()
    values = ", ".join(["(%s::varchar, %s::integer)"] * len(due))
    fact = MonthFact._meta.db_table
    enterprise = Enterprise._meta.db_table
    # The months each enterprise filed this year as a bit mask, from one pass over the year's facts.
    sql = (
        f'SELECT e."id", v."month" FROM "{enterprise}" e '
        f'JOIN (VALUES {values}) AS v("jurisdiction_id", "month") ON v."jurisdiction_id" = e."jurisdiction_id" '
        f'LEFT JOIN (SELECT f."enterprise_id", BIT_OR(1 << f."month") AS "filed" FROM "{fact}" f '
        f'WHERE f."year" = %s GROUP BY f."enterprise_id") m ON m."enterprise_id" = e."id" '
        f'WHERE e."id" IN ({scoped_sql}) AND (e."in_national_carbon_market" OR m."filed" IS NOT NULL) '
        f'AND COALESCE(m."filed", 0) & (1 << v."month") = 0 ORDER BY e."jurisdiction_id", e."slug", v."month"'
    )
    params = [value for code, month, _deadline in due for value in (code, month)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, filters.year, *scoped_params])
        found = cursor.fetchall()
    if not found:
        return []
    deadlines = {(code, month): deadline for code, month, deadline in due}
    enterprises = Enterprise.objects.select_related("jurisdiction", "industry").in_bulk(
        {enterprise_id for enterprise_id, _month in found}
    )
    return [
        MissingMonth(
            enterprises[enterprise_id],
            filters.year,
            month,
            deadlines[(enterprises[enterprise_id].jurisdiction_id, month)],
        )
        for enterprise_id, month in found
    ]


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def _fraction(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / whole if whole else None


@dataclass
class Dashboard:
    filters: Filters
    enterprises: int
    filings: int
    submitted: int
    locked: int
    on_time: int
    late: int
    overdue: int
    returned: int
    total_tco2: Decimal
    by_industry: list[dict]
    by_district: list[dict]
    by_month: list[dict]
    rows: list[MonthFact]
    metrics: dict[str, dict] = field(default_factory=dict)
    table_rows: int = TABLE_ROWS
    # months whose deadline has passed (the on-time denominator) and those of them submitted by the deadline
    due: int = 0
    due_on_time: int = 0
    missing: list[MissingMonth] = field(default_factory=list)
    states: list[dict] = field(default_factory=list)
    trend: dict = field(default_factory=dict)
    grades: dict = field(default_factory=dict)
    annual: LateAnnualReports = field(default_factory=lambda: LateAnnualReports([], 0))
    today: datetime.date | None = None

    @property
    def timeliness_rate(self) -> Decimal | None:
        """Percent of the months due by today that were first submitted by their deadline."""
        return _rate(self.due_on_time, self.due)

    @property
    def on_time_rate(self) -> Decimal | None:
        """The same as a fraction (for `|percent`)."""
        return _fraction(self.due_on_time, self.due)

    @property
    def approval_fraction(self) -> Decimal | None:
        return _fraction(self.locked, self.submitted)

    @property
    def return_fraction(self) -> Decimal | None:
        return _fraction(self.returned, self.submitted)

    @property
    def approval_rate(self) -> Decimal | None:
        return _rate(self.locked, self.submitted)

    @property
    def return_rate(self) -> Decimal | None:
        return _rate(self.returned, self.submitted)


def _with_shares(rows: list[dict]) -> list[dict]:
    """Bar widths (percent of the largest total) for the server-rendered charts."""
    top = max((row["tco2"] or 0 for row in rows), default=0)
    for row in rows:
        row["share"] = int((row["tco2"] or 0) * 100 / top) if top else 0
    return rows


SUBMITTED_Q = Q(status__in=SUBMITTED) | Q(figures_version__isnull=False)


def _due(today: datetime.date) -> Q:
    return Q(deadline__lt=today)


def _due_on_time(today: datetime.date) -> Q:
    """Due, and first submitted by the deadline (a month returned later still was submitted on time)."""
    return _due(today) & Q(submitted_late=False) & (Q(first_submitted_at__isnull=False) | SUBMITTED_Q)


# What each figure counts, as boolean columns of one row of facts (the same Q objects as the filters above).
FLAGS = {
    "is_submitted": lambda today: SUBMITTED_Q,
    "is_due": _due,
    "is_due_on_time": _due_on_time,
}
# Each figure of the selected period (`in_period`): the scan also covers the other years, for the trend.
FIGURES = (
    "COUNT(*) FILTER (WHERE {p}) AS filings",
    "COUNT(*) FILTER (WHERE {p} AND f.is_submitted) AS submitted",
    "COUNT(*) FILTER (WHERE {p} AND f.status = 'locked') AS locked",
    "COUNT(*) FILTER (WHERE {p} AND f.is_submitted AND f.submitted_late) AS late",
    "COUNT(*) FILTER (WHERE {p} AND NOT f.is_submitted AND f.is_due) AS overdue",
    "COUNT(*) FILTER (WHERE {p} AND f.returned_count > 0) AS returned",
    "SUM(f.total_tco2) FILTER (WHERE {p}) AS tco2",
    "COUNT(*) FILTER (WHERE {p} AND f.is_due) AS due",
    "COUNT(*) FILTER (WHERE {p} AND f.is_due_on_time) AS due_on_time",
    "SUM(f.total_tco2) AS sealed_tco2",  # the trend: every year of the scope
    "COUNT(f.total_tco2) AS sealed_months",
)
FIGURE_NAMES = (
    *("filings", "submitted", "locked", "late", "overdue", "returned", "tco2", "due", "due_on_time"),
    *("sealed_tco2", "sealed_months"),
)
GROUPS = ("industry_id", "jurisdiction_id", "month", "state", "year")
GROUPING_SETS = {
    "total": (),
    "industry_id": ("industry_id",),
    "jurisdiction_id": ("jurisdiction_id",),
    "month": ("month",),
    "state": ("state",),
    "year": ("year",),
    "year_month": ("year", "month"),
}


def aggregate_facts(
    facts: QuerySet[MonthFact], today: datetime.date, *, period: Q, by_month: bool = True
) -> dict:
    """The dashboard's figures in one query over the scoped facts of every year: GROUPING SETS for the
    totals and the figures per industry, district, month and bureau state of the selected `period`
    (conditional aggregates), and the sealed tCO2 per year and per year and month (the trend).

    Returns {"total": {...}, "industry_id": {code: {...}}, "jurisdiction_id": …, "month": …, "state": …,
    "year": {year: {...}}, "year_month": {(year, month): {...}}}; a group without a row of the period is left
    out of the period's groups (it only exists for the trend)."""
    flags = {name: ExpressionWrapper(q(today), output_field=BooleanField()) for name, q in FLAGS.items()}
    flags["in_period"] = ExpressionWrapper(period, output_field=BooleanField())
    columns = (*GROUPS, "status", "submitted_late", "returned_count", "total_tco2", *flags)
    inner, params = facts.annotate(**flags).values(*columns).query.sql_with_params()
    sets = {name: names for name, names in GROUPING_SETS.items() if by_month or name != "month"}
    marks = ", ".join(f"GROUPING(f.{name})" for name in GROUPS)
    keys = ", ".join(f"f.{name}" for name in GROUPS)
    figures = ", ".join(figure.format(p="f.in_period") for figure in FIGURES)
    listed = ", ".join("(" + ", ".join(f"f.{name}" for name in names) + ")" for names in sets.values())
    sql = f"SELECT {marks}, {keys}, {figures} FROM ({inner}) f GROUP BY GROUPING SETS ({listed})"
    by_columns = {frozenset(names): name for name, names in sets.items()}
    found: dict = {name: {} for name in sets}
    found["total"] = dict.fromkeys(FIGURE_NAMES, 0) | {"tco2": None, "sealed_tco2": None}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            grouped = row[: len(GROUPS)]
            values = dict(zip(GROUPS, row[len(GROUPS) : 2 * len(GROUPS)], strict=True))
            figures_of = dict(zip(FIGURE_NAMES, row[2 * len(GROUPS) :], strict=True))
            names = frozenset(name for name, mark in zip(GROUPS, grouped, strict=True) if not mark)
            name = by_columns[names]
            if name == "total":
                found["total"] = figures_of
            elif name in ("year", "year_month"):
                key = values["year"] if name == "year" else (values["year"], values["month"])
                found[name][key] = figures_of
            elif figures_of["filings"]:
                found[name][values[name]] = figures_of
    return found


def _trend(figures: dict, year: int) -> dict:
    """`emissions_trend` from the figures of `aggregate_facts`."""
    years = (year - 1, year)
    monthly = {year: [None] * 12 for year in years}
    for (row_year, month), row in figures["year_month"].items():
        if row_year in monthly and row["sealed_months"]:
            monthly[row_year][month - 1] = row["sealed_tco2"]
    yearly = [
        {"year": row_year, "tco2": row["sealed_tco2"], "months": row["sealed_months"]}
        for row_year, row in sorted(figures["year"].items())
        if row["sealed_months"]
    ]
    return {"years": list(years), "monthly": monthly, "yearly": yearly}


def emissions_trend(codes: set[str], filters: Filters, today: datetime.date) -> dict:
    """Sealed tCO2 per month of the year and the year before (None: no sealed month), and per year: one query
    (GROUPING SETS (year, month) and (year))."""
    facts = _facts(codes, filters.but(month=None), today).filter(total_tco2__isnull=False)
    years = (filters.year - 1, filters.year)
    monthly = {year: [None] * 12 for year in years}
    yearly = []
    inner, params = facts.values("year", "month", "total_tco2").query.sql_with_params()
    sql = (
        'SELECT GROUPING(t."month"), t."year", t."month", SUM(t."total_tco2"), COUNT(*) '
        f'FROM ({inner}) t GROUP BY GROUPING SETS ((t."year", t."month"), (t."year")) ORDER BY 2, 3'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for by_year, year, month, tco2, months in cursor.fetchall():
            if by_year:
                yearly.append({"year": year, "tco2": tco2, "months": months})
            elif year in monthly:
                monthly[year][month - 1] = tco2
    return {"years": list(years), "monthly": monthly, "yearly": yearly}


def grade_distribution(metrics: dict[str, dict]) -> dict:
    """Enterprises per 碳效 grade 1–5 with the code's colours (steward.compliance.grading.GRADE_COLOURS)."""
    found = metrics.get("carbon_efficiency_grade")
    groups = {group["label"]: group["enterprises"] for group in found["groups"]} if found else {}
    rows = []
    for grade, (name, colour) in GRADE_COLOURS.items():
        rows.append(
            {"grade": grade, "colour": colour, "colour_name": name, "enterprises": groups.get(grade, 0)}
        )
    other = sum(count for label, count in groups.items() if label not in GRADE_COLOURS)
    return {"rows": rows, "other": other, "enterprises": sum(groups.values())}


ANNUAL_SHOWN = 20  # the page lists the most overdue annual reports; the XLSX export holds all of them


@dataclass(frozen=True)
class LateAnnualReports:
    """The view's late annual reports, most days late first: `listed` (the first `limit`, or all) of `count`."""

    listed: list[dict]
    count: int


def annual_reports(
    codes: set[str], filters: Filters, today: datetime.date, *, limit: int | None = None
) -> LateAnnualReports:
    """The year's annual reports as the bureau sees them: submitted late (days late, from the projected
    first submission), or not submitted although due (days past the due date, for carbon-market units).

    Set-wise: the late submissions and the missing ones are each ordered and cut in SQL (a missing report of
    the year is always `today - due` days late), so a city of thousands loads only the rows it lists."""
    due, _basis = annual_report_deadline(filters.year)
    metrics = _in_scope(codes, filters, Metric.objects.filter(year=filters.year, month=0), "enterprise__")
    submissions = metrics.filter(key="annual_report_submission")
    late = submissions.filter(value__gt=0).order_by("-value", "enterprise__slug")
    pending = scoped_enterprises(codes, filters).none()
    if due < today:
        pending = (
            scoped_enterprises(codes, filters)
            .filter(in_national_carbon_market=True)
            .exclude(pk__in=submissions.values("enterprise_id"))
            .order_by("slug")
        )
    late_rows = late.select_related("enterprise__jurisdiction")
    pending_rows = pending.select_related("jurisdiction")
    if limit is not None:
        late_rows, pending_rows = late_rows[:limit], pending_rows[:limit]
    found = [
        {"enterprise": row.enterprise, "due": due, "days_late": int(row.value), "submitted": True}
        for row in late_rows
    ]
    found += [
        {"enterprise": enterprise, "due": due, "days_late": (today - due).days, "submitted": False}
        for enterprise in pending_rows
    ]
    found.sort(key=lambda item: (-item["days_late"], item["enterprise"].slug))
    listed = found if limit is None else found[:limit]
    count = len(found)
    if limit is not None and (len(late_rows) == limit or len(pending_rows) == limit):
        count = late.count() + pending.count()  # the cut may have left some out: count them
    return LateAnnualReports(listed=listed, count=count)


def build_dashboard(
    codes: set[str],
    filters: Filters,
    *,
    today: datetime.date | None = None,
    annual_limit: int | None = ANNUAL_SHOWN,
) -> Dashboard:
    """Every figure of the bureau's view. `annual_limit`: how many late annual reports to list (None: all,
    for the export)."""
    today = today or timezone.localdate()
    facts = scoped_facts(codes, filters, today)
    # One query for the totals, the figures per industry, district, month and state, and the trend.
    period = Q(year=filters.year, month=filters.month) if filters.month else Q(year=filters.year)
    everything = _facts(codes, filters, today)  # every year of the scope: the trend compares years
    figures = aggregate_facts(everything, today, period=period, by_month=not filters.month)
    totals = figures["total"]
    missing = missing_months(codes, filters, today)
    enterprises = scoped_enterprises(codes, filters)
    kept = ("tco2", "filings", "submitted", "due", "due_on_time")

    def grouped(name: str, code) -> dict:
        return {name: code, **{key: figures[name][code][key] for key in kept}}

    # Grouped by code only; the names come from the two small reference tables (no join over the facts).
    industry_names = dict(Industry.objects.values_list("code", "name_zh"))
    district_names = dict(Jurisdiction.objects.values_list("code", "name_zh"))
    by_industry = [
        {**grouped("industry_id", code), "industry__name_zh": industry_names.get(code, code)}
        for code in figures["industry_id"]
    ]
    # as ORDER BY tco2 DESC in PostgreSQL: industries without sealed figures first, then the largest
    by_industry.sort(key=lambda row: (row["tco2"] is not None, -(row["tco2"] or 0)))
    districts = {code: grouped("jurisdiction_id", code) for code in sorted(figures["jurisdiction_id"])}
    for item in missing:  # months never opened are due and not on time, in their district
        row = districts.setdefault(
            item.jurisdiction_id,
            {"jurisdiction_id": item.jurisdiction_id, "tco2": None, "filings": 0, "submitted": 0}
            | {"due": 0, "due_on_time": 0},
        )
        row["due"] += 1
    by_district = []
    for code in sorted(districts):
        row = districts[code]
        row["jurisdiction__name_zh"] = district_names.get(code, code)
        row["on_time_rate"] = _fraction(row["due_on_time"], row["due"])
        by_district.append(row)
    # One month selected: the per-month chart would be a single bar, so it is not computed.
    by_month = [] if filters.month else [grouped("month", month) for month in sorted(figures["month"])]
    # An enterprise's drill-down lists every month of its year (the selected month is shown in detail).
    listed, listed_missing = facts, missing
    if filters.enterprise and filters.month:
        listed = scoped_facts(codes, filters.but(month=None), today)
        listed_missing = missing_months(codes, filters.but(month=None), today)
    rows = list(
        listed.select_related("enterprise", "industry", "jurisdiction").order_by(
            "-month", "jurisdiction_id", "enterprise_id"
        )[:TABLE_ROWS]
    )
    if filters.enterprise or filters.state == "overdue":  # months never opened are listed when asked for
        rows = sorted(
            [*rows, *listed_missing], key=lambda fact: (-fact.month, fact.jurisdiction_id, fact.enterprise.pk)
        )
        rows = rows[:TABLE_ROWS]
    state_counts = {state: row["filings"] for state, row in figures["state"].items()}
    state_counts["overdue"] = state_counts.get("overdue", 0) + len(missing)
    metrics = metric_distributions(codes, filters, district_names=district_names)
    return Dashboard(
        filters=filters,
        enterprises=enterprises.count(),
        filings=totals["filings"],
        submitted=totals["submitted"],
        locked=totals["locked"],
        on_time=totals["submitted"] - totals["late"],
        late=totals["late"],
        overdue=totals["overdue"] + len(missing),
        returned=totals["returned"],
        total_tco2=totals["tco2"] or Decimal(0),
        by_industry=_with_shares(by_industry),
        by_district=_with_shares(by_district),
        by_month=_with_shares(list(by_month)),
        rows=rows,
        metrics=metrics,
        due=totals["due"] + len(missing),
        due_on_time=totals["due_on_time"],
        missing=missing,
        states=[{"state": code, "text": text, "months": state_counts.get(code, 0)} for code, text in STATES],
        trend=_trend(figures, filters.year),
        grades=grade_distribution(metrics),
        annual=annual_reports(codes, filters, today, limit=annual_limit),
        today=today,
    )


def bureau_metrics(codes: set[str], filters: Filters) -> QuerySet[Metric]:
    """Metric rows the bureau may see: its jurisdiction, the filters, and for a column with `bureau_labels`
    (the annual report) only those labels, so a draft never reaches the bureau."""
    metrics = _in_scope(
        codes, filters, Metric.objects.filter(year=filters.year, key__in=COLUMNS_BY_KEY), "enterprise__"
    )
    if filters.month:  # annual metrics are stored with month 0
        metrics = metrics.filter(month__in=[0, filters.month])
    for column in COLUMNS_BY_KEY.values():
        if column.bureau_labels is not None:
            metrics = metrics.exclude(Q(key=column.key) & ~Q(label__in=column.bureau_labels))
    return metrics


def metric_distributions(
    codes: set[str], filters: Filters, *, district_names: dict[str, str] | None = None
) -> dict[str, dict]:
    """Per projected metric: enterprises and the sum of values per label (a grade, a position, a status), in
    the column's order, every listed label shown even at zero (grades 1–5); per district where the column asks.

    Compliance position: deficit / surplus counts with the summed surplus (the deficit's total is negative);
    grade: count per grade; exceedances: count per district; annual reports: submitted / accepted only.
    """
    metrics = bureau_metrics(codes, filters)
    grouped = metrics.values("key", "label").annotate(
        enterprises=Count("enterprise", distinct=True), total=Sum("value")
    )
    found: dict[str, dict] = {}
    for row in grouped.order_by("key", "label"):
        found.setdefault(row["key"], {})[row["label"]] = row
    if district_names is None:
        district_names = dict(Jurisdiction.objects.values_list("code", "name_zh"))
    per_district: dict[str, list[dict]] = {}
    district_keys = [column.key for column in COLUMNS_BY_KEY.values() if column.by_district]
    rows = (
        metrics.filter(key__in=district_keys)
        .values("key", "jurisdiction_id")
        .annotate(enterprises=Count("enterprise", distinct=True), total=Sum("value"))
        .order_by("key", "jurisdiction_id")
    )
    for row in rows:
        row["name"] = district_names.get(row["jurisdiction_id"], row["jurisdiction_id"])
        per_district.setdefault(row["key"], []).append(row)
    distributions: dict[str, dict] = {}
    for column in COLUMNS_BY_KEY.values():
        labels = found.get(column.key, {})
        if not labels:
            continue
        listed = [code for code, _text in column.choices]
        if column.bureau_labels is not None:
            listed = [code for code in listed if code in column.bureau_labels]
        order = listed + sorted(label for label in labels if label not in listed)
        groups = []
        for label in order:
            row = labels.get(label, {})
            groups.append(
                {
                    "label": label,
                    "text": column.text(label) if label else "",
                    "enterprises": row.get("enterprises", 0),
                    # a sum only makes sense for numbers (a deficit, exceedances), not for grades or shares
                    "total": row.get("total") if column.kind == "value" else None,
                }
            )
        distributions[column.key] = {
            "label": column.label,
            "groups": groups,
            "enterprises": sum(group["enterprises"] for group in groups),
            "by_district": per_district.get(column.key, []),
        }
    return distributions


def export_rows(codes: set[str], filters: Filters) -> QuerySet[MonthFact]:
    """Every row of the dashboard table (the XLSX export is not limited to the first page)."""
    return (
        scoped_facts(codes, filters, timezone.localdate())
        .select_related("enterprise", "industry", "jurisdiction")
        .order_by("-month", "jurisdiction_id", "enterprise_id")
    )
