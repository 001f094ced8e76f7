"""The public read model follows the workspace through approve → reopen → correct → approve; rebuild and check."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from steward.carbon import accounting
from steward.carbon import services as carbon
from steward.oversight import projection
from steward.oversight.models import MonthFact
from tenants.access import workspace_access
from tenants.models import Enterprise, User
from workflows import monthly_filing as services


def person(username: str, enterprise: Enterprise):
    user = User.objects.get(username=username)
    return user, workspace_access(user, enterprise)


def submit_month(enterprise, filing, filer, grant):
    services.run_checks(enterprise=enterprise, filing=filing, by=filer)
    for finding in filing.findings.filter(severity="warning"):
        services.acknowledge(finding=finding, comment="迟报：系统切换", by=filer, grant=grant)
    return services.submit(enterprise=enterprise, filing=filing, by=filer, grant=grant)


@pytest.fixture
def paper_month():
    """The paper mill's June 2025: 500 t of coal entered and computed, filing opened."""
    enterprise = Enterprise.objects.get(slug="nth-paper")
    with schema_context(enterprise.schema_name):
        filer, grant = person("paper.filer", enterprise)
        facility = carbon.add_facility(code="B1", name="1号锅炉", kind="boiler")
        coal = carbon.add_source(
            facility=facility,
            code="COAL",
            name="锅炉烟煤",
            kind="fuel_combustion",
            fuel_code="bituminous_coal",
            unit="t",
        )
        carbon.record_activity(
            source=coal,
            year=2025,
            month=6,
            quantity=Decimal("500"),
            unit="t",
            data_source="production_metering",
            entered_by=filer,
        )
        accounting.compute_month(enterprise=enterprise, year=2025, month=6, by=filer)
        filing = services.open_filing(enterprise=enterprise, year=2025, month=6, by=filer)
        yield enterprise, filing, coal, (filer, grant), person("qingyuan.reviewer", enterprise)


def fact(enterprise) -> MonthFact:
    return MonthFact.objects.get(enterprise=enterprise, year=2025, month=6)


@pytest.mark.django_db
def test_read_model_equals_the_workspace_through_approve_reopen_correct_approve(paper_month):
    enterprise, filing, coal, (filer, filer_grant), (steward, steward_grant) = paper_month
    assert fact(enterprise).status == "draft" and fact(enterprise).total_tco2 is None
    filing = submit_month(enterprise, filing, filer, filer_grant)
    row = fact(enterprise)
    assert (row.status, row.submitted_late, row.acknowledged_findings) == ("in_review", True, 1)
    assert row.total_tco2 is None  # no figures before the month is sealed
    assert projection.check([enterprise]) == []

    first = services.approve(filing=filing, by=steward, grant=steward_grant)
    row = fact(enterprise)
    assert row.status == "locked" and row.figures_version == 1
    first_total = row.total_tco2
    assert first_total == Decimal(first.sealed_payload["result"]["total_tco2"]) > 0
    assert row.industry_id == enterprise.industry_id and row.jurisdiction_id == enterprise.jurisdiction_id
    assert projection.check([enterprise]) == []

    services.request_reopen(filing=first, reason="6月入炉煤量录入错误", by=filer, grant=filer_grant)
    second = services.approve_reopen(filing=first, by=steward, grant=steward_grant)
    row = fact(enterprise)
    # The draft v2 is the current state, but the figures stay those of the sealed v1.
    assert (row.status, row.version, row.figures_version, row.total_tco2) == ("draft", 2, 1, first_total)
    assert projection.check([enterprise]) == []

    record = carbon.latest_activity(coal, 2025, 6)
    carbon.correct_activity(
        record=record,
        quantity=Decimal("520"),
        unit="t",
        data_source="production_metering",
        reason="6月入炉煤量录入错误",
        entered_by=filer,
    )
    accounting.recompute_month(enterprise=enterprise, year=2025, month=6, by=filer, reason="6月入炉煤量更正")
    assert fact(enterprise).total_tco2 == first_total  # a draft correction does not reach oversight
    second = submit_month(enterprise, second, filer, filer_grant)
    second = services.approve(filing=second, by=steward, grant=steward_grant)
    row = fact(enterprise)
    assert (row.status, row.version, row.figures_version) == ("locked", 2, 2)
    assert row.total_tco2 == Decimal(second.sealed_payload["result"]["total_tco2"]) == Decimal("905.71")
    assert first_total == Decimal("870.87")  # 500 t then 520 t of the same coal
    assert row.first_submitted_at < row.submitted_at  # timeliness counts the first submission
    assert projection.check() == []


@pytest.mark.django_db
def test_rebuild_restores_deleted_rows_and_check_names_the_difference(paper_month, capsys):
    enterprise, filing, _coal, (filer, filer_grant), (steward, steward_grant) = paper_month
    services.approve(
        filing=submit_month(enterprise, filing, filer, filer_grant), by=steward, grant=steward_grant
    )
    before = MonthFact.objects.filter(enterprise=enterprise).values().get()
    MonthFact.objects.filter(enterprise=enterprise).delete()
    MonthFact.objects.create(  # a row no workspace backs
        **{**before, "id": None, "month": 7, "status": "locked"}
    )
    problems = projection.check()
    assert "nth-paper 2025-06: missing from the read model" in problems
    assert "nth-paper 2025-07: in the read model but not in the workspace" in problems
    with pytest.raises(SystemExit):
        call_command("check_oversight")
    assert "missing from the read model" in capsys.readouterr().out

    call_command("rebuild_oversight")
    after = MonthFact.objects.filter(enterprise=enterprise).values().get()
    assert {k: v for k, v in after.items() if k not in {"id", "updated_at"}} == {
        k: v for k, v in before.items() if k not in {"id", "updated_at"}
    }
    MonthFact.objects.filter(enterprise=enterprise).update(open_findings=7)
    assert projection.check([enterprise]) == ["nth-paper 2025-06: open_findings is 7, workspace says 0"]
