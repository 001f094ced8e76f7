"""Issue 7: the annual report, compliance position and grade, and pollutant exceedances in the read model.

Every figure is made through the domains' services (or is the demo world's), projected by the domain's own
projector inside the service's transaction, and compared with the workspace (`projection.check`). Counts on
the dashboard are compared before and after, so rows other suites may have committed do not matter.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from steward.annual import selectors as annual_selectors
from steward.compliance import selectors as compliance_selectors
from steward.compliance import services as compliance_services
from steward.compliance.reference.models import ReferenceRelease
from steward.demo import DEMO_PASSWORD
from steward.demo.period import last_month
from steward.demo.pollution import build_power_plant
from steward.evidence.models import EvidenceFile
from steward.filing.models import FilingStatus, MonthlyFiling
from steward.oversight import projection
from steward.oversight.dashboard import Filters, build_dashboard, bureau_metrics
from steward.oversight.models import Metric
from steward.oversight.portfolio import build_portfolio
from steward.oversight.scope import bureau_codes
from steward.pollution import compliance as pollution_compliance
from steward.pollution.services import current_permit
from tenants.access import workspace_access
from tenants.models import Engagement, Enterprise, User
from workflows import annual_report as annual_services

ANNUAL_YEAR = last_month()[0] - 1  # the demo cement plant's fully locked year
COMPLIANCE_YEAR = 2024  # no demo records in 2024
LAST = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)  # the pollution demo's month


def enterprise(slug: str) -> Enterprise:
    return Enterprise.objects.select_related("workspace").get(slug=slug)


def metrics(slug: str, key: str) -> dict[tuple[int, int], tuple]:
    rows = Metric.objects.filter(enterprise__slug=slug, key=key)
    return {(m.year, m.month): (m.value, m.label) for m in rows}


def city() -> set[str]:
    return bureau_codes(User.objects.get(username="city.viewer"))


def who(name: str, ent: Enterprise) -> dict:
    user = User.objects.get(username=name)
    return {"by": user, "grant": workspace_access(user, ent), "enterprise": ent}


def lock_month(year: int, month: int, total: str) -> MonthlyFiling:
    """A month as the monthly workflow leaves it once locked (sealed payload with the month's total)."""
    return MonthlyFiling.objects.create(
        year=year,
        month=month,
        version=1,
        status=FilingStatus.LOCKED,
        deadline=datetime.date(year, month, 28),
        locked_at=timezone.now(),
        sealed_payload={"year": year, "month": month, "result": {"run": 0, "total_tco2": total}},
        seal="a" * 64,
    )


def record_compliance(slug: str, filer: str) -> None:
    """Jan–Mar locked at 80,000 t, a pre-allocation of 877,000 t and value added, all through the services."""
    release = ReferenceRelease.current()
    with schema_context(enterprise(slug).schema_name):
        for month in (1, 2, 3):
            lock_month(COMPLIANCE_YEAR, month, "80000.00")
        compliance_services.record_allocation(
            year=COMPLIANCE_YEAR,
            stage="pre",
            benchmark=release.benchmarks.get(unit_category="coal_300mw_plus"),
            policy=release.policies.get(sector="power", compliance_year=COMPLIANCE_YEAR),
            output_mwh=Decimal("1000000"),
            entered_by=User.objects.get(username=filer),
        )
        compliance_services.record_value_added(
            year=COMPLIANCE_YEAR,
            value_added_10k_cny=Decimal("80000"),
            industry_average_l=Decimal("10"),
            industry_average_source="行业平均值（测试）",
            evidence=EvidenceFile.objects.first(),
            entered_by=User.objects.get(username=filer),
        )
    connection.set_schema_to_public()


def load_power_pollution() -> None:
    with schema_context(enterprise("cx-power").schema_name):
        build_power_plant(
            LAST.year, LAST.month, User.objects.get(username="power.filer"), cems_months=[LAST.month]
        )
    connection.set_schema_to_public()


@pytest.mark.django_db
def test_annual_report_status_follows_the_transitions_and_reaches_the_bureau_only_once_submitted():
    cement = enterprise("wx-cement")
    filters = Filters(year=ANNUAL_YEAR)
    bureau = bureau_metrics(city(), filters).filter(enterprise=cement, key="annual_report_status")
    # The demo compiled the year through the service: the steward sees it, the bureau does not.
    assert metrics("wx-cement", "annual_report_status")[(ANNUAL_YEAR, 0)] == (None, "compiled")
    assert not bureau.exists()
    submitted_before = _annual_count(filters, "submitted")
    with schema_context(cement.schema_name):
        report = annual_selectors.current_report(ANNUAL_YEAR)
        report = annual_services.send_for_review(report=report, **who("cement.filer", cement))
        assert projection.check([cement]) == []
        assert metrics("wx-cement", "annual_report_status")[(ANNUAL_YEAR, 0)][1] == "in_review"
        document = annual_services.approve_review(report=report, **who("greencarbon.manager", cement))
        assert metrics("wx-cement", "annual_report_status")[(ANNUAL_YEAR, 0)][1] == "awaiting_signature"
        assert not bureau.exists()  # still the enterprise's and its steward's business
        annual_services.sign(
            report=report,
            password=DEMO_PASSWORD,
            attested=True,
            document_sha256=document.sha256,
            **who("cement.signatory", cement),
        )
    connection.set_schema_to_public()
    assert metrics("wx-cement", "annual_report_status")[(ANNUAL_YEAR, 0)][1] == "submitted"
    assert list(bureau.values_list("label", flat=True)) == ["submitted"]
    assert _annual_count(filters, "submitted") == submitted_before + 1
    board = build_dashboard(city(), filters)
    assert [group["label"] for group in board.metrics["annual_report_status"]["groups"]][:2] == [
        "submitted",
        "accepted",
    ]
    assert not {"compiled", "in_review", "awaiting_signature"} & {
        group["label"] for group in board.metrics["annual_report_status"]["groups"]
    }
    with schema_context(cement.schema_name):
        report = annual_selectors.current_report(ANNUAL_YEAR)
        annual_services.accept(report=report, **who("city.inspector", cement))
    connection.set_schema_to_public()
    assert metrics("wx-cement", "annual_report_status")[(ANNUAL_YEAR, 0)][1] == "accepted"
    assert projection.check([cement]) == []
    # The steward's portfolio shows the status for the carbon-scope client.
    portfolio = build_portfolio(User.objects.get(username="greencarbon.reviewer"), year=ANNUAL_YEAR)
    row = next(row for row in portfolio.rows if row.enterprise.slug == "wx-cement")
    keys = [column.key for column in portfolio.columns]
    assert row.cells(portfolio.columns)[keys.index("annual_report_status")].label == "accepted"


def _annual_count(filters: Filters, label: str) -> int:
    groups = build_dashboard(city(), filters).metrics.get("annual_report_status", {"groups": []})["groups"]
    return next((group["enterprises"] for group in groups if group["label"] == label), 0)


@pytest.mark.django_db
def test_compliance_position_and_grade_are_projected_by_the_records_services(user_client):
    power = enterprise("cx-power")
    before = build_dashboard(city(), Filters(year=COMPLIANCE_YEAR)).metrics
    record_compliance("cx-power", "power.filer")
    with schema_context(power.schema_name):
        position = compliance_selectors.year_position(COMPLIANCE_YEAR).position
        grading = compliance_selectors.carbon_efficiency(COMPLIANCE_YEAR).grading
    connection.set_schema_to_public()
    surplus = position.surplus.quantize(Decimal("0.0001"))
    label = "deficit" if surplus < 0 else "surplus"
    assert metrics("cx-power", "compliance_position") == {(COMPLIANCE_YEAR, 0): (surplus, label)}
    grade = str(grading.grade.grade)
    assert metrics("cx-power", "carbon_efficiency_grade") == {(COMPLIANCE_YEAR, 0): (None, grade)}
    assert metrics("cx-power", "carbon_efficiency_level") == {
        (COMPLIANCE_YEAR, 0): (None, grading.level.label)
    }
    assert projection.check([power]) == []
    # A rebuild gives the same rows, and a correction is projected in its own transaction.
    projection.rebuild([power])
    assert projection.check([power]) == []

    board = build_dashboard(city(), Filters(year=COMPLIANCE_YEAR)).metrics
    grades = board["carbon_efficiency_grade"]["groups"]
    assert [group["label"] for group in grades][:5] == ["1", "2", "3", "4", "5"]  # every grade, even at 0

    def count(metrics_, key, label):
        groups = metrics_.get(key, {"groups": []})["groups"]
        return next((group["enterprises"] for group in groups if group["label"] == label), 0)

    assert (
        count(board, "carbon_efficiency_grade", grade) == count(before, "carbon_efficiency_grade", grade) + 1
    )
    assert count(board, "compliance_position", label) == count(before, "compliance_position", label) + 1
    page = user_client("city.viewer").get(f"/bureau/?year={COMPLIANCE_YEAR}").content.decode()
    assert 'data-testid="metric-carbon_efficiency_grade"' in page
    for number in range(1, 6):
        assert f'data-testid="metric-carbon_efficiency_grade-{number}"' in page
    assert f'data-testid="metric-compliance_position-{label}"' in page
    levels = board["carbon_efficiency_level"]["groups"]
    assert [str(group["text"]) for group in levels][:3] == ["低碳", "中碳", "高碳"]  # every level, even at 0
    assert count(board, "carbon_efficiency_level", grading.level.label) == (
        count(before, "carbon_efficiency_level", grading.level.label) + 1
    )
    assert f'data-testid="metric-carbon_efficiency_level-{grading.level.label}"' in page

    portfolio = build_portfolio(User.objects.get(username="greencarbon.reviewer"), year=COMPLIANCE_YEAR)
    row = next(row for row in portfolio.rows if row.enterprise.slug == "cx-power")
    cells = dict(zip([column.key for column in portfolio.columns], row.cells(portfolio.columns), strict=True))
    assert cells["compliance_position"].value == surplus and cells["carbon_efficiency_grade"].label == grade


@pytest.mark.django_db
def test_exceedances_and_permit_use_are_projected_from_the_imported_monitoring_data():
    power = enterprise("cx-power")
    filters = Filters(year=LAST.year, month=LAST.month)

    def district_total() -> Decimal:
        rows = build_dashboard(city(), filters).metrics.get("exceedances", {"by_district": []})["by_district"]
        return next((row["total"] for row in rows if row["jurisdiction_id"] == power.jurisdiction_id), 0)

    before = district_total()
    load_power_pollution()  # the permit and the month's CEMS file, through the pollution services
    with schema_context(power.schema_name):
        permit = current_permit()
        found = pollution_compliance.exceedances(permit, LAST.year, LAST.month)
        shares = pollution_compliance.cumulative(permit, LAST.year, LAST.month)
    connection.set_schema_to_public()
    exceedances = metrics("cx-power", "exceedances")
    assert exceedances[(LAST.year, LAST.month)] == (Decimal(len(found)), "")
    if shares:
        value, status = metrics("cx-power", "permitted_amount_use")[(LAST.year, 0)]
        assert value == (max(row.share for row in shares) * 100).quantize(Decimal("0.01"))
        assert status in {row.status for row in shares}
    assert projection.check([power]) == []
    assert district_total() == before + len(found)


def environmental_columns(portfolio) -> set[str]:
    return {column.key for column in portfolio.columns if column.scope == "environmental"}


def carbon_columns(portfolio) -> set[str]:
    return {column.key for column in portfolio.columns if column.scope == "carbon"}


def cells_by_key(portfolio, slug: str) -> dict:
    row = next(row for row in portfolio.rows if row.enterprise.slug == slug)
    return dict(zip([column.key for column in portfolio.columns], row.cells(portfolio.columns), strict=True))


@pytest.mark.django_db
def test_columns_follow_the_engagement_scope():
    """A carbon-only steward never gets pollution columns, an environmental-only one never compliance's.

    Browser tests may have committed clients of their own to the demo firms, so the column list is only
    required to be empty of the other scope when every client of the firm is out of that scope."""
    load_power_pollution()
    green = User.objects.get(username="greencarbon.reviewer")
    assert "exceedances" in environmental_columns(build_portfolio(green, year=LAST.year))
    assert cells_by_key(build_portfolio(green, year=LAST.year), "cx-power")["exceedances"].value is not None
    Engagement.objects.filter(firm__name_zh__contains="绿碳", enterprise__slug="cx-power").update(
        covers_environmental=False
    )
    portfolio = build_portfolio(green, year=LAST.year)
    power = cells_by_key(portfolio, "cx-power")
    assert all(power[key] is False for key in environmental_columns(portfolio))
    if not any("environmental" in row.client.scopes for row in portfolio.rows):
        assert environmental_columns(portfolio) == set()

    record_compliance("nth-paper", "paper.filer")
    qingyuan = User.objects.get(username="qingyuan.reviewer")
    portfolio = build_portfolio(qingyuan, year=COMPLIANCE_YEAR)
    assert cells_by_key(portfolio, "nth-paper")["compliance_position"].value is not None  # carbon covered
    Engagement.objects.filter(enterprise__slug="nth-paper", firm__memberships__user=qingyuan).update(
        covers_carbon=False, covers_environmental=True
    )
    portfolio = build_portfolio(qingyuan, year=COMPLIANCE_YEAR)
    paper = cells_by_key(portfolio, "nth-paper")
    assert all(paper[key] is False for key in carbon_columns(portfolio))
    if not any("carbon" in row.client.scopes for row in portfolio.rows):
        assert carbon_columns(portfolio) == set()
    row = next(row for row in portfolio.rows if row.enterprise.slug == "nth-paper")
    assert row.months == {}  # no monthly filing columns either
