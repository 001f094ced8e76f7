from urllib.parse import urlencode

from django import template
from django.db.models import Exists, OuterRef
from django.utils import timezone

from steward.filing.models import FilingStatus
from steward.oversight.columns import COLUMNS_BY_KEY
from steward.oversight.dashboard import STATE_LABELS, bureau_state
from tenants.models import BureauMembership, StewardMembership, User

register = template.Library()
STATUS_LABELS = dict(FilingStatus.choices)


@register.simple_tag(takes_context=True)
def oversight_nav(context) -> dict[str, bool]:
    """Which oversight pages the signed-in person has (steward portfolio, bureau dashboard)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {}
    # One query for both answers: the header is on every page.
    live = {"user": OuterRef("pk"), "revoked_at__isnull": True}
    portfolio, bureau = (
        User.objects.filter(pk=user.pk)
        .annotate(
            portfolio=Exists(StewardMembership.objects.filter(**live)),
            bureau=Exists(BureauMembership.objects.filter(**live)),
        )
        .values_list("portfolio", "bureau")
        .get()
    )
    return {"portfolio": portfolio, "bureau": bureau}


@register.filter
def filing_status(fact) -> str:
    """A month's state as the bureau names it: 未报送 / 审核中 / 已退回 / 已存证 / 逾期."""
    if fact is None:
        return "—"
    state = getattr(fact, "state", None) or bureau_state(fact, timezone.localdate())
    return str(STATE_LABELS[state])


@register.filter
def month_state(fact) -> str:
    """The state code (for the badge's colour): the annotated one, else computed for today."""
    return getattr(fact, "state", None) or bureau_state(fact, timezone.localdate())


@register.simple_tag
def dashboard_query(filters, **changes) -> str:
    """The dashboard's query string with some filters changed (`month=""` clears the month)."""
    if "month" in changes:
        changes["month"] = int(changes["month"]) if changes["month"] else None
    changes = {key: "" if value is None and key != "month" else value for key, value in changes.items()}
    return "?" + urlencode(filters.but(**changes).as_query())


@register.filter
def steward_status(fact) -> str:
    if fact is None:
        return "—"
    return str(STATUS_LABELS.get(fact.status, fact.status))


@register.filter
def portfolio_cells(row, columns):
    return row.cells(columns)


@register.filter
def metric_text(metric) -> str:
    """A portfolio cell: the value and the label's text (a status, a position, a grade)."""
    column = COLUMNS_BY_KEY.get(metric.key)
    return column.shown(metric) if column else (metric.label or str(metric.value))
