"""The annual report in the oversight read model: one `annual_report_status` metric per year.

The label is the status of the year's current (highest) version. Every status is projected, because the
steward portfolio follows the report through compilation, review and signature; the bureau dashboard only
counts `submitted` and `accepted` (`MetricColumn.bureau_labels`), so a draft never reaches the bureau.

`annual_report_submission` (no column: the dashboard reads it for late reports) is set once the year's report
first reached the bureau: value = days after the due date of that first submission (0 when on time, Beijing
date), label `late` / `on_time`.
"""

from __future__ import annotations

from decimal import Decimal

from steward.annual.models import AnnualReport
from steward.formatting import BEIJING
from steward.oversight.projection import Projection, projector
from tenants.models import Enterprise


@projector("annual")
def project_annual_reports(enterprise: Enterprise, projection: Projection) -> None:
    current: dict[int, AnnualReport] = {}
    for report in AnnualReport.objects.order_by("year", "version"):  # later versions overwrite earlier ones
        current[report.year] = report
    for year, report in current.items():
        projection.set_metric(
            domain="annual", key="annual_report_status", period=(year, 0), label=report.status
        )
    first: dict[int, AnnualReport] = {}
    for report in AnnualReport.objects.filter(submitted_at__isnull=False).order_by("submitted_at"):
        first.setdefault(report.year, report)
    for year, report in first.items():
        days = max((report.submitted_at.astimezone(BEIJING).date() - report.deadline).days, 0)
        projection.set_metric(
            domain="annual",
            key="annual_report_submission",
            period=(year, 0),
            value=Decimal(days),
            label="late" if days else "on_time",
        )
