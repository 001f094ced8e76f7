"""Cross-workspace reading for the inbox and the overdue list (one schema at a time, bound explicitly)."""

from __future__ import annotations

import datetime

from django_tenants.utils import schema_context

from steward.filing.deadlines import obligations
from steward.filing.models import FilingStatus, MonthlyFiling
from tenants.access import WorkspaceAccess, may_review_filing


def overdue_items(grants: list[WorkspaceAccess], today: datetime.date) -> list[dict]:
    """Months past their deadline and not locked, in the workspaces the user can open."""
    rows = []
    for grant in grants:
        with schema_context(grant.enterprise.schema_name):
            for item in obligations(grant.enterprise, today):
                if not item.done and item.days_left(today) < 0:
                    rows.append(
                        {
                            "enterprise": grant.enterprise,
                            "obligation": item,
                            "days_overdue": -item.days_left(today),
                        }
                    )
    return sorted(rows, key=lambda row: -row["days_overdue"])


def review_tasks(grants: list[WorkspaceAccess]) -> list[dict]:
    """Filings waiting in review for someone who may review them, and reopen requests to decide."""
    tasks = []
    for grant in grants:
        if not may_review_filing(grant):
            continue
        with schema_context(grant.enterprise.schema_name):
            for filing in MonthlyFiling.objects.filter(status=FilingStatus.IN_REVIEW):
                tasks.append({"enterprise": grant.enterprise, "filing": filing, "what": "待审核"})
            for filing in MonthlyFiling.objects.filter(
                status=FilingStatus.LOCKED, superseded_by__isnull=True
            ).exclude(reopen_reason=""):
                tasks.append({"enterprise": grant.enterprise, "filing": filing, "what": "重开申请待批准"})
    return tasks
