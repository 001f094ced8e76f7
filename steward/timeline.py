"""The timeline of a regulated record: who did what to it, when and why (append-only rows).

One abstract model for the three timelines (FilingEvent, ReportEvent, ExecutionReportEvent). Each concrete
model names its record (`record_field`) and its own `Action` choices; `append` is the one way a step adds a
line, the same for every record.
"""

from __future__ import annotations

import logging

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.references import user_reference

logger = logging.getLogger("steward.timeline")


class TimelineEvent(models.Model):
    record_field = ""  # the concrete model's foreign key to its record

    actor = user_reference()
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    @classmethod
    def append(cls, record, action: str, actor, comment: str = ""):
        event = cls.objects.create(
            **{cls.record_field: record}, action=action, actor=actor, comment=comment[:500]
        )
        logger.info(
            "%s %s",
            record._meta.model_name,
            action,
            extra={"record": record.pk, "action": str(action), "actor": getattr(actor, "pk", None)},
        )
        return event
