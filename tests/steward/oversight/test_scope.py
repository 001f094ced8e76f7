"""Who sees what: stewards only live, in-scope clients; a district bureau only its district; never drafts."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from steward.oversight.dashboard import Filters, build_dashboard
from steward.oversight.portfolio import build_portfolio
from steward.oversight.scope import bureau_codes
from tenants.models import Engagement, User

TODAY = datetime.date(2026, 6, 15)
# Browser tests commit enterprises of their own; these tests look at the demo world's clients.
DEMO = {"cx-power", "wx-cement", "nx-dyeing", "dq-fibre", "aj-wood", "nth-paper"}


def clients(portfolio) -> list[str]:
    return [row.enterprise.slug for row in portfolio.rows if row.enterprise.slug in DEMO]


def portfolio_of(username: str, **kwargs):
    return build_portfolio(User.objects.get(username=username), year=2026, today=TODAY, **kwargs)


@pytest.fixture
def world(make_fact, make_metric):
    make_fact("cx-power", 2026, 3, total_tco2=Decimal("52000"))
    make_fact("cx-power", 2026, 4, status="draft", open_findings=3, deadline=datetime.date(2026, 6, 9))
    make_fact("wx-cement", 2026, 3, total_tco2=Decimal("30000"))
    make_fact("nth-paper", 2026, 3, status="in_review", total_tco2=None, figures_version=None)
    make_fact("nx-dyeing", 2026, 3)
    make_metric("cx-power", "exceedances", "pollution", 2026, 3, value=Decimal(2))
    make_metric("dq-fibre", "exceedances", "pollution", 2026, 3, value=Decimal(1))
    make_metric("nth-paper", "compliance_position", "compliance", 2026, value=Decimal("-1200"))
    make_metric("dq-fibre", "compliance_position", "compliance", 2026, value=Decimal("50"))
    make_metric("wx-cement", "carbon_efficiency_grade", "compliance", 2026, label="B")


@pytest.mark.django_db
def test_steward_sees_live_clients_with_columns_of_its_scope_only(world):
    green = portfolio_of("greencarbon.reviewer")
    assert clients(green) == ["wx-cement", "cx-power"]  # not the ended dyeing mill
    power = next(row for row in green.rows if row.enterprise.slug == "cx-power")
    assert power.months[4].status == "draft" and power.open_findings == 3
    assert [fact.month for fact in power.overdue] == [1, 2, 4]  # no filing for Jan/Feb, April still a draft
    columns = [column.key for column in green.columns]
    # Other columns may come from rows browser tests committed through the domains' services.
    assert {"carbon_efficiency_grade", "exceedances"} <= set(columns)
    cement = next(row for row in green.rows if row.enterprise.slug == "wx-cement")
    cells = dict(zip(columns, cement.cells(green.columns), strict=True))
    grade, exceedances = cells["carbon_efficiency_grade"], cells["exceedances"]
    assert grade.label == "B" and exceedances is False  # carbon-only engagement: no environmental column
    assert dict(zip(columns, power.cells(green.columns), strict=True))["exceedances"].value == Decimal(2)

    qingyuan = portfolio_of("qingyuan.reviewer")
    assert set(clients(qingyuan)) == {"dq-fibre", "nth-paper"}  # wood was revoked
    fibre = next(row for row in qingyuan.rows if row.enterprise.slug == "dq-fibre")
    paper = next(row for row in qingyuan.rows if row.enterprise.slug == "nth-paper")
    assert fibre.months == {} and not fibre.covers_carbon  # environmental only: no filings, no emissions
    keys = [column.key for column in qingyuan.columns]
    fibre_cells = dict(zip(keys, fibre.cells(qingyuan.columns), strict=True))
    assert fibre_cells["compliance_position"] is False and fibre_cells["exceedances"].value == Decimal(1)
    paper_cells = dict(zip(keys, paper.cells(qingyuan.columns), strict=True))
    assert (
        paper_cells["compliance_position"].value == Decimal("-1200") and paper_cells["exceedances"] is False
    )


@pytest.mark.django_db
def test_an_ended_engagement_disappears_at_once(world, user_client):
    engagement = Engagement.objects.get(firm__name_zh__contains="绿碳", enterprise__slug="wx-cement")
    engagement.status = Engagement.Status.ENDED
    engagement.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    engagement.save()
    assert clients(portfolio_of("greencarbon.reviewer")) == ["cx-power"]
    page = user_client("greencarbon.reviewer").get("/portfolio/?year=2026").content.decode()
    assert "长兴湖能发电有限公司" in page and "湖州青山水泥有限公司" not in page


@pytest.mark.django_db
def test_city_sees_every_district_a_district_only_its_own(world, user_client):
    city, wuxing = (
        bureau_codes(User.objects.get(username="city.viewer")),
        bureau_codes(User.objects.get(username="wuxing.viewer")),
    )
    march = Filters(year=2026, month=3)
    assert build_dashboard(city, march, today=TODAY).total_tco2 == Decimal("83000")  # 52000 + 30000 + 1000
    district = build_dashboard(wuxing, march, today=TODAY)
    assert (district.filings, district.total_tco2) == (1, Decimal("30000"))
    assert [row.enterprise.slug for row in district.rows] == ["wx-cement"]
    # Asking for another district through the filter gives nothing, not that district's rows.
    assert build_dashboard(wuxing, Filters(year=2026, month=3, district="330522"), today=TODAY).filings == 0

    page = user_client("wuxing.viewer").get("/bureau/?year=2026").content.decode()
    assert "湖州青山水泥有限公司" in page and "长兴湖能发电有限公司" not in page
    page = user_client("city.viewer").get("/bureau/?year=2026&month=4").content.decode()
    assert "长兴湖能发电有限公司" in page and 'data-testid="state-of-cx-power-4">逾期<' in page
    assert "/e/cx-power/filing/2026/4/" not in page  # no drill-down into a draft
    assert (
        "/e/cx-power/filing/2026/3/" in user_client("city.viewer").get("/bureau/?year=2026").content.decode()
    )


@pytest.mark.django_db
def test_the_dashboard_is_refused_to_people_without_a_bureau_role(user_client):
    assert user_client("greencarbon.reviewer").get("/bureau/").status_code == 403
    assert user_client("power.admin").get("/bureau/export.xlsx").status_code == 403
    assert user_client("city.viewer").get("/portfolio/").status_code == 403
