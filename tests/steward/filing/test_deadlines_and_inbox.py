"""Deadlines from the policy calendar, reminders and escalation with a fake clock, inbox and overdue list."""

import datetime
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from steward.demo.period import last_month
from steward.filing.deadlines import obligations, send_deadline_notices
from steward.filing.tasks import deadline_notices
from tenants.access import workspace_access
from tenants.models import Enterprise, Notification, User
from workflows import monthly_filing as services


def titles(username: str) -> list[str]:
    """The reminders and escalations a person received (not the notices of approvals and returns)."""
    chased = Notification.objects.filter(
        user__username=username, kind__in=[Notification.Kind.REMINDER, Notification.Kind.OVERDUE]
    )
    return list(chased.values_list("title", flat=True))


@pytest.mark.django_db
def test_reminder_then_steward_then_bureau_escalation_each_sent_once():
    power = Enterprise.objects.get(slug="cx-power")  # steward greencarbon (carbon), Changxing bureau
    with schema_context(power.schema_name):
        # March 2026 is due 40 days after month end: 10 May.
        send_deadline_notices(power, datetime.date(2026, 4, 1))
        assert not [t for t in titles("power.filer") if "3月" in t]  # too early for a reminder
        send_deadline_notices(power, datetime.date(2026, 5, 5))
        assert any("2026年3月月度存证将于 2026-05-10 截止" in t for t in titles("power.filer"))
        assert not [t for t in titles("greencarbon.reviewer") if "2026年3月" in t]
        send_deadline_notices(power, datetime.date(2026, 5, 12))
        assert any("2026年3月月度存证已逾期 2 天" in t for t in titles("greencarbon.reviewer"))
        assert not [t for t in titles("changxing.inspector") if "2026年3月" in t]
        send_deadline_notices(power, datetime.date(2026, 5, 25))
        assert any("逾期超过 10 天" in t and "2026年3月" in t for t in titles("changxing.inspector"))
        assert any("2026年3月" in t for t in titles("city.viewer"))  # the city oversees its districts
        assert not [t for t in titles("wuxing.viewer") if "长兴湖能" in t]  # another district's bureau
        before = Notification.objects.count()
        send_deadline_notices(power, datetime.date(2026, 5, 25))
        assert Notification.objects.count() == before  # nothing is sent twice


@pytest.mark.django_db
def test_locked_months_are_not_chased():
    paper = Enterprise.objects.get(slug="nth-paper")
    with schema_context(paper.schema_name):
        from steward.carbon import services as carbon

        filer, steward = (
            User.objects.get(username="paper.filer"),
            User.objects.get(username="qingyuan.reviewer"),
        )
        facility = carbon.add_facility(code="B1", name="锅炉", kind="boiler")
        coal = carbon.add_source(
            facility=facility,
            code="COAL",
            name="烟煤",
            kind="fuel_combustion",
            fuel_code="bituminous_coal",
            unit="t",
        )
        carbon.record_activity(
            source=coal,
            year=2026,
            month=1,
            quantity=Decimal(300),
            unit="t",
            data_source="production_metering",
            entered_by=filer,
        )
        filing = services.open_filing(enterprise=paper, year=2026, month=1, by=filer)
        services.run_checks(enterprise=paper, filing=filing, by=filer)
        for finding in filing.findings.filter(severity__in=["warning", "blocking"]):
            services.waive(finding=finding, reason="测试", by=steward, grant=workspace_access(steward, paper))
        services.submit(enterprise=paper, filing=filing, by=filer, grant=workspace_access(filer, paper))
        services.approve(filing=filing, by=steward, grant=workspace_access(steward, paper))
        months = {item.month: item for item in obligations(paper, datetime.date(2026, 4, 15))}
        assert months[1].done and months[2].status == "not_started"
        send_deadline_notices(paper, datetime.date(2026, 4, 15))
    assert not [t for t in titles("paper.filer") if "2026年1月" in t]
    assert any("2026年2月" in t and "逾期" in t for t in titles("paper.filer"))
    told = Notification.objects.filter(user__username="paper.filer", kind=Notification.Kind.NOTICE)
    assert any("2026年1月" in t and "锁定存证" in t for t in told.values_list("title", flat=True))


@pytest.mark.django_db
def test_beat_task_fans_out_one_tenant_task_per_enterprise():
    assert deadline_notices.delay().get() == Enterprise.objects.count()


@pytest.mark.django_db
def test_inbox_lists_reviews_waiting_and_the_overdue_page_lists_late_months(user_client):
    power = Enterprise.objects.get(slug="cx-power")
    with schema_context(power.schema_name):
        filer = User.objects.get(username="power.filer")
        filing = services.open_filing(enterprise=power, year=2026, month=2, by=filer)
        from steward.filing.models import FilingStatus, MonthlyFiling

        MonthlyFiling.objects.filter(pk=filing.pk).update(status=FilingStatus.IN_REVIEW)
        send_deadline_notices(power, datetime.date(2026, 6, 1))
    inbox = user_client("greencarbon.reviewer").get("/inbox/").content.decode()
    assert "待审核" in inbox and "/e/cx-power/filing/2026/2/" in inbox and "已逾期" in inbox
    overdue = user_client("changxing.inspector").get("/overdue/").content.decode()
    assert "长兴湖能发电有限公司" in overdue and "湖州青山水泥" not in overdue
    # The bureau opens the submitted filing read-only; drafts stay invisible to it.
    bureau = user_client("changxing.inspector")
    page = bureau.get("/e/cx-power/filing/2026/2/")
    assert page.status_code == 200 and "只读视图" in page.content.decode()
    assert "approve-filing" not in page.content.decode()
    assert bureau.get("/e/cx-power/filing/2026/3/").status_code == 404


@pytest.mark.django_db
def test_demo_filings_are_sealed_and_the_chain_verifies():
    from steward.demo.carbon import load_demo_filings
    from steward.filing.models import FilingStatus, MonthlyFiling
    from steward.filing.seal import verify_chain

    load_demo_filings()
    year, last = last_month()
    with schema_context("ent_wx_cement"):
        # the year before's months are locked too (the demo's annual report)
        locked = MonthlyFiling.objects.filter(year=year, status=FilingStatus.LOCKED).count()
        assert locked == max(0, last - 2) and verify_chain() == []
        assert MonthlyFiling.objects.get(year=year, month=last - 1).status == FilingStatus.IN_REVIEW
        # every locked month but the latest carries the national platform's receipt
        from steward.handoff.models import PlatformSubmission

        filed = sorted(PlatformSubmission.objects.filter(year=year).values_list("month", flat=True))
        assert filed == list(range(1, max(0, last - 2)))
    with schema_context("ent_cx_power"):
        assert MonthlyFiling.objects.get().status == FilingStatus.IN_REVIEW


@pytest.mark.django_db
def test_on_new_years_day_the_months_of_the_year_just_ended_are_still_due():
    """On 1 January December is due and the year's late months stay late (the list was empty before)."""
    from steward.filing.deadlines import obligations

    power = Enterprise.objects.get(slug="cx-power")
    with schema_context(power.schema_name):
        due = obligations(power, datetime.date(2027, 1, 1))
    assert [(o.year, o.month) for o in due] == [(2026, m) for m in range(1, 13)]
