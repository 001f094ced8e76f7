"""The demo's budgets: some on track, the cement plant warned, a pending and an approved request; idempotent."""

import pytest

from steward.budget import selectors
from steward.budget.demo import load_demo_budgets
from steward.budget.models import AdjustmentDecision, BudgetAdjustment, CarbonBudget
from steward.demo.period import last_month
from steward.register import demo

pytestmark = pytest.mark.django_db


def test_demo_budgets_show_each_state_and_a_second_run_changes_nothing():
    demo.load_register(30)
    first = load_demo_budgets()
    year = last_month()[0]
    views = {
        view.budget.registered.enterprise.slug if view.budget.registered.enterprise else view.budget.pk: view
        for view in selectors.burn_downs(list(selectors.budgets_with_history().filter(year=year)))
    }
    assert views["wx-cement"].burn.level in {"warning", "overrun"}
    assert (
        views["cx-power"].pending is not None
        and views["cx-power"].pending.requested_by.username == "power.admin"
    )
    assert views["nx-dyeing"].in_force > views["nx-dyeing"].budget.initial_tco2  # its request was approved
    on_track = [view for key, view in views.items() if view.burn.level == "ok"]
    assert len(on_track) >= 5
    assert all(view.burn.sources["quick"] for view in on_track)
    counts = (
        CarbonBudget.objects.count(),
        BudgetAdjustment.objects.count(),
        AdjustmentDecision.objects.count(),
    )
    assert load_demo_budgets() == first
    assert (
        CarbonBudget.objects.count(),
        BudgetAdjustment.objects.count(),
        AdjustmentDecision.objects.count(),
    ) == counts
