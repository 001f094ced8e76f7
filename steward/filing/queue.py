"""The steward's queue: every client month and report waiting for the third-party steward, across the clients
the person's live engagements cover, one schema at a time.

Per scope of the engagement (tenants.access ACTS decide, never the status alone):

- carbon: monthly filings in review (approve or return), reopen requests of locked months, annual reports in
  quality review, and drafts or returned months stuck on blocking findings not waived (the steward can help
  or waive them before the deadline);
- environmental: permit execution reports in review.

Who it is assigned to. An engagement names a firm, not a person (tenants.models.Engagement has no lead), so
the rule is by the firm's roles: reviews (filings, annual and execution reports) and stuck drafts are
assigned to the reviewers (管家审核员) of every firm whose live engagement covers the item's scope; a reopen
request, which unseals a locked month, to the firm's project managers (管家项目经理). A firm without anyone
in that role falls back to its people in the other role, so nothing is assigned to no one. "Assigned to me"
is the person being one of those; the others of the firm see the item as assigned to others (everyone with
the act may still take it: the workflow step decides).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from steward.annual.models import AnnualReport
from steward.annual.models import ReportStatus as AnnualStatus
from steward.filing.models import FilingStatus, MonthlyFiling
from steward.pollution.deadlines import shown_period_label
from steward.pollution.models import ExecutionReport
from steward.pollution.models import ReportStatus as ExecutionStatus
from tenants.access import live_engagements, may_act, workspace_access
from tenants.models import Enterprise, StewardMembership, User

FILING_REVIEW, REOPEN, ANNUAL_REVIEW, EXECUTION_REVIEW, STUCK = (
    "filing_review",
    "reopen",
    "annual_review",
    "execution_review",
    "stuck",
)
KIND_LABELS = {
    FILING_REVIEW: _("月度存证审核"),
    REOPEN: _("重开申请"),
    ANNUAL_REVIEW: _("年度报告质量审核"),
    EXECUTION_REVIEW: _("排污许可执行报告审核"),
    STUCK: _("阻断问题未解决"),
}
KIND_SCOPE = {
    FILING_REVIEW: "carbon",
    REOPEN: "carbon",
    ANNUAL_REVIEW: "carbon",
    STUCK: "carbon",
    EXECUTION_REVIEW: "environmental",
}
REVIEWER, MANAGER = StewardMembership.Role.REVIEWER.value, StewardMembership.Role.MANAGER.value
ASSIGNED_ROLE = {kind: REVIEWER for kind in KIND_LABELS} | {REOPEN: MANAGER}


@dataclass(frozen=True)
class QueueItem:
    enterprise: Enterprise
    kind: str
    period: str  # "2026年10月", "2025年度", "2026年第3季度"
    status: str
    status_label: str
    deadline: datetime.date | None  # a reopen request has none
    today: datetime.date
    assignees: tuple[User, ...]
    mine: bool
    link: str
    key: str = ""  # what bulk approval posts back: see approval_key()
    approvable: bool = False  # a filing in review the person may approve and nothing open stands in the way
    blocking: int = 0  # blocking findings not waived
    submitted_at: datetime.datetime | None = None  # when it was sent for review
    sort_key: tuple = field(default=(), compare=False)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def days_left(self) -> int | None:
        return None if self.deadline is None else (self.deadline - self.today).days

    @property
    def days_overdue(self) -> int:
        return max(0, -(self.days_left or 0))

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.deadline < self.today

    @property
    def assignee_names(self) -> str:
        return "、".join(user.display_name or user.username for user in self.assignees)


def approval_key(enterprise: Enterprise, filing: MonthlyFiling) -> str:
    """Names the filing and the submission the person saw: a month returned and submitted again in the
    meantime no longer matches, so it is not approved unseen."""
    stamp = filing.submitted_at.isoformat() if filing.submitted_at else ""
    return f"{enterprise.slug}|{filing.pk}|{stamp}"


def parse_approval_key(key: str) -> tuple[str, int, str] | None:
    parts = key.split("|")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1]), parts[2]


def _link(enterprise: Enterprise, name: str, *args) -> str:
    path = reverse(name, urlconf=settings.ROOT_URLCONF, args=args)
    return f"/{settings.TENANT_SUBFOLDER_PREFIX}/{enterprise.slug}{path}"


@dataclass
class _Client:
    enterprise: Enterprise
    # scope → firm → role → people of each firm whose live engagement covers that scope
    people: dict[str, dict[int, dict[str, set[User]]]] = field(default_factory=dict)

    def assignees(self, kind: str) -> tuple[User, ...]:
        role = ASSIGNED_ROLE[kind]
        other = MANAGER if role == REVIEWER else REVIEWER
        chosen: set[User] = set()
        for by_role in self.people.get(KIND_SCOPE[kind], {}).values():
            chosen |= by_role.get(role) or by_role.get(other) or set()
        return tuple(sorted(chosen, key=lambda user: user.username))


def _clients(user: User, today: datetime.date) -> list[_Client]:
    """The enterprises a live engagement of the person's firms covers, with each scope's firm people."""
    firm_ids = set(
        StewardMembership.objects.filter(user=user, revoked_at__isnull=True).values_list("firm_id", flat=True)
    )
    if not firm_ids:
        return []
    engagements = list(
        live_engagements(today=today)
        .filter(firm_id__in=firm_ids)
        .select_related("enterprise__workspace", "enterprise__jurisdiction")
    )
    members: dict[int, list[StewardMembership]] = {}
    for membership in StewardMembership.objects.filter(
        firm_id__in={e.firm_id for e in engagements}, revoked_at__isnull=True, user__is_active=True
    ).select_related("user"):
        members.setdefault(membership.firm_id, []).append(membership)
    clients: dict[int, _Client] = {}
    for engagement in engagements:
        client = clients.setdefault(engagement.enterprise_id, _Client(engagement.enterprise))
        scopes = [s for s in ("carbon", "environmental") if getattr(engagement, f"covers_{s}")]
        for scope in scopes:
            firm = client.people.setdefault(scope, {}).setdefault(engagement.firm_id, {})
            for membership in members.get(engagement.firm_id, []):
                firm.setdefault(membership.role, set()).add(membership.user)
    return sorted(clients.values(), key=lambda client: client.enterprise.name_zh)


def _open_counts(filing: MonthlyFiling) -> tuple[int, int]:
    """(open findings of any kind, blocking findings not waived)."""
    open_count = blocking = 0
    for finding in filing.findings.all():
        if finding.open:
            open_count += 1
            blocking += finding.severity == "blocking"
    return open_count, blocking


def steward_queue(user: User, *, today: datetime.date | None = None) -> list[QueueItem]:
    """Everything waiting for this steward in every client, soonest deadline first (reopen requests, which
    have no deadline, last)."""
    today = today or timezone.localdate()
    items: list[QueueItem] = []
    for client in _clients(user, today):
        enterprise = client.enterprise
        grant = workspace_access(user, enterprise, today=today)
        with schema_context(enterprise.schema_name):
            items += _carbon_items(user, client, grant, today)
            items += _execution_items(user, client, grant, today)
    far = datetime.date.max
    return sorted(
        items, key=lambda item: (item.deadline or far, item.enterprise.name_zh, item.sort_key, item.kind)
    )


def _item(user, client: _Client, kind: str, **values) -> QueueItem:
    assignees = client.assignees(kind)
    return QueueItem(
        enterprise=client.enterprise, kind=kind, assignees=assignees, mine=user in assignees, **values
    )


def _carbon_items(user, client: _Client, grant, today) -> list[QueueItem]:
    enterprise = client.enterprise
    items = []
    filings = MonthlyFiling.objects.prefetch_related("findings")
    if may_act(grant, "approve_filing"):
        for filing in filings.filter(status=FilingStatus.IN_REVIEW):
            open_count, blocking = _open_counts(filing)
            items.append(
                _item(
                    user,
                    client,
                    FILING_REVIEW,
                    period=gettext("%(year)s年%(month)s月") % {"year": filing.year, "month": filing.month},
                    status=filing.status,
                    status_label=str(filing.get_status_display()),
                    deadline=filing.deadline,
                    today=today,
                    link=_link(enterprise, "workspace:filing", filing.year, filing.month),
                    key=approval_key(enterprise, filing),
                    approvable=not open_count,
                    blocking=blocking,
                    submitted_at=filing.submitted_at,
                    sort_key=(filing.year, filing.month),
                )
            )
    if may_act(grant, "approve_reopen"):
        reopen = filings.filter(status=FilingStatus.LOCKED, superseded_by__isnull=True).exclude(
            reopen_reason=""
        )
        for filing in reopen:
            items.append(
                _item(
                    user,
                    client,
                    REOPEN,
                    period=gettext("%(year)s年%(month)s月") % {"year": filing.year, "month": filing.month},
                    status=filing.status,
                    status_label=str(filing.get_status_display()),
                    deadline=None,
                    today=today,
                    link=_link(enterprise, "workspace:filing", filing.year, filing.month),
                    sort_key=(filing.year, filing.month),
                )
            )
    if may_act(grant, "waive_finding"):
        stuck = filings.filter(
            Q(status=FilingStatus.DRAFT) | Q(status=FilingStatus.RETURNED),
            findings__severity="blocking",
            findings__waiver_reason="",
        ).distinct()
        for filing in stuck:
            _open, blocking = _open_counts(filing)
            items.append(
                _item(
                    user,
                    client,
                    STUCK,
                    period=gettext("%(year)s年%(month)s月") % {"year": filing.year, "month": filing.month},
                    status=filing.status,
                    status_label=str(filing.get_status_display()),
                    deadline=filing.deadline,
                    today=today,
                    link=_link(enterprise, "workspace:filing", filing.year, filing.month),
                    blocking=blocking,
                    sort_key=(filing.year, filing.month),
                )
            )
    if may_act(grant, "review_annual_report"):
        for report in AnnualReport.objects.filter(status=AnnualStatus.IN_REVIEW):
            items.append(
                _item(
                    user,
                    client,
                    ANNUAL_REVIEW,
                    period=gettext("%(year)s年度") % {"year": report.year},
                    status=report.status,
                    status_label=str(report.get_status_display()),
                    deadline=report.deadline,
                    today=today,
                    link=_link(enterprise, "workspace:annual", report.year),
                    sort_key=(report.year, 13),
                )
            )
    return items


def _execution_items(user, client: _Client, grant, today) -> list[QueueItem]:
    if not may_act(grant, "review_execution_report"):
        return []
    enterprise = client.enterprise
    return [
        _item(
            user,
            client,
            EXECUTION_REVIEW,
            period=shown_period_label(report.frequency, report.year, report.period),
            status=report.status,
            status_label=f"{report.get_frequency_display()} · {report.get_status_display()}",
            deadline=report.deadline,
            today=today,
            link=_link(
                enterprise, "workspace:pollution_report", report.frequency, report.year, report.period
            ),
            sort_key=(report.year, report.period),
        )
        for report in ExecutionReport.objects.filter(status=ExecutionStatus.IN_REVIEW)
    ]


@dataclass(frozen=True)
class QueueFilters:
    kind: str = ""
    enterprise: str = ""  # slug
    status: str = ""
    assigned: str = "all"  # me / others / all
    overdue: bool = False

    @classmethod
    def from_query(cls, query) -> QueueFilters:
        kind = query.get("kind", "")
        assigned = query.get("assigned", "all")
        return cls(
            kind=kind if kind in KIND_LABELS else "",
            enterprise=query.get("enterprise", "")[:40],
            status=query.get("status", "")[:20],
            assigned=assigned if assigned in {"me", "others", "all"} else "all",
            overdue=query.get("overdue") == "1",
        )

    def apply(self, items: list[QueueItem]) -> list[QueueItem]:
        return [
            item
            for item in items
            if (not self.kind or item.kind == self.kind)
            and (not self.enterprise or item.enterprise.slug == self.enterprise)
            and (not self.status or item.status == self.status)
            and (self.assigned == "all" or item.mine == (self.assigned == "me"))
            and (not self.overdue or item.overdue)
        ]


STATUS_CHOICES = {
    FilingStatus.DRAFT.value: FilingStatus.DRAFT.label,
    FilingStatus.IN_REVIEW.value: _("审核中"),
    FilingStatus.RETURNED.value: FilingStatus.RETURNED.label,
    FilingStatus.LOCKED.value: FilingStatus.LOCKED.label,
}
