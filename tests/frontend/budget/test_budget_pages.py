"""The bureau's budget list and page, the enterprise's budget page and request form."""

from decimal import Decimal

import pytest

from steward.budget import services
from steward.budget.models import AdjustmentDecision, BudgetAdjustment
from steward.factors.source import FactorSnapshot
from steward.formatting import tonnes
from steward.oversight.models import MonthFact
from steward.register.models import RegisteredEnterprise
from steward.register.quick import carrier_factor
from tenants.models import Enterprise, User

pytestmark = pytest.mark.django_db


def entry_of(slug):
    return RegisteredEnterprise.objects.get(enterprise__slug=slug)


@pytest.fixture
def budgets(register, feed, sealed):
    """Cement (吴兴区) ahead of its pace; power (长兴县) on track with February locked; both for 2024, a year
    neither has sealed in the demo. Tests that ran before may have locked months of 2024 in the shared world
    (the read model keeps them): those rows are set aside here, inside this test's transaction."""
    MonthFact.objects.filter(year=2024, enterprise__slug__in=["wx-cement", "cx-power"]).delete()
    inspector = User.objects.get(username="city.inspector")
    made = {}
    for slug, target in (("wx-cement", "3"), ("cx-power", "12")):
        entry = entry_of(slug)
        feed(
            [[entry.credit_code, 2024, month, "电力", "1000000", "kWh"] for month in range(1, 7)],
            name=f"{slug}-e.csv",
        )
        feed(
            [[entry.credit_code, 2024, month, "1000", "100"] for month in range(1, 13)],
            kind="statistics_output",
            name=f"{slug}-s.csv",
        )
        made[slug] = services.set_budget(
            entry=entry, year=2024, basis="intensity", intensity_target=Decimal(target), by=inspector
        )
    sealed(Enterprise.objects.get(slug="cx-power"), 2024, 2, "700")
    return made


def test_the_city_bureau_lists_every_budget_with_its_badge_and_filters_in_the_url(user_client, budgets):
    client = user_client("city.inspector")
    page = client.get("/bureau/budgets/?year=2024").content.decode()
    assert page.count('data-testid="budget-row"') == 2
    # cement: six months of 1,000 MWh (≈ 3,100–3,200 t) of a 3,600 t budget by June: 80 % used before the pro-rata
    # point, a warning; power: the same months of a 14,400 t budget, on track
    assert "预警" in page and "正常" in page
    only_warning = client.get("/bureau/budgets/?year=2024&level=warning").content.decode()
    assert only_warning.count('data-testid="budget-row"') == 1
    assert "湖州青山水泥有限公司" in only_warning


def test_a_district_bureau_sees_and_opens_only_its_district(user_client, budgets):
    client = user_client("wuxing.viewer")
    page = client.get("/bureau/budgets/?year=2024").content.decode()
    assert page.count('data-testid="budget-row"') == 1
    assert client.get(f"/bureau/budgets/{budgets['cx-power'].pk}/").status_code == 404
    assert client.get(f"/bureau/budgets/{budgets['wx-cement'].pk}/").status_code == 200
    assert 'data-testid="budget-set-form"' not in page  # a viewer sets nothing


def test_the_budget_page_shows_each_months_source_and_the_chart_data(user_client, budgets):
    page = (
        user_client("changxing.inspector").get(f"/bureau/budgets/{budgets['cx-power'].pk}/").content.decode()
    )
    assert 'id="budget-charts"' in page and 'data-chart="burndown"' in page
    february = page.split('data-testid="burndown-month-2"')[1].split("</tr>")[0]
    january = page.split('data-testid="burndown-month-1"')[1].split("</tr>")[0]
    assert "企业封存数据" in february and "700.00" in february
    quick = Decimal(1000000) * carrier_factor("electricity", 2024, FactorSnapshot.current()).tco2_per_unit
    assert "速算" in january and tonnes(quick) in january


