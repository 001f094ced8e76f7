"""Compliance position and carbon-efficiency grade in the oversight read model (one metric each per year).

Years are those with an allocation or a value-added record. `compliance_position` holds the surplus in t
(negative: deficit) with the label `surplus` / `deficit`, computed as the compliance page does
(`selectors.year_position`: verified emissions when the year is complete, else the central forecast).
`carbon_efficiency_grade` holds the grade 1–5 as its label and the level (`selectors.carbon_efficiency`).
"""

from __future__ import annotations

from decimal import Decimal

from steward.compliance import selectors
from steward.compliance.models import Allocation, ValueAddedRecord
from steward.oversight.projection import Projection, projector
from tenants.models import Enterprise

PLACES = Decimal("0.0001")  # Metric.value has four decimal places


def projected_years() -> list[int]:
    years = set(Allocation.objects.values_list("year", flat=True))
    years |= set(ValueAddedRecord.objects.values_list("year", flat=True))
    return sorted(years)


@projector("compliance")
def project_compliance(enterprise: Enterprise, projection: Projection) -> None:
    for year in projected_years():
        position = selectors.year_position(year).position
        if position is not None:
            surplus = position.surplus.quantize(PLACES)
            projection.set_metric(
                domain="compliance",
                key="compliance_position",
                period=(year, 0),
                value=surplus,
                label="deficit" if surplus < 0 else "surplus",
            )
        grading = selectors.carbon_efficiency(year).grading
        if grading is not None:
            grade = grading.grade.grade
            projection.set_metric(
                domain="compliance",
                key="carbon_efficiency_grade",
                period=(year, 0),
                label=str(grade) if grade is not None else grading.grade.label[:40],
            )
            projection.set_metric(
                domain="compliance",
                key="carbon_efficiency_level",
                period=(year, 0),
                label=grading.level.label[:40],
            )
