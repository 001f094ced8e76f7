"""The steward's queue page (/queue/) and its bulk approval, which goes through the monthly filing workflow."""

import pytest
from django_tenants.utils import schema_context

from steward.filing.models import FilingFinding, FilingStatus, MonthlyFiling
from tenants.models import Enterprise
from tests.steward.filing.test_filing_flow import enter_month, person
from workflows import monthly_filing


def _submitted(enterprise, month: int) -> MonthlyFiling:
    """The paper mill's month of 2025, entered, checked, its warnings explained (blocking findings waived by
    the steward) and submitted for review."""
    filer, grant = person("paper.filer", enterprise)
    enter_month(enterprise, 2025, month, filer)
    filing = monthly_filing.open_filing(enterprise=enterprise, year=2025, month=month, by=filer)
    monthly_filing.run_checks(enterprise=enterprise, filing=filing, by=filer)
    steward, steward_grant = person("qingyuan.reviewer", enterprise)
    for finding in monthly_filing.open_findings(filing):
        if finding.severity == "warning":
            monthly_filing.acknowledge(finding=finding, comment="迟报原因：系统切换", by=filer, grant=grant)
        else:
            monthly_filing.waive(finding=finding, reason="新增锅炉，已核实", by=steward, grant=steward_grant)
    return monthly_filing.submit(enterprise=enterprise, filing=filing, by=filer, grant=grant)


@pytest.fixture
def paper():
    enterprise = Enterprise.objects.get(slug="nth-paper")  # qingyuan reviews its carbon
    with schema_context(enterprise.schema_name):
        clean = _submitted(enterprise, 6)
        blocked = _submitted(enterprise, 7)
        FilingFinding.objects.create(  # recorded after submission: the month may not be sealed over it
            filing=blocked,
            rule_id="DQ-B09",
            severity="blocking",
            category="completeness",
            item="month",
            message="缺少化验报告",
            clause="测试",
        )
        returned = _submitted(enterprise, 8)
        resubmitted = _submitted(enterprise, 9)
    return {
        "enterprise": enterprise,
        "clean": clean,
        "blocked": blocked,
        "returned": returned,
        "again": resubmitted,
    }


def _rows(html: str) -> int:
    return html.count('data-testid="queue-item"')


@pytest.mark.django_db
def test_the_queue_page_lists_and_filters_the_stewards_items(user_client, paper):
    client = user_client("qingyuan.reviewer")
    html = client.get("/queue/").content.decode()
    assert 'data-testid="queue-link"' in html  # the steward's nav has the queue
    assert _rows(html) == 4 and paper["enterprise"].name_zh in html
    assert "月度存证审核" in html and "审核中" in html and "filing_review" in html
    assert html.count('data-testid="approve-checkbox"') == 3  # the month with a blocking finding has none
    assert "2025年7月" in html and 'href="/e/nth-paper/filing/2025/6/"' in html
    assert "分派给我" in html
    assert "1 项阻断问题" in html  # why July has no checkbox
    assert "提交于 " in html
    assert _rows(client.get("/queue/?assigned=others").content.decode()) == 0
    assert _rows(client.get("/queue/?kind=reopen").content.decode()) == 0
    assert _rows(client.get("/queue/?enterprise=nth-paper&status=in_review").content.decode()) == 4
    assert _rows(client.get("/queue/?overdue=1").content.decode()) == 4  # 2025 deadlines are long past
    assert "没有符合筛选条件的事项" in client.get("/queue/?kind=annual_review").content.decode()


@pytest.mark.django_db
def test_enterprise_people_have_no_queue(user_client):
    client = user_client("paper.filer")
    assert client.get("/queue/").status_code == 403
    assert 'data-testid="queue-link"' not in client.get("/home/").content.decode()


@pytest.mark.django_db
def test_bulk_approve_approves_what_may_be_approved_and_reports_every_refusal(user_client, paper):
    enterprise = paper["enterprise"]
    client = user_client("qingyuan.reviewer")
    html = client.get("/queue/").content.decode()
    keys = {
        name: next(value for value in _keys(html) if f"|{paper[name].pk}|" in value)
        for name in ("clean", "returned", "again")
    }
    blocked_key = f"nth-paper|{paper['blocked'].pk}|{paper['blocked'].submitted_at.isoformat()}"
    steward, grant = person("qingyuan.reviewer", enterprise)
    with schema_context(enterprise.schema_name):
        # Meanwhile, in another tab: August is returned; September returned and submitted again.
        monthly_filing.return_for_changes(
            filing=paper["returned"], comments={"month": "请核对"}, by=steward, grant=grant
        )
        again = monthly_filing.return_for_changes(
            filing=paper["again"], comments={"month": "请核对"}, by=steward, grant=grant
        )
        filer, filer_grant = person("paper.filer", enterprise)
        monthly_filing.submit(enterprise=enterprise, filing=again, by=filer, grant=filer_grant)

    response = client.post(
        "/queue/approve/",
        {
            "item": [keys["clean"], blocked_key, keys["returned"], keys["again"]],
            "next": "/queue/?kind=filing_review",
        },
        follow=True,
    )
    assert response.status_code == 200 and response.redirect_chain[-1][0] == "/queue/?kind=filing_review"
    shown = [str(message) for message in response.context["messages"]]
    assert any("2025年6月：已审核通过并锁定" in text for text in shown)
    assert any("2025年7月" in text and "不能审核通过" in text and "DQ-B09" in text for text in shown)
    assert any("2025年8月" in text and "已被他人处理" in text and "已退回" in text for text in shown)
    assert any("2025年9月" in text and "已重新提交" in text for text in shown)
    with schema_context(enterprise.schema_name):
        status = dict(MonthlyFiling.objects.filter(year=2025).values_list("month", "status"))
    assert status[6] == FilingStatus.LOCKED
    assert status[7] == status[9] == FilingStatus.IN_REVIEW  # refused; the new submission awaits a look
    assert status[8] == FilingStatus.RETURNED


@pytest.mark.django_db
def test_bulk_approve_of_another_firms_client_is_refused(user_client, paper):
    key = f"nth-paper|{paper['clean'].pk}|{paper['clean'].submitted_at.isoformat()}"
    response = user_client("greencarbon.reviewer").post("/queue/approve/", {"item": [key]}, follow=True)
    assert any("无权审核" in str(message) for message in response.context["messages"])
    with schema_context(paper["enterprise"].schema_name):
        assert MonthlyFiling.objects.get(pk=paper["clean"].pk).status == FilingStatus.IN_REVIEW


def _keys(html: str) -> list[str]:
    import re

    return re.findall(r'name="item" value="([^"]+)"', html)


@pytest.mark.django_db
def test_the_queue_reads_in_english(user_client, paper):
    client = user_client("qingyuan.reviewer")
    client.cookies["django_language"] = "en"
    html = client.get("/queue/").content.decode()
    assert "Review queue" in html and "Monthly filing review" in html and "Assigned to me" in html
    assert "1 blocking finding" in html and "days late" in html  # 逾期 N 天 through its plural entry