def test_the_enterprise_requests_and_the_bureau_decides_on_the_pages(user_client, budgets, client):
    cement = budgets["wx-cement"]
    page = user_client("cement.admin").get("/e/wx-cement/budget/?year=2024").content.decode()
    assert 'data-testid="adjustment-form"' in page
    response = client.post(
        f"/e/wx-cement/budget/{cement.pk}/request/", {"requested_tco2": "4200", "reason": "新线投产"}
    )
    assert response.status_code == 302
    adjustment = BudgetAdjustment.objects.get(budget=cement)
    assert adjustment.requested_by.username == "cement.admin"
    # the enterprise's own decision route is the bureau's: refused to the enterprise
    assert client.post(f"/bureau/budgets/{cement.pk}/decide/", {}).status_code == 403
    filer = user_client("cement.filer")
    assert 'data-testid="adjustment-form"' not in filer.get("/e/wx-cement/budget/?year=2024").content.decode()
    other = user_client("changxing.inspector")
    data = {"adjustment": adjustment.pk, "outcome": "approved", "reason": "同意"}
    assert other.post(f"/bureau/budgets/{cement.pk}/decide/", data).status_code == 404
    inspector = user_client("city.inspector")
    assert 'data-testid="decision-form"' in inspector.get(f"/bureau/budgets/{cement.pk}/").content.decode()
    inspector.post(f"/bureau/budgets/{cement.pk}/decide/", data)
    decision = AdjustmentDecision.objects.get(adjustment=adjustment)
    assert (decision.outcome, decision.decided_by.username, decision.reason) == (
        "approved",
        "city.inspector",
        "同意",
    )
    page = inspector.get(f"/bureau/budgets/{cement.pk}/").content.decode()
    assert "4,200.00" in page and "批准调整" in page


