"""Who may make each transition of the monthly filing, and from which state: written out by hand, so a
change to tenants.access or the flow that widens a permission fails here."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_tenants.utils import schema_context

from steward.filing.models import FilingStatus, MonthlyFiling
from tenants.models import Enterprise
from tests.steward.filing.test_filing_flow import acknowledge_all, enter_month, person
from workflows import monthly_filing as services


@pytest.fixture
def world():
    """The paper mill's June 2025 (as in test_filing_flow), with a bureau inspector too."""
    enterprise = Enterprise.objects.get(slug="nth-paper")
    with schema_context(enterprise.schema_name):
        filer = person("paper.filer", enterprise)
        enter_month(enterprise, 2025, 6, filer[0])
        yield {
            "enterprise": enterprise,
            "filing": services.open_filing(enterprise=enterprise, year=2025, month=6, by=filer[0]),
            "filer": filer,
            "steward": person("qingyuan.reviewer", enterprise),
            "inspector": person("city.inspector", enterprise),
        }


ROLES = ("filer", "steward", "inspector")
# transition → (state it starts from, roles allowed)
MATRIX = {
    "submit": (FilingStatus.DRAFT, {"filer"}),
    "return": (FilingStatus.IN_REVIEW, {"steward"}),
    "approve": (FilingStatus.IN_REVIEW, {"steward"}),
    "request_reopen": (FilingStatus.LOCKED, {"filer"}),
    "approve_reopen": (FilingStatus.LOCKED, {"steward"}),
}
EXPECTED_STATE = {
    "submit": FilingStatus.IN_REVIEW,
    "return": FilingStatus.RETURNED,
    "approve": FilingStatus.LOCKED,
    "request_reopen": FilingStatus.LOCKED,
    "approve_reopen": FilingStatus.DRAFT,  # the new version; the locked one stays locked
}


def _act(action: str, world, filing: MonthlyFiling, user, grant) -> MonthlyFiling:
    enterprise = world["enterprise"]
    if action == "submit":
        return services.submit(enterprise=enterprise, filing=filing, by=user, grant=grant)
    if action == "return":
        return services.return_for_changes(filing=filing, comments={"month": "请核对"}, by=user, grant=grant)
    if action == "approve":
        return services.approve(filing=filing, by=user, grant=grant)
    if action == "request_reopen":
        return services.request_reopen(filing=filing, reason="入炉煤量录入错误", by=user, grant=grant)
    return services.approve_reopen(filing=filing, by=user, grant=grant)


def _bring_to(state: str, world) -> MonthlyFiling:
    filing, enterprise = world["filing"], world["enterprise"]
    filer, filer_grant = world["filer"]
    steward, steward_grant = world["steward"]
    services.run_checks(enterprise=enterprise, filing=filing, by=filer)
    acknowledge_all(world)
    if state == FilingStatus.DRAFT:
        return filing
    filing = services.submit(enterprise=enterprise, filing=filing, by=filer, grant=filer_grant)
    if state == FilingStatus.IN_REVIEW:
        return filing
    filing = services.approve(filing=filing, by=steward, grant=steward_grant)
    return services.request_reopen(filing=filing, reason="录入错误", by=filer, grant=filer_grant)


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_each_transition_is_allowed_to_exactly_its_roles(action, world):
    start, allowed = MATRIX[action]
    filing = _bring_to(start, world)
    if action == "request_reopen":  # _bring_to already requested one; ask again from a fresh lock
        MonthlyFiling.objects.filter(pk=filing.pk).update(reopen_reason="", reopen_requested_by=None)
        filing.refresh_from_db()
    for role in ROLES:
        user, grant = world[role]
        try:
            with transaction.atomic():
                result = _act(action, world, filing, user, grant)
                assert role in allowed, f"{role} made {action}"
                assert result.status == EXPECTED_STATE[action]
                transaction.set_rollback(True)  # let the next role try from the same state
        except PermissionDenied:
            assert role not in allowed, f"{role} was refused {action}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("approve", FilingStatus.DRAFT),
        ("return", FilingStatus.DRAFT),
        ("request_reopen", FilingStatus.IN_REVIEW),
        ("submit", FilingStatus.IN_REVIEW),
        ("approve_reopen", FilingStatus.IN_REVIEW),
    ],
)
def test_a_transition_from_the_wrong_state_is_refused_with_the_current_state_named(action, state, world):
    filing = _bring_to(state, world)
    role = "filer" if action in ("submit", "request_reopen") else "steward"
    user, grant = world[role]
    with pytest.raises(ValidationError) as error:
        _act(action, world, filing, user, grant)
    assert error.value.code in ("conflict", "not_allowed")
    filing.refresh_from_db()
    assert filing.status == state
