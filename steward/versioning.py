"""Regulated records are never edited in place: a change is version n+1 that names what it supersedes, why,
and who made it. `next_version` is the one place that numbers it and insists on the reason."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

REASON_LENGTH = 300


@dataclass(frozen=True)
class NextVersion:
    """The fields of the new version: spread `fields(reason_field=…, by_field=…)` into `objects.create`."""

    version: int
    supersedes: object | None
    reason: str
    by: object | None

    def fields(self, *, reason_field: str = "correction_reason", by_field: str | None = None) -> dict:
        values = {"version": self.version, "supersedes": self.supersedes}
        if reason_field:
            values[reason_field] = self.reason
        if by_field:
            values[by_field] = self.by
        return values


def next_version(
    record, reason: str, by=None, *, message: str | None = None, field: str | None = None
) -> NextVersion:
    """Version 1 when `record` is None, else `record.version + 1` superseding it; a correction must say why
    (ValidationError `reason_required`, with `message` when given, under `field` when given: the form field
    that takes the reason)."""
    if record is None:
        return NextVersion(version=1, supersedes=None, reason="", by=by)
    reason = (reason or "").strip()
    if not reason:
        error = ValidationError(message or _("更正必须说明原因。"), code="reason_required")
        raise ValidationError({field: error}) if field else error
    return NextVersion(version=record.version + 1, supersedes=record, reason=reason[:REASON_LENGTH], by=by)
