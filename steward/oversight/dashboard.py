"""The bureau dashboard: timeliness, approval and return rates, emissions by industry and district.

Everything is aggregated in SQL over the public read model (indexes on period + jurisdiction / industry), so
the page costs a handful of queries whatever the number of enterprises (bench/oversight.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from steward.oversight.columns import COLUMNS_BY_KEY
from steward.oversight.models import Metric, MonthFact
from tenants.models import Enterprise, Industry, Jurisdiction

SUBMITTED = ("in_review", "locked")
REGIMES = {
    "carbon_market": "enterprise__in_national_carbon_market",
    "permit": "enterprise__pollutant_permit_key_unit",
    "efficiency": "enterprise__carbon_efficiency_evaluated",
}
TABLE_ROWS = 25  # the page shows the first rows; the XLSX export holds all of them


@dataclass(frozen=True)
class Filters:
    year: int
    month: int | None = None
    district: str = ""
    industry: str = ""
    regime: str = ""

    @classmethod
    def from_query(cls, query, today: datetime.date) -> Filters:
        def number(name, low, high):
            try:
                value = int(query.get(name, ""))
            except ValueError:
                return None
            return value if low <= value <= high else None

        return cls(
            year=number("year", 2000, 2100) or today.year,
            month=number("month", 1, 12),
            district=query.get("district", "")[:12],
            industry=query.get("industry", "")[:5],
            regime=query.get("regime", "") if query.get("regime") in REGIMES else "",
        )

    def as_query(self) -> dict[str, str]:
        values = {"year": self.year, "month": self.month, "district": self.district}
        values.update(industry=self.industry, regime=self.regime)
        return {key: str(value) for key, value in values.items() if value}


def scoped_facts(codes: set[str], filters: Filters) -> QuerySet[MonthFact]:
    """Rows of the bureau's jurisdiction (codes) matching the filters; a district outside it gives none."""
    rows = MonthFact.objects.filter(jurisdiction_id__in=codes, year=filters.year)
    if filters.month:
        rows = rows.filter(month=filters.month)
    if filters.district:
        rows = rows.filter(jurisdiction_id=filters.district)
    if filters.industry:
        rows = rows.filter(industry_id=filters.industry)
    if filters.regime:
        rows = rows.filter(**{REGIMES[filters.regime]: True})
    return rows


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


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

    @property
    def timeliness_rate(self) -> Decimal | None:
        return _rate(self.on_time, self.submitted)

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


def build_dashboard(codes: set[str], filters: Filters, *, today: datetime.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    facts = scoped_facts(codes, filters)
    submitted = Q(status__in=SUBMITTED) | Q(figures_version__isnull=False)
    totals = facts.aggregate(
        filings=Count("pk"),
        submitted=Count("pk", filter=submitted),
        locked=Count("pk", filter=Q(status="locked")),
        late=Count("pk", filter=submitted & Q(submitted_late=True)),
        overdue=Count("pk", filter=~submitted & Q(deadline__lt=today)),
        returned=Count("pk", filter=Q(returned_count__gt=0)),
        tco2=Sum("total_tco2"),
    )
    enterprises = Enterprise.objects.filter(jurisdiction_id__in=codes)
    if filters.district:
        enterprises = enterprises.filter(jurisdiction_id=filters.district)
    if filters.industry:
        enterprises = enterprises.filter(industry_id=filters.industry)
    if filters.regime:
        enterprises = enterprises.filter(**{REGIMES[filters.regime].removeprefix("enterprise__"): True})
    grouped = {"tco2": Sum("total_tco2"), "filings": Count("pk"), "submitted": Count("pk", filter=submitted)}
    # Grouped by code only; the names come from the two small reference tables (no join over the facts).
    industry_names = dict(Industry.objects.values_list("code", "name_zh"))
    district_names = dict(Jurisdiction.objects.values_list("code", "name_zh"))
    by_industry = [
        {**row, "industry__name_zh": industry_names.get(row["industry_id"], row["industry_id"])}
        for row in facts.values("industry_id").annotate(**grouped).order_by("-tco2")
    ]
    by_district = [
        {**row, "jurisdiction__name_zh": district_names.get(row["jurisdiction_id"], row["jurisdiction_id"])}
        for row in facts.values("jurisdiction_id").annotate(**grouped).order_by("jurisdiction_id")
    ]
    # One month selected: the per-month chart would be a single bar, so it is not queried.
    by_month = [] if filters.month else facts.values("month").annotate(**grouped).order_by("month")
    rows = facts.select_related("enterprise", "industry", "jurisdiction").order_by(
        "-month", "jurisdiction_id", "enterprise_id"
    )[:TABLE_ROWS]
    return Dashboard(
        filters=filters,
        enterprises=enterprises.count(),
        filings=totals["filings"],
        submitted=totals["submitted"],
        locked=totals["locked"],
        on_time=totals["submitted"] - totals["late"],
        late=totals["late"],
        overdue=totals["overdue"],
        returned=totals["returned"],
        total_tco2=totals["tco2"] or Decimal(0),
        by_industry=_with_shares(by_industry),
        by_district=_with_shares(by_district),
        by_month=_with_shares(list(by_month)),
        rows=list(rows),
        metrics=metric_distributions(codes, filters),
    )


def bureau_metrics(codes: set[str], filters: Filters) -> QuerySet[Metric]:
    """Metric rows the bureau may see: its jurisdiction, the filters, and for a column with `bureau_labels`
    (the annual report) only those labels, so a draft never reaches the bureau."""
    metrics = Metric.objects.filter(jurisdiction_id__in=codes, year=filters.year, key__in=COLUMNS_BY_KEY)
    if filters.district:
        metrics = metrics.filter(jurisdiction_id=filters.district)
    if filters.industry:
        metrics = metrics.filter(industry_id=filters.industry)
    if filters.regime:
        metrics = metrics.filter(**{REGIMES[filters.regime]: True})
    if filters.month:  # annual metrics are stored with month 0
        metrics = metrics.filter(month__in=[0, filters.month])
    for column in COLUMNS_BY_KEY.values():
        if column.bureau_labels is not None:
            metrics = metrics.exclude(Q(key=column.key) & ~Q(label__in=column.bureau_labels))
    return metrics


def metric_distributions(codes: set[str], filters: Filters) -> dict[str, dict]:
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
        scoped_facts(codes, filters)
        .select_related("enterprise", "industry", "jurisdiction")
        .order_by("-month", "jurisdiction_id", "enterprise_id")
    )