def test_the_inspector_sets_a_budget_for_an_enterprise_without_a_workspace(user_client, register, feed):
    entry = next(e for e in register if e.enterprise_id is None)
    feed(
        [[entry.credit_code, 2024, month, "1000", "100"] for month in range(1, 13)], kind="statistics_output"
    )
    client = user_client("city.inspector")
    response = client.post(
        "/bureau/budgets/set/",
        {
            "credit_code": entry.credit_code,
            "year": 2024,
            "basis": "intensity",
            "intensity_target": "2",
            "profile": "linear",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "2,400.00" in page  # 2 t/万元 × 1,200 万元


def test_budget_pages_read_in_english_without_codes(user_client, budgets, graded_industry):
    from steward.budget import warnings
    from tests.frontend.test_page_language import demo_data_strings, internal_codes, read, scan

    cement = budgets["wx-cement"]
    warnings.record_rises([cement], cause="test")  # the notices' record is on the pages
    graded = services.set_budget(
        entry=graded_industry,
        year=2025,
        basis="grade",
        target_grade=3,
        by=User.objects.get(username="city.inspector"),
    )
    services.request_adjustment(
        budget=cement,
        requested_tco2=Decimal("4000"),
        reason="新线投产",
        by=User.objects.get(username="cement.admin"),
    )
    codes, data = internal_codes(), demo_data_strings()
    hits = []
    for username, path in (
        ("city.inspector", "/bureau/budgets/?year=2024"),
        ("city.inspector", f"/bureau/budgets/{cement.pk}/"),
        ("city.inspector", f"/bureau/budgets/{graded.pk}/"),
        ("city.inspector", "/bureau/budgets/?year=2025"),
        ("cement.admin", "/e/wx-cement/budget/?year=2024"),
    ):
        client = user_client(username)
        for language, english in (("en", True), ("zh-hans", False)):
            client.cookies["django_language"] = language
            response = client.get(path)
            assert response.status_code == 200
            hits += [
                (path, language, hit)
                for hit in scan(
                    read(response.content.decode()).parts, english=english, codes=codes, data=data
                )
            ]
    assert not hits, hits


@pytest.fixture
def graded_industry(graded_pair):
    """Two register enterprises of one industry without a workspace, graded for 2025 (industry L 0.7959, as in
    tests/steward/budget/test_grade_basis.py), A with twelve months of 100 万元 (1,200 万元 for the year)."""
    a, _b, _run = graded_pair({1: ("4000", "1000"), **{month: ("400", "100") for month in range(2, 13)}})
    return a


def test_the_inspector_sets_a_grade_target_budget_on_the_page(user_client, graded_industry):
    """A's value added: 1,000 + 11 × 100 = 2,100 万元 (all twelve months); grade 2 (K ≤ 0.8):
    0.8 × 0.7959 × 2,100 = 1,337.112 t."""
    entry = graded_industry
    client = user_client("city.inspector")
    form = client.get("/bureau/budgets/?year=2025").content.decode().split('data-testid="budget-set-form"')[1]
    assert 'name="target_grade"' in form and "2级（K ≤ 0.8）" in form
    assert "5级" not in form  # the worst grade has no upper bound: not offered
    data = {"credit_code": entry.credit_code, "year": 2025, "basis": "grade", "profile": "linear"}
    response = client.post("/bureau/budgets/set/", {**data, "target_grade": "2"})
    assert response.status_code == 302
    budget = entry.budgets.get(year=2025)
    assert (budget.basis, budget.target_grade, budget.initial_tco2) == ("grade", 2, Decimal("1337.1120"))
    page = client.get(response["Location"]).content.decode()
    assert "碳效目标" in page and "1,337.11" in page
    assert 'data-testid="grade-basis"' in page and "0.7959" in page
    # without a grade the form is sent back with the service's message, and nothing is set
    other = next(e for e in RegisteredEnterprise.objects.filter(enterprise__isnull=True).exclude(pk=entry.pk))
    response = client.post("/bureau/budgets/set/", {**data, "credit_code": other.credit_code}, follow=True)
    assert "请选择目标碳效等级" in response.content.decode()
    assert not other.budgets.exists()


def test_the_budget_page_lists_the_level_notices(user_client, budgets, feed):
    from steward.budget import warnings

    cement = budgets["wx-cement"]  # six months of 1,000 MWh of a 3,600 t budget: 预警
    warnings.record_rises([cement], cause="test")
    page = user_client("city.inspector").get(f"/bureau/budgets/{cement.pk}/").content.decode()
    notices = page.split('data-testid="level-notices"')[1]
    assert notices.count('data-testid="level-notice"') == 1 and "预警" in notices
    inbox = user_client("cement.admin").get("/inbox/").content.decode()
    assert "湖州青山水泥有限公司 2024年度碳预算达到「预警」" in inbox and 'data-kind="warning"' in inbox


def test_the_demo_shows_its_warning_notices_to_the_bureau_and_the_enterprise_admin(user_client, register):
    """`manage.py demo`'s budgets: the bureau's list shows the 碳效 target budget, its page and the cement
    plant's list their notices; the cement plant's admin finds its notice in the inbox and on its budget page."""
    from steward.budget.demo import load_demo_budgets
    from steward.budget.models import CarbonBudget
    from steward.demo.period import last_month

    load_demo_budgets()
    year = last_month()[0]
    inspector = user_client("city.inspector")
    listing = inspector.get(f"/bureau/budgets/?year={year}").content.decode()
    graded = CarbonBudget.objects.get(year=year, basis="grade")
    assert graded.registered.name in listing
    detail = inspector.get(f"/bureau/budgets/{graded.pk}/").content.decode()
    assert (
        "碳效 " in detail
        and detail.split('data-testid="level-notices"')[1].count('data-testid="level-notice"') == 1
    )
    assert f"{graded.registered.name} {year}年度碳预算达到" in inspector.get("/inbox/").content.decode()
    admin = user_client("cement.admin")
    assert f"湖州青山水泥有限公司 {year}年度碳预算达到" in admin.get("/inbox/").content.decode()
    own = admin.get(f"/e/wx-cement/budget/?year={year}").content.decode()
    assert own.split('data-testid="level-notices"')[1].count('data-testid="level-notice"') == 1
