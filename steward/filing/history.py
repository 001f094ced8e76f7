"""Reading the trigger-written history of a filing: who changed what, when (steward/history.py writes it)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.filing.models import FilingFinding, FilingFindingHistory, MonthlyFiling, MonthlyFilingHistory
from steward.formatting import EMPTY, beijing
from tenants.models import User

SKIPPED = {"id", "filing", "sealed_payload"}  # the payload is long; its seal (a hash) is shown instead


@dataclass
class Change:
    at: datetime.datetime
    table: str  # "filing" or "finding"
    label: str  # insert, update, delete
    subject: str  # what changed: "第2版" or the finding's rule and item
    user: User | None
    url: str
    fields: dict[str, tuple] = field(default_factory=dict)  # name → (before, after)
    ref: str = ""  # the filing's version, or the finding's rule


def _values(event, names: list[str]) -> dict:
    return {name: getattr(event, f"{name}_id" if name.endswith("_by") else name) for name in names}


def _changes(events, table: str, names: list[str], subject, users: dict, ref) -> list[Change]:
    changes, last = [], {}
    for event in events:
        values = _values(event, names)
        before = last.get(event.pgh_obj_id)
        if event.pgh_label == "update" and before is not None:
            diff = {name: (before[name], values[name]) for name in names if before[name] != values[name]}
        else:
            diff = {name: (None, value) for name, value in values.items() if value not in (None, "")}
        last[event.pgh_obj_id] = values
        if table == "finding" and event.pgh_label != "update":
            continue  # findings are rebuilt by every check; only their handling is of interest
        context = event.pgh_context or {}
        changes.append(
            Change(
                at=event.pgh_created_at,
                table=table,
                label=event.pgh_label,
                subject=subject(event),
                user=users.get(context.get("user")),
                url=context.get("url", ""),
                fields=diff,
                ref=str(ref(event)),
            )
        )
    return changes


def filing_history(filing: MonthlyFiling) -> list[Change]:
    """Every recorded change of the filing row and of its findings' handling, oldest first."""
    filing_names = [
        f.name for f in MonthlyFiling._meta.concrete_fields if f.name not in SKIPPED | {"created_at"}
    ]
    finding_names = ["acknowledgement", "acknowledged_by", "waiver_reason", "waived_by"]
    filing_events = list(MonthlyFilingHistory.objects.filter(pgh_obj_id=filing.pk).order_by("pgh_id"))
    finding_events = list(FilingFindingHistory.objects.filter(filing_id=filing.pk).order_by("pgh_id"))
    user_ids = {(e.pgh_context or {}).get("user") for e in filing_events + finding_events}
    users = {user.pk: user for user in User.objects.filter(pk__in=[i for i in user_ids if i])}
    changes = _changes(
        filing_events, "filing", filing_names, lambda e: f"第{e.version}版", users, lambda e: e.version
    ) + _changes(
        finding_events,
        "finding",
        finding_names,
        lambda e: f"{e.rule_id} {e.item}",
        users,
        lambda e: e.rule_id,
    )
    return sorted(changes, key=lambda change: change.at)


# What a person reads of the history (everyone but platform admins): who, when (Beijing time), which field by
# its label, old → new as the pages show them. Hashes and digests stay with the raw history.
TECHNICAL = {"submitted_digest", "seal", "previous_seal", "supersedes", "rule_pack_version", "text"}
PEOPLE_FIELDS = {  # user columns carry no label of their own (tenants.references.user_reference)
    "acknowledged_by": gettext_lazy("确认人"),
    "waived_by": gettext_lazy("豁免人"),
    "waiver_requested_by": gettext_lazy("豁免申请人"),
    "reopen_requested_by": gettext_lazy("重开申请人"),
}
ACTIONS = {"insert": gettext_lazy("创建"), "update": gettext_lazy("修改"), "delete": gettext_lazy("删除")}


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class ReadableChange:
    at: str  # Beijing time, "2026-12-02 10:05"
    who: str  # the person's display name
    action: str  # 创建 / 修改 / 删除
    subject: str  # 月度存证 第2版, 检查发现 B1-COAL
    fields: list[FieldChange]


def _shown(model, name: str, value, users: dict) -> str:
    if value in (None, ""):
        return EMPTY
    model_field = model._meta.get_field(name)
    if name.endswith("_by"):
        person = users.get(value)
        return str(person) if person else EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return beijing(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def readable_history(filing: MonthlyFiling, changes: list[Change] | None = None) -> list[ReadableChange]:
    """谁在何时改了什么: the filing's history in words, newest first."""
    changes = filing_history(filing) if changes is None else changes
    ids = {
        value
        for change in changes
        for name, pair in change.fields.items()
        if name.endswith("_by")
        for value in pair
    }
    users = {user.pk: user for user in User.objects.filter(pk__in=[i for i in ids if i])}
    readable = []
    for change in changes:
        model = MonthlyFiling if change.table == "filing" else FilingFinding
        fields = [
            FieldChange(
                label=str(PEOPLE_FIELDS.get(name) or model._meta.get_field(name).verbose_name),
                before=_shown(model, name, before, users),
                after=_shown(model, name, after, users),
            )
            for name, (before, after) in change.fields.items()
            if name not in TECHNICAL
        ]
        if not fields and change.label == "update":
            continue  # only technical fields changed (a recheck's rule pack, a seal): the timeline says why
        if change.table == "filing":
            subject = _("月度存证 第%(version)s版") % {"version": change.ref}
        else:
            subject = _("检查发现 %(rule)s") % {"rule": change.ref}
        readable.append(
            ReadableChange(
                at=beijing(change.at),
                who=str(change.user) if change.user else _("系统（非应用操作）"),
                action=str(ACTIONS.get(change.label, change.label)),
                subject=subject,
                fields=fields,
            )
        )
    return readable[::-1]
