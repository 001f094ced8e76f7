"""The demo's budgets: some on track, the cement plant warned, a 碳效 target warned, a pending and an approved
request, their early-warning notices recorded and told; idempotent."""

import pytest

from steward.budget import selectors
from steward.budget.demo import load_demo_budgets
from steward.budget.models import AdjustmentDecision, BudgetAdjustment, CarbonBudget, LevelNotice
from steward.demo.period import last_month
from steward.register import demo
from tenants.models import Notification

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
    # a 碳效 target budget, one grade better than its enterprise's pace: warned (over it late in the year)
    (graded,) = [view for view in views.values() if view.budget.basis == "grade"]
    assert graded.budget.registered.enterprise is None and graded.burn.level in {"warning", "overrun"}
    assert graded.budget.target_grade in {1, 2, 3, 4} and graded.budget.grading_run.year == year
    # the levels they stand at are on record, and told: the cement plant's admin and the bureau
    notices = {notice.budget_id: notice.level for notice in LevelNotice.objects.filter(budget__year=year)}
    assert notices[views["wx-cement"].budget.pk] == views["wx-cement"].burn.level
    assert notices[graded.budget.pk] == graded.burn.level
    told = Notification.objects.filter(kind="warning", dedupe_key__startswith="budget:")
    assert told.filter(user__username="cement.admin", title__contains="湖州青山水泥").exists()
    assert told.filter(
        user__username="city.inspector", title__contains=graded.budget.registered.name
    ).exists()
    counts = (
        CarbonBudget.objects.count(),
        BudgetAdjustment.objects.count(),
        AdjustmentDecision.objects.count(),
        LevelNotice.objects.count(),
        Notification.objects.count(),
    )
    assert load_demo_budgets() == first
    assert (
        CarbonBudget.objects.count(),
        BudgetAdjustment.objects.count(),
        AdjustmentDecision.objects.count(),
        LevelNotice.objects.count(),
        Notification.objects.count(),
    ) == counts
