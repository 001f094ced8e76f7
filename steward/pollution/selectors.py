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
