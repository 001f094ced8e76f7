"""The monthly filing record is issued by the lock, inside its transaction; reading it writes nothing.

A GET by anyone (the filer, the admin, the steward, the bureau's viewer and inspector) serves the record that
the approval issued, or for a month locked without one a preview marked "预览，非存档文件", never a new
document of record.
"""

from urllib.parse import unquote

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from reports.testing import pdf_text
from steward.documents.models import IssuedDocument
from steward.filing import documents
from steward.filing.models import FilingEvent, FilingStatus, MonthlyFiling
from tenants.access import workspace_access
from tenants.models import Enterprise, User
from workflows import monthly_filing as services

pytestmark = pytest.mark.django_db
READERS = [
    "cement.filer",
    "cement.admin",
    "greencarbon.manager",
    "city.viewer",
    "city.inspector",
    "wuxing.viewer",
]


def _relock(enterprise: Enterprise) -> MonthlyFiling:
    """Take the latest locked month of the enterprise through reopen → checks → submit → approve (date-free)."""
    filer, steward = (
        User.objects.get(username="cement.filer"),
        User.objects.get(username="greencarbon.manager"),
    )
    filer_grant, steward_grant = workspace_access(filer, enterprise), workspace_access(steward, enterprise)
    locked = MonthlyFiling.objects.filter(status=FilingStatus.LOCKED, superseded_by__isnull=True).latest(
        "year", "month"
    )
    services.request_reopen(filing=locked, reason="更正演示", by=filer, grant=filer_grant)
    filing = services.approve_reopen(filing=locked, by=steward, grant=steward_grant)
    services.run_checks(enterprise=enterprise, filing=filing, by=filer)
    for finding in filing.findings.filter(severity="warning"):
        services.acknowledge(finding=finding, comment="已核实", by=filer, grant=filer_grant)
    for finding in filing.findings.filter(severity="blocking"):
        services.waive(finding=finding, reason="线下核验", by=steward, grant=steward_grant)
    filing = services.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    return services.approve(filing=filing, by=steward, grant=steward_grant)


def _counts() -> tuple[int, int]:
    with schema_context("ent_wx_cement"):
        return IssuedDocument.objects.count(), FilingEvent.objects.count()


def test_the_lock_issues_exactly_one_record_and_every_reader_gets_those_bytes(user_client):
    enterprise = Enterprise.objects.get(slug="wx-cement")
    with schema_context(enterprise.schema_name):
        before = IssuedDocument.objects.filter(kind=documents.FILING_RECORD).count()
        filing = _relock(enterprise)
        issued = IssuedDocument.objects.filter(kind=documents.FILING_RECORD)
        assert issued.count() == before + 1
        record = documents.issued_record(filing)
        assert record.subject == f"{filing.year}-{filing.month:02d}-v{filing.version}"
    connection.set_schema_to_public()
    url = f"/e/wx-cement/filing/{filing.year}/{filing.month}/record.pdf"
    rows = _counts()
    for username in READERS:
        response = user_client(username).get(url, follow=True)
        assert response.status_code == 200, username
        assert response["X-Content-SHA256"] == record.sha256
        assert response["Cache-Control"] == "private, no-store"
        assert "预览" not in pdf_text(response.content)
    assert _counts() == rows  # nothing was written by reading


def test_a_month_locked_without_a_record_is_served_as_a_preview_and_nothing_is_stored(
    user_client, monkeypatch
):
    enterprise = Enterprise.objects.get(slug="wx-cement")
    # As before records were issued at the lock: the approval stores no document.
    monkeypatch.setattr(documents, "issue_filing_record", lambda **kwargs: None)
    with schema_context(enterprise.schema_name):
        filing = _relock(enterprise)
        assert documents.issued_record(filing) is None
    connection.set_schema_to_public()
    rows = _counts()
    for username in READERS:
        response = user_client(username).get(f"/e/wx-cement/filing/{filing.year}/{filing.month}/record.pdf")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", username
        assert unquote(response["Content-Disposition"]).endswith("-预览.pdf")
        text = pdf_text(response.content)
        assert "预览，非存档文件" in text and filing.seal in text.replace("\n", "")
    assert _counts() == rows
    with schema_context(enterprise.schema_name):
        assert documents.issued_record(filing) is None
