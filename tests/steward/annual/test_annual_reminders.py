"""Reminders before the annual report's deadline, escalation after it, nothing once it reached the bureau."""

import datetime

import pytest
from django_tenants.utils import schema_context

from steward.annual import selectors
from steward.annual.deadlines import annual_report_deadline
from steward.annual.reminders import send_annual_report_notices
from steward.annual.tasks import deadline_notices
from steward.demo.period import last_month
from tenants.access import workspace_access
from tenants.models import Enterprise, Notification, User
from workflows import annual_report as services

YEAR = last_month()[0] - 1  # the demo's cement plant has this year compiled, not yet submitted
PASSWORD = "huzhou-demo-2024"


def titles(username: str) -> list[str]:
    return list(
        Notification.objects.filter(user__username=username, dedupe_key__contains=f":annual:{YEAR}:deadline")
        .order_by("pk")
        .values_list("title", flat=True)
    )


def who(name: str, enterprise: Enterprise) -> dict:
    user = User.objects.get(username=name)
    return {"by": user, "grant": workspace_access(user, enterprise), "enterprise": enterprise}


@pytest.mark.django_db
def test_thirty_then_seven_days_before_then_overdue_to_steward_and_bureau_each_once():
    cement = Enterprise.objects.get(slug="wx-cement")
    deadline, _basis = annual_report_deadline(YEAR)
    with schema_context(cement.schema_name):
        assert send_annual_report_notices(cement, deadline - datetime.timedelta(days=45)) == 0
        send_annual_report_notices(cement, deadline - datetime.timedelta(days=20))
        assert titles("cement.filer") == [
            f"湖州青山水泥有限公司 {YEAR}年度排放报告将于 {deadline} 截止报送（剩余 20 天，当前：已汇编）"
        ]
        assert titles("cement.signatory") == titles("cement.filer")
        send_annual_report_notices(cement, deadline - datetime.timedelta(days=19))  # same window: nothing new
        send_annual_report_notices(cement, deadline - datetime.timedelta(days=3))
        assert len(titles("cement.admin")) == 2 and "剩余 3 天" in titles("cement.admin")[1]
        assert titles("greencarbon.reviewer") == [] and titles("wuxing.viewer") == []
        send_annual_report_notices(cement, deadline + datetime.timedelta(days=1))
        overdue = f"湖州青山水泥有限公司 {YEAR}年度排放报告已逾期 1 天未报送（截止 {deadline}，当前：已汇编）"
        assert titles("greencarbon.reviewer") == [overdue]  # the steward engaged for carbon
        assert titles("wuxing.viewer") == [overdue] and titles("city.inspector") == [overdue]
        assert titles("changxing.inspector") == []  # another district's bureau
        before = Notification.objects.count()
        send_annual_report_notices(cement, deadline + datetime.timedelta(days=9))
        assert Notification.objects.count() == before


@pytest.mark.django_db
def test_a_report_that_reached_the_bureau_is_not_chased():
    cement = Enterprise.objects.get(slug="wx-cement")
    deadline, _basis = annual_report_deadline(YEAR)
    with schema_context(cement.schema_name):
        report = services.send_for_review(
            report=selectors.current_report(YEAR), **who("cement.filer", cement)
        )
        document = services.approve_review(report=report, **who("greencarbon.reviewer", cement))
        services.sign(
            report=selectors.current_report(YEAR),
            password=PASSWORD,
            attested=True,
            document_sha256=document.sha256,
            **who("cement.signatory", cement),
        )
        assert send_annual_report_notices(cement, deadline - datetime.timedelta(days=3)) == 0
        assert send_annual_report_notices(cement, deadline + datetime.timedelta(days=3)) == 0


@pytest.mark.django_db
def test_an_enterprise_without_that_year_on_the_platform_is_not_chased():
    wood = Enterprise.objects.get(slug="aj-wood")
    deadline, _basis = annual_report_deadline(YEAR)
    with schema_context(wood.schema_name):
        assert send_annual_report_notices(wood, deadline + datetime.timedelta(days=3)) == 0


@pytest.mark.django_db
def test_the_daily_job_fans_out_one_task_per_enterprise_in_its_schema():
    deadline, _basis = annual_report_deadline(YEAR)
    day_after = (deadline + datetime.timedelta(days=1)).isoformat()
    assert deadline_notices(today=day_after) == Enterprise.objects.count()  # eager: each ran in its schema
    assert any("未报送" in title for title in titles("cement.filer"))
    assert titles("power.filer") == []  # no report and no months of that year on the platform
