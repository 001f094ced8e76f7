"""The figures the bureau dashboard's district map shades by: emissions, on-time rate, 碳效 grade.

Emissions and the on-time rate are the dashboard's own per-district rows (`Dashboard.by_district`); the grade
per district is the only addition, read from the same rows the grade card counts (`dashboard.bureau_metrics`,
key `carbon_efficiency_grade`), one grouped query over the read model. The map itself is a schematic
(frontend/static/frontend/maps/SOURCE.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from steward.compliance.grading import GRADE_COLOURS
from steward.formatting import quantity, rounded
from steward.oversight.dashboard import Dashboard, Filters, bureau_metrics
from tenants.models import Jurisdiction

MEASURES = ("tco2", "on_time", "grade")


@dataclass
class DistrictGrades:
    """Enterprises per grade 1–5 in one district, and their mean grade (1 = lowest carbon)."""

    counts: dict[str, int] = field(default_factory=dict)

    @property
    def enterprises(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> Decimal | None:
        """The mean of the grades (Decimal, one place, half up); None when no enterprise is graded."""
        if not self.enterprises:
            return None
        total = sum(int(grade) * count for grade, count in self.counts.items())
        return rounded(Decimal(total) / self.enterprises, 1)

    @property
    def mean_text(self) -> str:
        return quantity(self.mean, places=1)


def district_grades(codes: set[str], filters: Filters) -> dict[str, DistrictGrades]:
    """Per district code: the year's 碳效 grades of its enterprises, as the bureau may see them."""
    found: dict[str, DistrictGrades] = {}
    rows = (
        bureau_metrics(codes, filters)
        .filter(key="carbon_efficiency_grade", label__in=GRADE_COLOURS)
        .values("jurisdiction_id", "label")
        .annotate(enterprises=Count("enterprise", distinct=True))
        .order_by("jurisdiction_id", "label")
    )
    for row in rows:
        found.setdefault(row["jurisdiction_id"], DistrictGrades()).counts[row["label"]] = row["enterprises"]
    return found


def district_rows(board: Dashboard, grades: dict[str, DistrictGrades]) -> list[dict]:
    """One row per district with figures: the board's district row and its grades (a district graded but
    without filings is listed too)."""
    rows = {row["jurisdiction_id"]: dict(row) for row in board.by_district}
    missing = [code for code in grades if code not in rows]
    names = (
        dict(Jurisdiction.objects.filter(code__in=missing).values_list("code", "name_zh")) if missing else {}
    )
    for code in missing:
        rows[code] = {"jurisdiction_id": code, "jurisdiction__name_zh": names.get(code, code), "tco2": None}
        rows[code] |= {"on_time_rate": None, "due": 0, "due_on_time": 0, "submitted": 0, "filings": 0}
    for code, row in rows.items():
        row["grades"] = grades.get(code, DistrictGrades())
    return [rows[code] for code in sorted(rows)]
