"""Trigger-based history of mutable regulated tables: every change, by whom, in the enterprise's own schema."""

import zoneinfo

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from steward.demo import credit_code
from steward.filing.history import filing_history
from steward.filing.models import FilingFinding, FilingFindingHistory, MonthlyFiling, MonthlyFilingHistory
from tenants.access import workspace_access
from tenants.models import Enterprise, Industry, Jurisdiction, User
from tenants.services import onboard_enterprise
from tests.steward.filing.test_filing_flow import enter_month
from workflows import monthly_filing as services

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def _count(schema: str, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')
        return cursor.fetchone()[0]


@pytest.fixture
def paper_filing():
    enterprise = Enterprise.objects.get(slug="nth-paper")
    with schema_context(enterprise.schema_name):
        filer = User.objects.get(username="paper.filer")
        enter_month(enterprise, 2025, 7, filer)
        filing = services.open_filing(enterprise=enterprise, year=2025, month=7, by=filer)
        yield enterprise, filing, filer


@pytest.mark.django_db
def test_each_change_of_a_filing_is_recorded_with_who_made_it(paper_filing):
    enterprise, filing, filer = paper_filing
    services.run_checks(enterprise=enterprise, filing=filing, by=filer)
    warning = filing.findings.filter(severity="warning").first()
    assert warning is not None, "the demo month should raise at least one warning"
    services.acknowledge(
        finding=warning, comment="停炉检修，耗煤量下降", by=filer, grant=workspace_access(filer, enterprise)
    )
    changes = filing_history(filing)
    acknowledged = [c for c in changes if c.table == "finding" and "acknowledgement" in c.fields]
    assert acknowledged, changes
    assert acknowledged[-1].fields["acknowledgement"] == ("", "停炉检修，耗煤量下降")
    assert acknowledged[-1].user == filer
    rechecked = [c for c in changes if c.table == "filing" and "rule_pack_version" in c.fields]
    assert rechecked and rechecked[0].user == filer


@pytest.mark.django_db
def test_bulk_update_and_raw_sql_leave_one_event_per_row(paper_filing):
    enterprise, filing, filer = paper_filing
    services.run_checks(enterprise=enterprise, filing=filing, by=filer)
    findings = FilingFinding.objects.filter(filing=filing)
    assert findings.count() >= 2
    before = FilingFindingHistory.objects.filter(pgh_label="update").count()
    findings.update(acknowledgement="批量改写")  # no signals: only a trigger can see this
    assert FilingFindingHistory.objects.filter(pgh_label="update").count() == before + findings.count()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE filing_monthlyfiling SET status = 'locked' WHERE id = %s", [filing.pk])
    event = MonthlyFilingHistory.objects.filter(pgh_obj_id=filing.pk, pgh_label="update").latest("pgh_id")
    assert event.status == "locked"


@pytest.mark.django_db
def test_history_rows_cannot_be_rewritten(paper_filing):
    _enterprise, filing, _filer = paper_filing
    event = MonthlyFilingHistory.objects.filter(pgh_obj_id=filing.pk).first()
    with pytest.raises(Exception, match="(?i)protect|cannot"):
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE filing_monthlyfilinghistory SET status = 'x' WHERE pgh_id = %s", [event.pk]
            )


