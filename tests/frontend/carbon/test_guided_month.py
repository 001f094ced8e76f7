"""The guided month page: 录入 → 核算 → 检查 → 提交 on one page; findings link to the field that fixes them;
warnings get their note and the month is submitted in one action; a blocking finding the filer cannot fix is
sent to the reviewer as a waiver request; submit is offered only when the service would accept it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from steward.carbon import services as carbon
from steward.filing.models import FilingFinding, FilingStatus, MonthlyFiling
from steward.filing.progress import month_steps
from steward.quality.registry import Finding
from tenants.access import workspace_access
from tenants.models import Enterprise, Notification, User
from workflows import monthly_filing

pytestmark = pytest.mark.django_db
YEAR, MONTH = 2025, 6
PAGE = f"/e/nth-paper/carbon/{YEAR}/{MONTH}/"


@pytest.fixture
def paper():
    enterprise = Enterprise.objects.get(slug="nth-paper")
    filer = User.objects.get(username="paper.filer")
    with schema_context(enterprise.schema_name):
        facility = carbon.add_facility(code="GB1", name="1号锅炉", kind="boiler")
        coal = carbon.add_source(
            facility=facility,
            code="GB1-COAL",
            name="锅炉烟煤",
            kind="fuel_combustion",
            fuel_code="bituminous_coal",
            unit="t",
        )
    return enterprise, filer, coal


def _enter(enterprise, filer, coal, **parameters):
    with schema_context(enterprise.schema_name):
        carbon.record_activity(
            source=coal,
            year=YEAR,
            month=MONTH,
            quantity=Decimal("850"),
            unit="t",
            data_source="production_metering",
            parameters=[
                carbon.ParameterInput(name, value, unit) for name, (value, unit) in parameters.items()
            ],
            entered_by=filer,
        )


def _status(enterprise) -> str | None:
    with schema_context(enterprise.schema_name):
        filing = MonthlyFiling.objects.filter(year=YEAR, month=MONTH).order_by("-version").first()
        return filing.status if filing else None


def _section(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start : start + 20000]


def test_an_entered_month_is_submitted_in_one_action_with_its_warning_notes(paper, user_client):
    enterprise, filer, coal = paper
    _enter(enterprise, filer, coal)
    client = user_client("paper.filer")
    page = client.get(PAGE).content.decode()
    assert "8.5E+2" not in page and "850.00 t" in page  # formatted, never exponent notation
    assert "烟煤" in page and "bituminous_coal" not in page  # the fuel by its name
    steps = _section(page, "month-steps")
    assert 'data-step="entry" data-state="done"' in steps
    assert 'data-testid="submit-month"' in page
    notes = {name: "系统上线前的历史月份补录" for name in re.findall(r'name="(note:[0-9a-f]{12})"', page)}
    assert notes, "June 2025 is past its deadline: DQ-T01 asks for a note"

    refused = client.post(f"/e/nth-paper/filing/{YEAR}/{MONTH}/submit-month/", {})
    assert refused.status_code == 400 and _status(enterprise) in (None, FilingStatus.DRAFT)
    text = refused.content.decode()
    assert "请填写原因说明" in text and "尚不能提交" in text  # beside the finding, in Chinese

    response = client.post(f"/e/nth-paper/filing/{YEAR}/{MONTH}/submit-month/", notes)
    assert response.status_code == 302
    assert _status(enterprise) == FilingStatus.IN_REVIEW
    reviewer = User.objects.get(username="qingyuan.reviewer")
    assert reviewer.notifications.filter(title__contains="待您审核").exists()
    after = client.get(PAGE).content.decode()
    assert 'data-step="submit" data-state="done"' in after and 'data-testid="submit-month"' not in after


def test_a_blocking_finding_hides_submit_and_goes_to_the_reviewer_as_a_waiver_request(paper, user_client):
    enterprise, filer, coal = paper
    _enter(enterprise, filer, coal, ncv=(Decimal("20.9"), "GJ/t"))  # a measured NCV without its lab report
    client = user_client("paper.filer")
    page = client.get(PAGE).content.decode()
    assert 'data-testid="submit-month"' not in page and 'data-testid="submit-unavailable"' in page
    assert "低位发热量没有关联检测报告" in page and " ncv " not in page  # the parameter by its label
    assert 'data-step="check" data-state="blocked"' in page
    findings = _section(page, "findings")
    assert 'href="#source-GB1-COAL"' in findings and 'id="source-GB1-COAL"' in page  # finding → its field
    token = re.search(r'data-testid="finding-DQ-E01-GB1-COAL" data-token="([0-9a-f]{12})"', page)[1]

    response = client.post(
        f"/e/nth-paper/filing/{YEAR}/{MONTH}/request-waiver/",
        {"finding": token, "reason": "检测机构停业，本月化验报告无法取得"},
    )
    assert response.status_code == 302
    with schema_context(enterprise.schema_name):
        finding = FilingFinding.objects.get(rule_id="DQ-E01", item="GB1-COAL", filing__year=YEAR)
        assert finding.waiver_requested_reason == "检测机构停业，本月化验报告无法取得"
        assert finding.waiver_requested_by == filer
    reviewer = User.objects.get(username="qingyuan.reviewer")
    task = reviewer.notifications.get(title__contains="申请豁免")
    assert task.kind == Notification.Kind.TASK and "检测机构停业" in task.title
    assert "已申请豁免，待审核人决定" in client.get(PAGE).content.decode()

    with schema_context(enterprise.schema_name):  # the reviewer waives it on the filing page
        monthly_filing.waive(
            finding=finding,
            reason="同意：以缺省值计，下月补报告",
            by=reviewer,
            grant=workspace_access(reviewer, enterprise),
        )
    page = client.get(PAGE).content.decode()
    assert 'data-testid="submit-month"' in page and "已豁免" in page


def test_a_waiver_request_needs_its_reason(paper, user_client):
    enterprise, filer, coal = paper
    _enter(enterprise, filer, coal, ncv=(Decimal("20.9"), "GJ/t"))
    client = user_client("paper.filer")
    page = client.get(PAGE).content.decode()
    token = re.search(r'data-testid="finding-DQ-E01-GB1-COAL" data-token="([0-9a-f]{12})"', page)[1]
    response = client.post(
        f"/e/nth-paper/filing/{YEAR}/{MONTH}/request-waiver/", {"finding": token, "reason": " "}
    )
    assert response.status_code == 400 and "申请豁免须说明无法修正的原因" in response.content.decode()


def test_steps_follow_the_month():
    blocking = Finding("DQ-E01", "blocking", "evidence", "S1", "缺少检测报告", "")
    warning = Finding("DQ-T01", "warning", "timeliness", "month", "逾期", "")
    empty = month_steps(sources=2, entered=0, run_exists=False, run_stale=False, findings=[], filing=None)
    assert [step.state for step in empty] == ["todo", "todo", "todo", "todo"]
    partial = month_steps(
        sources=2, entered=1, run_exists=True, run_stale=True, findings=[blocking, warning], filing=None
    )
    assert [step.state for step in partial] == ["current", "current", "blocked", "todo"]
    ready = month_steps(
        sources=2, entered=2, run_exists=True, run_stale=False, findings=[warning], filing=None
    )
    assert [step.state for step in ready] == ["done", "done", "current", "current"]
    in_review = MonthlyFiling(year=YEAR, month=MONTH, status=FilingStatus.IN_REVIEW)
    submitted = month_steps(
        sources=2, entered=2, run_exists=True, run_stale=False, findings=[warning], filing=in_review
    )
    assert submitted[-1].state == "done" and submitted[-1].detail == "已提交，审核中"


def test_a_figure_is_saved_in_place_and_the_steps_and_checks_follow(paper, user_client):
    enterprise, filer, coal = paper
    client = user_client("paper.filer")
    page = client.get(PAGE).content.decode()
    assert 'hx-post="' + PAGE + '"' in page and 'data-step="entry" data-state="todo"' in page
    form = {
        f"s{coal.pk}-quantity": "850",
        f"s{coal.pk}-unit": "t",
        f"s{coal.pk}-data_source": "production_metering",
        f"s{coal.pk}-version": "0",
        f"s{coal.pk}-ncv_unit": "GJ/t",
        "source": str(coal.pk),
    }
    response = client.post(PAGE, form, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<tr id="source-GB1-COAL"')  # only the row, the steps and the checks
    assert (
        "850.00 t" in html and 'hx-swap-oob="true"' in html and 'data-step="entry" data-state="done"' in html
    )
    assert "<html" not in html and "已保存：锅炉烟煤" in html
    with schema_context(enterprise.schema_name):
        assert coal.records.get(year=YEAR, month=MONTH).quantity == Decimal("850")

    refused = client.post(PAGE, {**form, f"s{coal.pk}-quantity": "-1"}, HTTP_HX_REQUEST="true")
    text = refused.content.decode()
    assert refused.status_code == 200 and text.lstrip().startswith('<tr id="source-GB1-COAL"')
    assert 'class="errorlist' in text  # the refusal beside the field, in the row
