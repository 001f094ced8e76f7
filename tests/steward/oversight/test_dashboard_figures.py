"""Issue 17: every figure of the bureau dashboard equals the same figure computed from the enterprises' own
schemas; a returned month is 已退回 (not "not submitted"); the on-time rate counts the months whose deadline
has passed, months never opened included, and nothing else."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from steward.compliance import selectors as compliance_selectors
from steward.filing.models import FilingEvent, FilingStatus, MonthlyFiling
from steward.formatting import percent, wan_tonnes
from steward.oversight.dashboard import Filters, build_dashboard
from steward.oversight.scope import bureau_codes
from tenants.deadlines import monthly_filing_deadline
from tenants.models import Enterprise, User
from tests.steward.oversight import test_read_model
from tests.steward.oversight.test_domain_projectors import COMPLIANCE_YEAR, record_compliance
from workflows import monthly_filing

paper_month = test_read_model.paper_month  # the fixture: the paper mill's June 2025, opened
submit_month = test_read_model.submit_month
PAPER_YEAR = 2025  # the paper mill's returned June (paper_month) and the demo cement plant's locked year


def city() -> set[str]:
    return bureau_codes(User.objects.get(username="city.viewer"))


def from_schemas(codes: set[str], year: int, today: datetime.date) -> dict:
    """The dashboard's figures, computed by opening every enterprise's schema (what the read model spares)."""
    expected = {
        "tco2": Decimal(0),
        "districts": {},
        "states": dict.fromkeys(["not_submitted", "in_review", "returned", "locked", "overdue"], 0),
        "due": 0,
        "on_time": 0,
        "grades": dict.fromkeys("12345", 0),
    }
    last = 12 if year < today.year else today.month - 1
    for enterprise in Enterprise.objects.filter(jurisdiction_id__in=codes).select_related("workspace"):
        with schema_context(enterprise.schema_name):
            versions: dict[int, list[MonthlyFiling]] = {}
            for filing in MonthlyFiling.objects.filter(year=year).order_by("month", "version"):
                versions.setdefault(filing.month, []).append(filing)
            submitted: dict[int, list[datetime.datetime]] = {}
            for filing_id, at in FilingEvent.objects.filter(
                filing__year=year, action=FilingEvent.Action.SUBMITTED
            ).values_list("filing_id", "at"):
                submitted.setdefault(filing_id, []).append(at)
            grading = compliance_selectors.carbon_efficiency(year).grading
        if grading is not None and grading.grade.grade is not None:
            expected["grades"][str(grading.grade.grade)] += 1
        district = expected["districts"].setdefault(
            enterprise.jurisdiction_id, {"tco2": Decimal(0), "due": 0, "on_time": 0}
        )
        obligated = enterprise.in_national_carbon_market or bool(versions)
        for month in range(1, 13):
            months = versions.get(month)
            if not months:
                deadline, _policy = monthly_filing_deadline(enterprise, year, month)
                if obligated and month <= last and deadline < today:
                    expected["states"]["overdue"] += 1
                    expected["due"] += 1
                    district["due"] += 1
                continue
            current = months[-1]
            locked = [v for v in months if v.status == FilingStatus.LOCKED]
            if locked:
                total = Decimal(locked[-1].sealed_payload["result"]["total_tco2"]).quantize(Decimal("0.0001"))
                expected["tco2"] += total
                district["tco2"] += total
            first = min((at for v in months for at in submitted.get(v.pk, [])), default=None)
            late = bool(first and first.date() > months[0].deadline)
            if current.status in ("locked", "in_review", "returned"):
                state = current.status
            elif locked:
                state = "locked"
            else:
                state = "overdue" if current.deadline < today else "not_submitted"
            expected["states"][state] += 1
            if current.deadline < today:
                expected["due"] += 1
                district["due"] += 1
                if not late and (first or current.status in ("in_review", "locked") or locked):
                    expected["on_time"] += 1
                    district["on_time"] += 1
    connection.set_schema_to_public()
    return expected


def return_month(paper_month) -> MonthlyFiling:
    """The paper mill's June 2025, computed, submitted and returned by its steward through the workflow."""
    enterprise, filing, _coal, (filer, filer_grant), (steward, steward_grant) = paper_month
    filing = submit_month(enterprise, filing, filer, filer_grant)
    filing = monthly_filing.return_for_changes(
        filing=filing, comments={"燃煤": "请补充入炉煤化验报告"}, by=steward, grant=steward_grant
    )
    connection.set_schema_to_public()
    return filing


def text_of(page: str, testid: str) -> str:
    found = re.search(rf'data-testid="{re.escape(testid)}"[^>]*>([^<]*)<', page)
    assert found, testid
    return found.group(1).strip()


