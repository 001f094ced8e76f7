"""Cross-workspace reading for the inbox and the overdue list (one schema at a time, bound explicitly)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from steward.filing.deadlines import obligations
from steward.filing.models import FilingStatus, MonthlyFiling
from steward.formatting import quantity
from tenants.access import ENTERPRISE_ROLES, WorkspaceAccess, may_act, may_review_filing

# What reached the bureau: a version in review or locked. Drafts and returned versions stay the enterprise's.
SUBMITTED_STATUSES = (FilingStatus.IN_REVIEW, FilingStatus.LOCKED)


def sees_unsubmitted(grant: WorkspaceAccess) -> bool:
    """The enterprise (its people and its API tokens) and the steward engaged for carbon see every month;
    oversight only what was submitted."""
    return bool(grant.roles & ENTERPRISE_ROLES) or grant.allows("view_carbon")


def filings_visible_to(grant: WorkspaceAccess):
    """The one answer to "which monthly filings may this grant see" (pages, API, PDFs, drill-downs).

    Every version for the enterprise and its carbon steward; for oversight (the bureau) only versions in
    review or locked; nothing for a grant that may not read filings at all (an environmental-only steward).
    """
    rows = MonthlyFiling.objects.all()
    if sees_unsubmitted(grant):
        return rows
    if grant.allows("view_submitted_filings"):
        return rows.filter(status__in=SUBMITTED_STATUSES)
    return rows.none()


def latest_visible_filing(grant: WorkspaceAccess, year: int, month: int) -> MonthlyFiling | None:
    return filings_visible_to(grant).filter(year=year, month=month).order_by("-version").first()


def months_visible_to(grant: WorkspaceAccess, year: int) -> set[int]:
    """The months of `year` whose carbon figures this grant may see (all twelve, or the submitted ones)."""
    if sees_unsubmitted(grant):
        return set(range(1, 13))
    return set(filings_visible_to(grant).filter(year=year).values_list("month", flat=True))


def may_open_filing(grant: WorkspaceAccess, year: int, month: int) -> bool:
    """Whether the month's filing page shows this grant something (oversight: only a submitted month), so a
    list links only months that open."""
    if not grant.allows("view_submitted_filings"):
        return False
    return sees_unsubmitted(grant) or filings_visible_to(grant).filter(year=year, month=month).exists()


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
                            "linked": may_open_filing(grant, item.year, item.month),
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
                tasks.append({"enterprise": grant.enterprise, "filing": filing, "what": _("待审核")})
            for filing in MonthlyFiling.objects.filter(
                status=FilingStatus.LOCKED, superseded_by__isnull=True
            ).exclude(reopen_reason=""):
                tasks.append({"enterprise": grant.enterprise, "filing": filing, "what": _("重开申请待批准")})
    return tasks


def my_tasks(grants: list[WorkspaceAccess], today: datetime.date) -> list[dict]:
    """What is due from this person, soonest deadline first: months to file (never submitted, drafts, returned
    versions) where they may prepare filings, and the reviews and reopen requests waiting for them."""
    tasks = []
    for grant in grants:
        if not may_act(grant, "prepare_filing"):
            continue
        with schema_context(grant.enterprise.schema_name):
            for item in obligations(grant.enterprise, today):
                if item.done or item.status == FilingStatus.IN_REVIEW:
                    continue
                what = {
                    FilingStatus.RETURNED: _("已退回，按审核意见修改后重新提交"),
                    FilingStatus.DRAFT: _("填报中，检查后提交审核"),
                }.get(item.status, _("尚未填报"))
                tasks.append(
                    {
                        "enterprise": grant.enterprise,
                        "year": item.year,
                        "month": item.month,
                        "what": what,
                        "status": item.status,
                        "deadline": item.deadline,
                        "days_left": item.days_left(today),
                    }
                )
    for task in review_tasks(grants):
        filing = task["filing"]
        tasks.append(
            {
                "enterprise": task["enterprise"],
                "year": filing.year,
                "month": filing.month,
                "what": task["what"],
                "status": filing.status,
                "deadline": filing.deadline,
                "days_left": (filing.deadline - today).days,
            }
        )
    for task in tasks:
        task["days_overdue"] = max(0, -task["days_left"])
    return sorted(tasks, key=lambda task: (task["deadline"], task["enterprise"].name_zh, task["month"]))


def month_states(grants: list[WorkspaceAccess], today: datetime.date) -> list[dict]:
    """Last month's filing state in each workspace the person works in as an enterprise member (本月状态: the
    month being filed now)."""
    rows = []
    for grant in grants:
        if not grant.roles & ENTERPRISE_ROLES:
            continue
        with schema_context(grant.enterprise.schema_name):
            due = obligations(grant.enterprise, today)
        if due:
            rows.append({"enterprise": grant.enterprise, "obligation": due[-1]})
    return rows


def review_items(filing: MonthlyFiling) -> list[dict]:
    """The month's data items as the reviewer goes through them, each with its current figure and comments.

    Items are named as findings name them: a source's code, an output kind, or "month" for the whole month.
    `code` is what people read beside the label: the source's own code (K1-CLK), none for the month or an output.
    """
    from steward.carbon.models import EmissionSource
    from steward.carbon.selectors import current_outputs, current_records

    comments: dict[str, list] = {}
    for comment in filing.comments.select_related("author"):
        comments.setdefault(comment.item, []).append(comment)
    records = current_records(filing.year, filing.month)
    items = [
        {"item": "month", "code": "", "label": _("整月"), "value": "", "comments": comments.pop("month", [])}
    ]
    for source in EmissionSource.objects.all():
        record = records.get(source.pk)
        value = (
            _("%(value)s %(unit)s（第%(version)s版）")
            % {
                "value": quantity(record.quantity, record.unit),
                "unit": record.unit,
                "version": record.version,
            }
            if record
            else _("未录入")
        )
        items.append(
            {
                "item": source.code,
                "code": source.code,
                "label": source.name,
                "value": value,
                "comments": comments.pop(source.code, []),
            }
        )
    for kind, row in current_outputs(filing.year, filing.month).items():
        items.append(
            {
                "item": kind,
                "code": "",
                "label": row.get_kind_display(),
                "value": f"{quantity(row.value, row.unit)} {row.unit}",
                "comments": comments.pop(kind, []),
            }
        )
    items += [
        {"item": item, "code": item, "label": item, "value": "", "comments": rest}
        for item, rest in comments.items()
    ]
    return items


def comments_by_item(year: int, month: int) -> dict[str, list]:
    """Review comments of the current filing version of a month, per item (for the filer's data page)."""
    filing = MonthlyFiling.objects.filter(year=year, month=month).order_by("-version").first()
    found: dict[str, list] = {}
    if filing is not None:
        for comment in filing.comments.select_related("author"):
            found.setdefault(comment.item, []).append(comment)
    return found
