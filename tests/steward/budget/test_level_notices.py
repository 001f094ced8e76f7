"""Early-warning notices: new data that lifts a budget's level tells the enterprise's administrators and the
bureau of its district (and the city) once per level reached; a recompute on the same data tells nobody."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import IntegrityError, InternalError, transaction

from steward import events
from steward.budget import services, subscribers, tasks, warnings
from steward.budget.models import LevelNotice
from steward.filing.models import MonthlyFiling
from steward.oversight.models import MonthFact
from steward.register.models import RegisteredEnterprise
from tenants.models import Enterprise, Notification, User

pytestmark = pytest.mark.django_db
D = Decimal
YEAR = 2024  # a year the demo never seals (the fixture sets aside what other tests locked)


def user(name):
    return User.objects.get(username=name)


def electricity(entries, months, kwh):
    return [[entry.credit_code, YEAR, month, "电力", kwh, "kWh"] for entry in entries for month in months]


def notices_of(budget):
    return Notification.objects.filter(dedupe_key__startswith=f"budget:{budget.pk}:")


@pytest.fixture
def budgets(register, feed):
    """An intensity budget of 3,600 t (3 t/万元 × 12 × 100 万元) for the cement plant (吴兴区, workspace) and for a
    register enterprise of 长兴县 without a workspace. Tests that ran before may have locked the cement plant's
    months of that year in the shared world (tests/browser/test_annual_report.py does): their read-model rows
    are set aside here, inside this test's transaction."""
    MonthFact.objects.filter(year=YEAR, enterprise__slug="wx-cement").delete()
    cement = RegisteredEnterprise.objects.get(enterprise__slug="wx-cement")
    bare = next(e for e in register if e.enterprise_id is None and e.jurisdiction_id == "330522")
    made = {}
    for entry in (cement, bare):
        feed(
            [[entry.credit_code, YEAR, month, "1000", "100"] for month in range(1, 13)],
            kind="statistics_output",
            name=f"stats-{entry.pk}.csv",
        )
        made[entry.pk] = services.set_budget(
            entry=entry, year=YEAR, basis="intensity", intensity_target=D("3"), by=user("city.inspector")
        )
    return cement, bare, made[cement.pk], made[bare.pk]


