"""Background work on annual reports, bound to one enterprise's schema (tenants.tasks.tenant_task)."""

from __future__ import annotations

import datetime
import hashlib
import time

from celery import shared_task
from django.utils import timezone

from reports import annual_report
from steward.annual.documents import ANNUAL_REPORT
from steward.annual.models import AnnualReport
from steward.annual.reminders import send_annual_report_notices
from steward.documents import copy_of_record
from tenants.models import Enterprise
from tenants.tasks import tenant_task


@tenant_task(name="annual.rerender_report")
def rerender_report(report_id: int) -> dict:
    """Render a report version's PDF again from its payload and compare it with the issued copy of record.

    Rendering is deterministic, so a stored PDF that differs from a fresh rendering of the same payload means
    the generator changed (or the file did): the answer says which version, and whether it still matches.
    """
    report = AnnualReport.objects.get(pk=report_id)
    started = time.perf_counter()
    content = annual_report.render(report.payload, payload_sha256=report.payload_sha256)
    seconds = time.perf_counter() - started
    sha256 = hashlib.sha256(content).hexdigest()
    issued = copy_of_record.latest_document(ANNUAL_REPORT, report.document_subject)
    return {
        "report": report.pk,
        "year": report.year,
        "version": report.version,
        "sha256": sha256,
        "bytes": len(content),
        "render_seconds": round(seconds, 4),
        "matches_issued": None if issued is None else issued.sha256 == sha256,
    }


@tenant_task(name="annual.deadline_notices_for_enterprise")
def deadline_notices_for_enterprise(*, enterprise_id: int, today: str | None = None) -> int:
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return send_annual_report_notices(Enterprise.objects.get(pk=enterprise_id), day)


@shared_task(name="annual.deadline_notices")
def deadline_notices(today: str | None = None) -> int:
    """Daily (Celery beat): one tenant task per enterprise, each carrying its schema (`today`: ISO date, for a
    catch-up run or a test)."""
    enterprises = Enterprise.objects.select_related("workspace")
    for enterprise in enterprises:
        deadline_notices_for_enterprise.delay(
            tenant_schema=enterprise.schema_name, enterprise_id=enterprise.pk, today=today
        )
    return len(enterprises)