@pytest.mark.django_db
def test_every_dashboard_figure_equals_the_enterprises_own_schemas(user_client, paper_month):
    returned = return_month(paper_month)  # 2025: the demo cement plant's locked year, the paper mill's return
    record_compliance("cx-power", "power.filer")  # locked months and a 碳效 grade in COMPLIANCE_YEAR
    today = timezone.localdate()
    codes = city()
    client = user_client("city.viewer")
    for year in (COMPLIANCE_YEAR, PAPER_YEAR):
        expected = from_schemas(codes, year, today)
        board = build_dashboard(codes, Filters(year=year), today=today)
        assert board.total_tco2 == expected["tco2"]
        assert (board.due, board.due_on_time) == (expected["due"], expected["on_time"])
        assert {row["state"]: row["months"] for row in board.states} == expected["states"]
        assert {row["grade"]: row["enterprises"] for row in board.grades["rows"]} == expected["grades"]
        districts = {
            row["jurisdiction_id"]: {
                "tco2": row["tco2"] or Decimal(0),
                "due": row["due"],
                "on_time": row["due_on_time"],
            }
            for row in board.by_district
        }
        shown = {
            code: figures
            for code, figures in expected["districts"].items()
            if figures["due"] or figures["tco2"]
        }
        assert {
            code: figures for code, figures in districts.items() if figures["due"] or figures["tco2"]
        } == shown

        page = client.get(f"/bureau/?year={year}").content.decode()
        assert text_of(page, "total-tco2") == wan_tonnes(expected["tco2"])
        rate = Decimal(expected["on_time"]) / expected["due"] if expected["due"] else None
        assert text_of(page, "on-time-rate") == percent(rate)
        assert text_of(page, "on-time-parts") == f"{expected['on_time']} / {expected['due']}"
        for grade, count in expected["grades"].items():
            assert text_of(page, f"grade-count-{grade}") == str(count)
        for code, figures in shown.items():
            # a district without a sealed month shows no figure ("—"), not 0
            assert text_of(page, f"district-tco2-{code}") == (
                wan_tonnes(figures["tco2"]) if figures["tco2"] else "—"
            )
        for state, count in expected["states"].items():
            assert text_of(page, f"state-{state}") == str(count)
    assert expected["states"]["returned"] >= 1  # the demo month returned above
    page = client.get(f"/bureau/?year={PAPER_YEAR}&state=returned").content.decode()
    assert text_of(page, f"state-of-nth-paper-{returned.month}") == "已退回"


@pytest.mark.django_db
def test_returned_is_shown_as_returned_and_the_on_time_rate_counts_only_months_past_their_deadline(
    make_fact, user_client, clock
):
    clock("2022-06-15T10:00")
    today = datetime.date(2022, 6, 15)
    submitted = datetime.datetime(2022, 2, 1, 2, tzinfo=datetime.UTC)

    def deadline(month: int) -> datetime.date:
        return monthly_filing_deadline(Enterprise.objects.get(slug="cx-power"), 2022, month)[0]

    make_fact(
        "cx-power",
        2022,
        1,
        deadline=deadline(1),
        first_submitted_at=submitted,
        waived_findings=1,
        acknowledged_findings=2,
    )
    make_fact(  # submitted on time, returned for correction: 已退回, and on time
        "cx-power",
        2022,
        2,
        status="returned",
        deadline=deadline(2),
        first_submitted_at=submitted.replace(month=3),
        returned_count=1,
    )
    make_fact("cx-power", 2022, 3, status="draft", deadline=deadline(3))  # past its deadline: 逾期
    # April has no filing at all although due on 9 June: 逾期, in the denominator
    make_fact(  # submitted early, deadline still ahead: neither on time nor late yet
        "cx-power",
        2022,
        5,
        status="in_review",
        deadline=deadline(5),
        first_submitted_at=submitted.replace(month=6),
    )
    make_fact("wx-cement", 2022, 1, submitted_late=True, deadline=datetime.date(2022, 3, 12))

    power = build_dashboard(city(), Filters(year=2022, enterprise="cx-power"), today=today)
    assert {row["state"]: row["months"] for row in power.states} == {
        "not_submitted": 0,
        "in_review": 1,
        "returned": 1,
        "locked": 1,
        "overdue": 2,
    }
    assert (power.due, power.due_on_time, power.on_time_rate) == (4, 2, Decimal("0.5"))
    assert [row.month for row in power.missing] == [4]
    assert power.overdue == 3  # the card: March and April, and February returned past its deadline
    cement = build_dashboard(city(), Filters(year=2022, enterprise="wx-cement"), today=today)
    # January late; February to April never opened although the plant is in the national market
    assert (cement.due, cement.due_on_time, [row.month for row in cement.missing]) == (4, 0, [2, 3, 4])

    client = user_client("city.viewer")
    page = client.get("/bureau/?year=2022&enterprise=cx-power").content.decode()
    assert text_of(page, "state-of-cx-power-2") == "已退回"
    assert text_of(page, "state-of-cx-power-3") == "逾期"
    assert text_of(page, "state-of-cx-power-4") == "逾期"  # the month never opened is listed
    assert text_of(page, "state-of-cx-power-5") == "审核中"
    assert text_of(page, "on-time-rate") == "50.0%" and text_of(page, "on-time-parts") == "2 / 4"
    assert "截止日期已过的月份" in text_of(page, "on-time-note")
    assert "/e/cx-power/filing/2022/2/" not in page  # a returned month is not opened to the bureau
    # The drill-down: breadcrumbs back to the city, the district and the industry; the month's findings.
    month = client.get("/bureau/?year=2022&district=330522&industry=4411&enterprise=cx-power&month=1")
    crumbs = re.findall(
        r'<li class="breadcrumb-item[^"]*"[^>]*>(?:<a href="([^"]*)">)?([^<]*)<', month.content.decode()
    )
    labels = [label for _href, label in crumbs]
    assert (
        len(labels) == 5
        and labels[:2] == ["全市", "长兴县"]
        and labels[3:] == ["长兴湖能发电有限公司", "1月"]
    )
    assert crumbs[0][0] == "?year=2022" and crumbs[1][0] == "?year=2022&amp;district=330522"
    assert 'data-testid="month-detail"' in month.content.decode()
    # the enterprise's other months stay listed below the month's detail, with their findings
    assert 'data-testid="row-cx-power-2"' in month.content.decode()
    assert text_of(month.content.decode(), "findings-cx-power-1") == "3"  # 1 waived + 2 acknowledged