@pytest.mark.django_db
def test_a_newly_onboarded_enterprise_writes_history_into_its_own_schema():
    admin = User.objects.create_user("hist.admin", password="x" * 12)
    enterprise = onboard_enterprise(
        slug="cx-history",
        name_zh="长兴史料有限公司",
        credit_code=credit_code("330522", "MA2K2L4H1"),
        jurisdiction=Jurisdiction.objects.get(code="330522"),
        industry=Industry.objects.get(code="4411"),
        admin_user=admin,
    )
    template_before = _count("tenant_template", "filing_monthlyfilinghistory")
    paper_before = _count("ent_nth_paper", "filing_monthlyfilinghistory")
    with schema_context(enterprise.schema_name):
        filing = services.open_filing(enterprise=enterprise, year=2025, month=5, by=admin)
        MonthlyFiling.objects.filter(pk=filing.pk).update(rule_pack_version="HZ-DQ-TEST")
    assert _count(enterprise.schema_name, "filing_monthlyfilinghistory") == 2  # insert + update
    assert _count("tenant_template", "filing_monthlyfilinghistory") == template_before == 0
    assert _count("ent_nth_paper", "filing_monthlyfilinghistory") == paper_before
    # Even a statement naming the schema while the session sits in another tenant writes beside the row.
    with schema_context("ent_nth_paper"), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {enterprise.schema_name}.filing_monthlyfiling SET rule_pack_version = 'X' WHERE id = %s",
            [filing.pk],
        )
    assert _count(enterprise.schema_name, "filing_monthlyfilinghistory") == 3
    assert _count("ent_nth_paper", "filing_monthlyfilinghistory") == paper_before
    with connection.cursor() as cursor:  # the clone's triggers call functions of its own schema
        cursor.execute(
            """SELECT p.pronamespace::regnamespace::text FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
               WHERE t.tgrelid = %s::regclass AND NOT t.tgisinternal""",
            [f"{enterprise.schema_name}.filing_monthlyfiling"],
        )
        assert {row[0] for row in cursor.fetchall()} <= {enterprise.schema_name, "public"}


def _power_filing_with_a_handled_warning():
    power = Enterprise.objects.get(slug="cx-power")
    with schema_context(power.schema_name):
        filer = User.objects.get(username="power.filer")
        filing = services.open_filing(enterprise=power, year=2026, month=3, by=filer)
        services.run_checks(enterprise=power, filing=filing, by=filer)
        warning = filing.findings.filter(severity="warning").first()
        services.acknowledge(
            finding=warning, comment="停炉检修，耗煤量下降", by=filer, grant=workspace_access(filer, power)
        )
        first = MonthlyFilingHistory.objects.filter(pgh_obj_id=filing.pk).earliest("pgh_id")
    return filer, warning, first


@pytest.mark.django_db
def test_the_filing_page_says_who_changed_what_and_when_in_words(user_client):
    filer, warning, first = _power_filing_with_a_handled_warning()
    page = user_client("power.filer").get("/e/cx-power/filing/2026/3/").content.decode()
    history = page[page.index('data-testid="filing-history"') :]
    history = history[: history.index("</section>")]
    assert "谁在何时改了什么" in history
    # the person by name, Beijing time, the field by its label and the status by its Chinese label
    assert filer.display_name == "钱晓燕" and "钱晓燕" in history
    assert first.pgh_created_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") in history
    assert "确认说明：— → 停炉检修，耗煤量下降" in history
    assert f"确认人：— → {filer.display_name}" in history
    assert "月度存证 第1版" in history and "状态：— → 草稿" in history
    assert f"检查发现 {warning.rule_id}" in history
    # no field names, raw codes or numeric user ids
    for raw in (
        "acknowledgement",
        "acknowledged_by",
        "rule_pack_version",
        "draft",
        f"确认人：— → {filer.pk}<",
    ):
        assert raw not in history, raw


@pytest.mark.django_db
def test_only_a_platform_admin_reads_the_raw_trigger_history(user_client):
    filer, _warning, _first = _power_filing_with_a_handled_warning()
    User.objects.filter(username="power.admin").update(is_platform_admin=True)
    page = user_client("power.admin").get("/e/cx-power/filing/2026/3/").content.decode()
    history = page[page.index('data-testid="filing-history"') :]
    assert "数据库触发器记录" in history and "谁在何时改了什么" not in history
    assert str(filer) in history and "rule_pack_version" in history and "HZ-DQ-2026.4" in history
    assert "acknowledgement" in history
