"""Published changes: a step's subscribers run inside its transaction; the read model projects an enterprise
once per step however many events the step published; a step that fails projects nothing; webhooks hear
the events machine clients subscribe to."""

import pytest
from django.db import transaction
from django_tenants.utils import schema_context

from steward import events
from steward.integrations import webhooks
from steward.oversight import projection
from steward.oversight.models import MonthFact
from tenants.models import Enterprise
from tests.steward.filing.test_filing_flow import enter_month, person
from workflows import monthly_filing


@pytest.fixture
def paper_month():
    """The paper mill's June 2025 with its coal entered and the filing opened (as in the filing tests)."""
    enterprise = Enterprise.objects.get(slug="nth-paper")
    with schema_context(enterprise.schema_name):
        filer, grant = person("paper.filer", enterprise)
        enter_month(enterprise, 2025, 6, filer)
        filing = monthly_filing.open_filing(enterprise=enterprise, year=2025, month=6, by=filer, grant=grant)
        yield enterprise, filing, None, (filer, grant), person("qingyuan.reviewer", enterprise)


@pytest.fixture
def projections(monkeypatch):
    """The enterprises projected, in order."""
    seen = []
    original = projection.refresh_enterprise

    def counting(enterprise, **options):
        seen.append(enterprise.slug)
        return original(enterprise, **options)

    monkeypatch.setattr(projection, "refresh_enterprise", counting)
    return seen


@pytest.fixture
def published(monkeypatch):
    names = []
    monkeypatch.setitem(events._subscribers, "filing.*", [*events._subscribers["filing.*"], names.append])
    return names


@pytest.mark.django_db
def test_submit_publishes_checked_and_submitted_but_projects_once(paper_month, projections, published):
    enterprise, filing, _coal, (filer, grant), _steward = paper_month
    monthly_filing.run_checks(enterprise=enterprise, filing=filing, by=filer, grant=grant)
    for finding in filing.findings.filter(severity="warning"):
        monthly_filing.acknowledge(finding=finding, comment="迟报：系统切换", by=filer, grant=grant)
    projections.clear(), published.clear()
    with transaction.atomic():  # the read model changes inside the step's transaction, before any commit
        monthly_filing.submit(enterprise=enterprise, filing=filing, by=filer, grant=grant)
        assert MonthFact.objects.get(enterprise=enterprise, year=2025, month=6).status == "in_review"
    assert [event.name for event in published] == ["filing.checked", "filing.submitted"]
    assert projections == ["nth-paper"]


@pytest.mark.django_db
def test_a_refused_step_projects_nothing(paper_month, projections):
    enterprise, filing, _coal, (filer, grant), _steward = paper_month
    projections.clear()
    with pytest.raises(Exception, match="仍有"):
        monthly_filing.submit(enterprise=enterprise, filing=filing, by=filer, grant=grant)
    assert projections == []
    assert MonthFact.objects.get(enterprise=enterprise, year=2025, month=6).status == "draft"


@pytest.mark.django_db
def test_webhooks_queue_the_subscribable_filing_events_after_commit(paper_month, monkeypatch):
    enterprise, filing, _coal, (filer, grant), (steward, steward_grant) = paper_month
    queued = []
    monkeypatch.setattr(
        webhooks, "_publish_after_commit", lambda subject, event, details: queued.append(event)
    )
    monthly_filing.run_checks(enterprise=enterprise, filing=filing, by=filer, grant=grant)
    for finding in filing.findings.filter(severity="warning"):
        monthly_filing.acknowledge(finding=finding, comment="迟报：系统切换", by=filer, grant=grant)
    filing = monthly_filing.submit(enterprise=enterprise, filing=filing, by=filer, grant=grant)
    monthly_filing.approve(filing=filing, by=steward, grant=steward_grant)
    assert queued == ["submitted", "locked"]  # opened, checked and acknowledged are not for machine clients


def test_a_subscriber_is_registered_once_per_pattern():
    before = list(events.subscribers("filing.locked"))
    events.subscribe("filing.locked", webhooks.on_event)
    assert events.subscribers("filing.locked") == before


def test_work_deferred_to_the_unit_runs_once_and_not_after_an_error():
    ran = []
    with events.unit_of_work():
        with events.unit_of_work():
            events.once_per_unit("k", lambda: ran.append(1))
        events.once_per_unit("k", lambda: ran.append(2))
        assert ran == []
    assert ran == [1]
    with pytest.raises(RuntimeError), events.unit_of_work():
        events.once_per_unit("k", lambda: ran.append(3))
        raise RuntimeError
    assert ran == [1]
    events.once_per_unit("k", lambda: ran.append(4))  # no unit open: right away
    assert ran == [1, 4]


def test_the_read_model_and_webhooks_are_subscribed_from_app_config():
    assert any(s.__module__ == "steward.oversight.subscribers" for s in events.subscribers("permit.changed"))
    assert webhooks.on_event in events.subscribers("annual_report.submitted")


@pytest.mark.django_db
def test_the_permit_change_projects_through_its_event(projections):
    enterprise = Enterprise.objects.get(slug="cx-power")
    with schema_context(enterprise.schema_name):
        events.publish("permit.changed")
    assert projections == ["cx-power"]
