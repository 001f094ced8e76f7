"""The acts people ask about, answered by tenants.access.ACTS, written out by hand per demo person: a change
to the table or to "the engaged steward of that scope, otherwise the enterprise admin" fails here."""

import pytest

from tenants.access import ACTS, can
from tenants.models import Enterprise, User

# (enterprise, person) → the acts they hold there. The paper mill's steward (qingyuan) covers carbon only; the
# power plant's (greencarbon) both scopes; the dyeing mill's engagement ended, so its admin reviews.
EXPECTED = {
    ("nth-paper", "paper.filer"): {
        "prepare_filing",
        "compile_annual_report",
        "file_execution_report",
        "record_platform_submission",
    },
    ("nth-paper", "qingyuan.reviewer"): {
        "approve_filing",
        "return_filing",
        "waive_finding",
        "approve_reopen",
        "review_annual_report",
    },
    ("nth-paper", "city.inspector"): {"decide_annual_report"},
    ("nth-paper", "city.viewer"): set(),
    ("nx-dyeing", "dyeing.admin"): set(ACTS) - {"sign_annual_report", "decide_annual_report"},
    ("cx-power", "power.admin"): {
        "prepare_filing",
        "compile_annual_report",
        "file_execution_report",
        "record_platform_submission",
    },
    ("cx-power", "power.signatory"): {"sign_annual_report"},
    ("cx-power", "greencarbon.reviewer"): {
        "approve_filing",
        "return_filing",
        "waive_finding",
        "approve_reopen",
        "review_annual_report",
        "review_execution_report",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize(("slug", "username"), sorted(EXPECTED))
def test_each_person_holds_exactly_their_acts(slug, username):
    enterprise, user = Enterprise.objects.get(slug=slug), User.objects.get(username=username)
    held = {act for act in ACTS if can(user, act, enterprise)}
    assert held == EXPECTED[(slug, username)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "portfolio", "dashboard"),
    [
        ("qingyuan.reviewer", True, False),
        ("greencarbon.manager", True, False),
        ("city.viewer", False, True),
        ("wuxing.viewer", False, True),
        ("paper.filer", False, False),
    ],
)
def test_portfolio_and_bureau_dashboard(username, portfolio, dashboard, client):
    user = User.objects.get(username=username)
    assert can(user, "view_portfolio") is portfolio
    assert can(user, "view_bureau_dashboard") is dashboard
    client.force_login(user)
    assert (client.get("/portfolio/").status_code == 200) is portfolio
    assert (client.get("/bureau/").status_code == 200) is dashboard