def test_a_feed_that_raises_the_level_tells_each_recipient_once(
    budgets, feed, django_capture_on_commit_callbacks
):
    cement, bare, cement_budget, bare_budget = budgets
    # January: 100 MWh ≈ 50 t against 300 t due by then: on track, nobody is told
    with django_capture_on_commit_callbacks(execute=True):
        feed(electricity([cement, bare], [1], "100000"), name="jan.csv")
    assert not LevelNotice.objects.filter(budget__in=[cement_budget, bare_budget]).exists()
    assert not notices_of(cement_budget).exists()
    # February–June: 1,000 MWh a month ≈ 2,700 t more: ≈ 76 % of the year's budget used by June against a
    # pro-rata 50 %, projected ≈ 150 % of the budget: 预警
    with django_capture_on_commit_callbacks(execute=True):
        batch = feed(electricity([cement, bare], range(2, 7), "1000000"), name="feb-jun.csv")
    (record,) = LevelNotice.objects.filter(budget=cement_budget)
    assert (record.level, record.as_of_month, record.cause) == ("warning", 6, f"register_feed:{batch.pk}")
    assert "按当前进度推算全年排放为预算的" in record.warnings
    told = Counter(notices_of(cement_budget).values_list("user__username", flat=True))
    assert set(told.values()) == {1}  # one notice per recipient
    assert {"cement.admin", "wuxing.viewer", "city.inspector", "city.viewer"} <= set(told)
    assert "changxing.inspector" not in told and "cement.filer" not in told  # another district; not an admin
    notice = notices_of(cement_budget).get(user__username="cement.admin")
    assert notice.kind == "warning" and notice.link == f"/e/wx-cement/budget/?year={YEAR}"
    assert notice.title.startswith(f"湖州青山水泥有限公司 {YEAR}年度碳预算达到「预警」（数据截至6月）")
    assert notices_of(cement_budget).get(user__username="wuxing.viewer").link == (
        f"/bureau/budgets/{cement_budget.pk}/"
    )
    # the enterprise without a workspace: its district's bureau and the city only, no workspace on the notice
    bare_told = Counter(notices_of(bare_budget).values_list("user__username", flat=True))
    assert set(bare_told.values()) == {1}
    assert {"changxing.inspector", "city.inspector"} <= set(bare_told)
    assert "wuxing.viewer" not in bare_told
    assert not notices_of(bare_budget).exclude(enterprise=None).exists()

    before = Notification.objects.count()
    # the same recompute again (the task sent twice), and more data at the same level: nobody is told again
    assert tasks.check_levels(year=YEAR, batch_id=batch.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        feed(electricity([cement, bare], [7], "10000"), name="jul.csv")
    assert Notification.objects.count() == before
    assert LevelNotice.objects.filter(budget__in=[cement_budget, bare_budget]).count() == 2


def test_a_further_rise_is_told_and_a_level_already_told_is_not(budgets, feed):
    cement, _bare, budget, _other = budgets
    feed(electricity([cement], range(1, 7), "1000000"), name="h1.csv")
    assert [n.level for n in warnings.record_rises([budget], cause="test")] == ["warning"]
    assert warnings.record_rises([budget], cause="test") == []
    feed(electricity([cement], range(7, 9), "1000000"), name="jul-aug.csv")  # ≈ 4,200 t: over 3,600 t
    assert [n.level for n in warnings.record_rises([budget], cause="test")] == ["overrun"]
    assert Counter(
        notices_of(budget).filter(user__username="cement.admin").values_list("dedupe_key", flat=True)
    ) == {
        f"budget:{budget.pk}:warning": 1,
        f"budget:{budget.pk}:overrun": 1,
    }


def test_a_locked_month_is_checked_after_the_commit(
    budgets, feed, sealed, django_capture_on_commit_callbacks
):
    assert subscribers.check_after_lock in events.subscribers("filing.locked")
    cement, _bare, budget, _other = budgets
    feed(electricity([cement], [1], "100000"), name="jan.csv")
    plant = Enterprise.objects.get(slug="wx-cement")
    sealed(plant, YEAR, 2, "3000")  # February sealed at 3,000 t: far past its pace
    with django_capture_on_commit_callbacks(execute=True):
        subscribers.check_after_lock(
            events.Event("filing.locked", record=MonthlyFiling(year=YEAR, month=2), schema=plant.schema_name)
        )
    (record,) = LevelNotice.objects.filter(budget=budget)
    assert record.level == "warning" and record.cause == f"filing_locked:{plant.pk}"
    assert notices_of(budget).filter(user__username="cement.admin").count() == 1


def test_the_record_of_notices_is_append_only(budgets, feed):
    cement, _bare, budget, _other = budgets
    feed(electricity([cement], range(1, 7), "1000000"), name="h1.csv")
    (row,) = warnings.record_rises([budget], cause="test")
    for change in (lambda: LevelNotice.objects.filter(pk=row.pk).update(level="ok"), lambda: row.delete()):
        with pytest.raises((InternalError, IntegrityError)), transaction.atomic():
            change()
    with pytest.raises(IntegrityError), transaction.atomic():
        LevelNotice.objects.create(
            budget=budget,
            level="warning",
            as_of_month=6,
            in_force_tco2=1,
            cumulative_tco2=1,
            warnings="",
            cause="",
        )


def test_a_reopened_month_is_checked_after_the_commit(
    budgets, feed, sealed, django_capture_on_commit_callbacks
):
    """A month reopened for correction: the budget is checked again (the seal of the version before stands)."""
    assert subscribers.check_after_reopen in events.subscribers("filing.reopened")
    cement, _bare, budget, _other = budgets
    feed(electricity([cement], [1], "100000"), name="jan.csv")
    plant = Enterprise.objects.get(slug="wx-cement")
    sealed(plant, YEAR, 2, "3000")  # February sealed at 3,000 t before the budget was checked
    assert not LevelNotice.objects.filter(budget=budget).exists()
    with django_capture_on_commit_callbacks(execute=True):
        subscribers.check_after_reopen(
            events.Event(
                "filing.reopened", record=MonthlyFiling(year=YEAR, month=2), schema=plant.schema_name
            )
        )
    (record,) = LevelNotice.objects.filter(budget=budget)
    assert record.level == "warning" and record.cause == f"filing_reopened:{plant.pk}"
    assert notices_of(budget).filter(user__username="cement.admin").count() == 1


def test_an_approved_adjustment_is_checked_and_a_refused_one_is_not(
    budgets, feed, django_capture_on_commit_callbacks
):
    """January–June at 500 MWh a month ≈ 1,592 t: on track for 3,600 t (projected 88 %). Lowered to 2,400 t by an
    approved request, the same figures project 133 %: 预警, told to the enterprise's admins and the bureau."""
    cement, _bare, budget, _other = budgets
    with django_capture_on_commit_callbacks(execute=True):
        feed(electricity([cement], range(1, 7), "500000"), name="h1.csv")
    assert not LevelNotice.objects.filter(budget=budget).exists()
    admin, inspector = user("cement.admin"), user("city.inspector")
    first = services.request_adjustment(budget=budget, requested_tco2=D("2400"), reason="产线停产", by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_adjustment(adjustment=first, approve=False, reason="材料不全", by=inspector)
    assert not LevelNotice.objects.filter(budget=budget).exists()
    again = services.request_adjustment(budget=budget, requested_tco2=D("2400"), reason="产线停产", by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_adjustment(adjustment=again, approve=True, reason="同意", by=inspector)
    (record,) = LevelNotice.objects.filter(budget=budget)
    assert (record.level, record.cause) == ("warning", f"adjustment_approved:{again.pk}")
    assert record.in_force_tco2 == D("2400")
    told = set(notices_of(budget).values_list("user__username", flat=True))
    assert {"cement.admin", "wuxing.viewer", "city.inspector"} <= told


def test_a_previous_year_feed_rechecks_the_seasonal_budgets_it_moves(
    register, feed, django_capture_on_commit_callbacks
):
    """A seasonal budget of 3,600 t: 400 MWh a month January–June ≈ 1,273 t, on track while the previous year is
    missing (linear). The previous year's feed arrives: it used almost all its energy in July–December, so by June
    the budget's own profile allows ≈ 1 % of it: the same figures project far over (预警)."""
    entry = next(e for e in register if e.enterprise_id is None and e.jurisdiction_id == "330502")
    feed(
        [[entry.credit_code, YEAR, month, "1000", "100"] for month in range(1, 13)],
        kind="statistics_output",
        name="stats.csv",
    )
    budget = services.set_budget(
        entry=entry,
        year=YEAR,
        basis="intensity",
        intensity_target=D("3"),
        profile="seasonal",
        by=user("city.inspector"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        feed(electricity([entry], range(1, 7), "400000"), name="h1.csv")
    assert not LevelNotice.objects.filter(budget=budget).exists()
    previous = [
        [entry.credit_code, YEAR - 1, month, "电力", "10000" if month <= 6 else "1000000", "kWh"]
        for month in range(1, 13)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        batch = feed(previous, name="previous-year.csv")
    (record,) = LevelNotice.objects.filter(budget=budget)
    assert (record.level, record.cause) == ("warning", f"register_feed:{batch.pk}")
    assert {"wuxing.viewer", "city.inspector"} <= set(
        notices_of(budget).values_list("user__username", flat=True)
    )
