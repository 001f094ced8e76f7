from django import template
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from steward.filing.models import FilingStatus
from steward.oversight.columns import COLUMNS_BY_KEY
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
    """A month's status as the bureau may see it: drafts and returned filings are only "not submitted"."""
    if fact is None:
        return "—"
    if not fact.is_submitted:
        return _("未提交")
    return str(STATUS_LABELS.get(fact.status, fact.status))


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
