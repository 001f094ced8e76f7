"""Who hears that a carbon budget's early-warning level rose: an inbox entry (and, through it, e-mail / SMS /
浙政钉 as each person chose) for the enterprise's administrators, when the register enterprise has a workspace,
and for the bureau of its jurisdiction (and the city above it); never the bureau of another district.

Subscribed to `budget.level_raised` (steward/budget/warnings.py publishes it with the `LevelNotice` row it
records) from BudgetConfig.ready(), so the inbox entries exist exactly when the record does. One entry per
person, budget and level (`notify_once`, keyed by both): a recompute that finds the level again tells nobody.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from steward import events
from steward.budget import burndown
from steward.budget.models import LevelNotice
from steward.budget.warnings import LEVEL_RAISED
from tenants.models import Notification
from tenants.recipients import enterprise_people, jurisdiction_bureau_people, notify_once

ADMINS = ("enterprise_admin",)


def title_of(notice: LevelNotice) -> str:
    """The notice's text, in Chinese whoever triggered it (stored notices are in the platform's language)."""
    budget = notice.budget
    with translation.override("zh-hans"):
        return _("%(name)s %(year)s年度碳预算%(level)s（数据截至%(month)s月）：%(warnings)s") % {
            "name": budget.registered.name,
            "year": budget.year,
            "level": _("达到「%(level)s」") % {"level": burndown.level_labels()[notice.level]},
            "month": notice.as_of_month,
            "warnings": notice.warnings,
        }


def tell_people(event: events.Event) -> None:
    if not isinstance(event.record, LevelNotice):
        return
    notice = LevelNotice.objects.select_related(
        "budget__registered__jurisdiction", "budget__registered__enterprise__workspace"
    ).get(pk=event.record.pk)
    budget, entry = notice.budget, notice.budget.registered
    title = title_of(notice)
    key = f"budget:{budget.pk}:{notice.level}"
    enterprise = entry.enterprise
    if enterprise is not None:
        notify_once(
            enterprise_people(enterprise, ADMINS),
            enterprise,
            kind=Notification.Kind.WARNING,
            title=title,
            link=f"/e/{enterprise.slug}/budget/?year={budget.year}",
            key=key,
        )
    notify_once(
        jurisdiction_bureau_people(entry.jurisdiction),
        enterprise,
        kind=Notification.Kind.WARNING,
        title=title,
        link=f"/bureau/budgets/{budget.pk}/",
        key=key,
    )


def subscribe() -> None:
    events.subscribe(LEVEL_RAISED, tell_people)
