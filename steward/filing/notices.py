"""Who hears about a month's filing when it moves: inbox entries (and, through them, e-mail / SMS / 浙政钉 as
each person chose) for the people who must act next or who filed it.

Subscribed to the filing's events (steward/events.py) from FilingConfig.ready(), so it runs inside the
transaction of the step: the notice exists exactly when the step committed. Deadlines and escalations are
steward/filing/deadlines.py (daily).

- submitted → the reviewers (the engaged carbon steward, otherwise the enterprise administrator): 待办
- returned → the enterprise's filers and administrators, with the reviewer's reasons
- locked → the filers and administrators: approved and sealed
- reopen requested, waiver requested → the reviewers: 待办; reopened → the filers and administrators
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward import events
from steward.filing.models import MonthlyFiling
from tenants.access import live_engagements
from tenants.models import Enterprise, Notification
from tenants.recipients import carbon_stewards, enterprise_people, notify_once

ADMINS = ("enterprise_admin",)


def reviewers(enterprise: Enterprise):
    """The people of the `approve_filing` act: the engaged carbon steward, otherwise the administrators."""
    if live_engagements().filter(enterprise=enterprise, covers_carbon=True).exists():
        return carbon_stewards(enterprise)
    return enterprise_people(enterprise, ADMINS)


NOTICES = {
    # event → (who, kind, title)
    "submitted": (
        reviewers,
        Notification.Kind.TASK,
        gettext_lazy("%(enterprise)s %(period)s月度数据已提交，待您审核"),
    ),
    "returned": (
        enterprise_people,
        Notification.Kind.NOTICE,
        gettext_lazy("%(enterprise)s %(period)s月度数据被退回，请按意见修改后重新提交：%(comment)s"),
    ),
    "locked": (
        enterprise_people,
        Notification.Kind.NOTICE,
        gettext_lazy("%(enterprise)s %(period)s月度数据已审核通过并锁定存证"),
    ),
    "reopen_requested": (
        reviewers,
        Notification.Kind.TASK,
        gettext_lazy("%(enterprise)s 申请重开 %(period)s月度存证，待您批准：%(comment)s"),
    ),
    "waiver_requested": (
        reviewers,
        Notification.Kind.TASK,
        gettext_lazy("%(enterprise)s 就 %(period)s的阻断问题申请豁免，待您决定：%(comment)s"),
    ),
    "reopened": (
        enterprise_people,
        Notification.Kind.NOTICE,
        gettext_lazy("%(enterprise)s %(period)s月度存证已重开，请更正后重新提交"),
    ),
}


def tell_people(event: events.Event) -> None:
    if event.what not in NOTICES or not isinstance(event.record, MonthlyFiling):
        return
    who, kind, title = NOTICES[event.what]
    filing = event.record
    enterprise = Enterprise.objects.select_related("jurisdiction").get(workspace__schema_name=event.schema)
    actor = event.details.get("by")
    people = [person for person in who(enterprise) if person != actor]  # nobody is told what they just did
    with translation.override("zh-hans"):  # stored notices are in the platform's language, whoever acted
        text = str(title) % {
            "enterprise": enterprise.name_zh,
            "period": _("%(year)s年%(month)s月") % {"year": filing.year, "month": filing.month},
            "comment": event.details.get("comment", ""),
        }
    notify_once(
        people,
        enterprise,
        kind=kind,
        title=text,
        link=f"/e/{enterprise.slug}/filing/{filing.year}/{filing.month}/",
        key=f"{enterprise.slug}:{filing.year}-{filing.month:02d}:{event.what}:{event.details.get('event_id')}",
    )


def subscribe() -> None:
    events.subscribe("filing.*", tell_people)