@pytest.mark.django_db
def test_the_dashboard_reads_in_english(user_client, settings):
    client = user_client("city.viewer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/bureau/").content.decode()
    for text in (
        "Whole city",
        "On-time rate",
        "Emissions trend",
        "Carbon-efficiency code grades",
        "Not submitted",
    ):
        assert text in page, text


@pytest.mark.django_db
def test_a_late_annual_report_is_flagged_with_its_days_late(user_client):
    """The demo cement plant's year (due 31 March) is not submitted: 逾期未报送 N days; once signed and
    submitted today, the read model holds its days late and the dashboard flags it as 逾期报送."""
    from steward.annual import selectors as annual_selectors
    from steward.demo import DEMO_PASSWORD
    from tests.steward.oversight.test_domain_projectors import ANNUAL_YEAR, who
    from workflows import annual_report

    cement = Enterprise.objects.select_related("workspace").get(slug="wx-cement")
    today = timezone.localdate()
    filters = Filters(year=ANNUAL_YEAR, enterprise="wx-cement")
    with schema_context(cement.schema_name):
        due = annual_selectors.current_report(ANNUAL_YEAR).deadline
    connection.set_schema_to_public()
    assert due < today
    [pending] = build_dashboard(city(), filters).annual.listed
    assert (pending["submitted"], pending["days_late"]) == (False, (today - due).days)
    with schema_context(cement.schema_name):
        report = annual_selectors.current_report(ANNUAL_YEAR)
        report = annual_report.send_for_review(report=report, **who("cement.filer", cement))
        document = annual_report.approve_review(report=report, **who("greencarbon.manager", cement))
        annual_report.sign(
            report=report,
            password=DEMO_PASSWORD,
            attested=True,
            document_sha256=document.sha256,
            **who("cement.signatory", cement),
        )
    connection.set_schema_to_public()
    [late] = build_dashboard(city(), filters).annual.listed
    assert (late["submitted"], late["days_late"]) == (True, (today - due).days)
    page = user_client("city.viewer").get(f"/bureau/?year={ANNUAL_YEAR}").content.decode()
    row = re.search(r'data-testid="annual-late-wx-cement">(.*?)</tr>', page, re.S).group(1)
    assert "逾期报送" in row and f"逾期 {(today - due).days} 天" in row and due.isoformat() in row


@pytest.mark.django_db
def test_the_page_lists_the_most_overdue_annual_reports_and_counts_them_all():
    """The page lists the first of the late annual reports (most days late first) and says how many there
    are; the export holds every one of them, in the same order."""
    from tests.steward.oversight.test_domain_projectors import ANNUAL_YEAR

    filters = Filters(year=ANNUAL_YEAR)
    every = build_dashboard(city(), filters, annual_limit=None).annual
    assert every.count == len(every.listed) >= 2  # the demo's market units have not reported that year
    days = [item["days_late"] for item in every.listed]
    assert days == sorted(days, reverse=True)
    first = build_dashboard(city(), filters, annual_limit=1).annual
    assert first.count == every.count
    assert [item["enterprise"] for item in first.listed] == [every.listed[0]["enterprise"]]
