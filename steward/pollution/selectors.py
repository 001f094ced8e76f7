"""What a grant may see of the environmental side (排污许可)."""

from __future__ import annotations

from steward.pollution.models import ExecutionReport, ReportStatus
from tenants.access import WorkspaceAccess

# What reached the bureau: a report in review or approved; drafts and returned reports stay the enterprise's.
SUBMITTED_REPORT_STATUSES = (ReportStatus.IN_REVIEW, ReportStatus.APPROVED)


def execution_reports_visible_to(grant: WorkspaceAccess):
    """Every execution report for the enterprise and its environmental steward; submitted ones for oversight."""
    rows = ExecutionReport.objects.all()
    if not grant.allows("view_pollution"):
        return rows.none()
    if grant.is_read_only:
        return rows.filter(status__in=SUBMITTED_REPORT_STATUSES)
    return rows


def month_results_visible_to(grant: WorkspaceAccess, permit, year: int, month: int) -> list:
    """The month's pollutant accounting as this grant may read it.

    A coefficient estimate states the fuel burned, a carbon figure: oversight reads it only once the carbon
    month was submitted; before that the estimate keeps its tonnes and method, and its basis says why the
    fuel quantity is not shown.
    """
    from django.utils.translation import gettext as _

    from steward.filing.selectors import months_visible_to, sees_unsubmitted
    from steward.pollution.accounting import Method, month_results

    results = month_results(permit, year, month)
    if sees_unsubmitted(grant) or month in months_visible_to(grant, year):
        return results
    for result in results:
        if result.method == Method.COEFFICIENT:
            result.basis = _("燃料消耗量来自尚未提交审核的碳排放数据，不向监管部门展示。")
    return results
