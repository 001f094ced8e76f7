"""Budgets set by the bureau, their burn-down from mixed sources, adjustment requests and decisions."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InternalError, transaction
from django_tenants.utils import schema_context

from steward.budget import selectors, services
from steward.budget.burndown import QUICK, SEALED
from steward.budget.models import AdjustmentDecision, BudgetAdjustment, CarbonBudget
from steward.register.models import RegisteredEnterprise
from tenants.models import Enterprise, User

pytestmark = pytest.mark.django_db
D = Decimal


def user(name):
    return User.objects.get(username=name)


def entry_of(slug):
    return RegisteredEnterprise.objects.get(enterprise__slug=slug)


def monthly_electricity(code, year, months, kwh="1000000"):
    return [[code, year, month, "电力", kwh, "kWh"] for month in months]


def statistics(code, year, months, value_added):
    return [[code, year, month, "1000", value_added] for month in months]


def intensity_budget(entry, feed, *, target="1.0", by="city.inspector", year=2025, **extra):
    feed(statistics(entry.credit_code, year, range(1, 13), "100"), kind="statistics_output", year=year)
    return services.set_budget(
        entry=entry, year=year, basis="intensity", intensity_target=D(target), by=user(by), **extra
    )


def test_burn_down_takes_the_locked_month_from_the_seal_and_the_others_from_quick(register, feed, sealed):
    power = Enterprise.objects.get(slug="cx-power")  # no sealed 2025 month in the test world
    entry = entry_of("cx-power")
    # 1,000 MWh a month × the 2025 grid factor 0.5306 → 530.6 tCO2 of 速算 in each of months 1–4
    feed(monthly_electricity(entry.credit_code, 2025, range(1, 5)))
    sealed(power, 2025, 2, "800")  # February locked: its sealed figure, not 速算
    sealed(power, 2025, 3, "999", locked=False)  # March only a draft: 速算 stands
    budget = intensity_budget(entry, feed, target="6")  # 6 × 1,200 万元 = 7,200 t
    (view,) = selectors.burn_downs([budget])
    rows = view.burn.rows
    assert [(row.actual, row.source) for row in rows[:5]] == [
        (D("530.6000"), QUICK),
        (D("800"), SEALED),
        (D("530.6000"), QUICK),
        (D("530.6000"), QUICK),
        (None, None),
    ]
    assert view.burn.as_of == 4
    assert view.burn.cumulative == D("2391.8000")
    assert view.burn.planned == D("2400")  # 4/12 of 7,200 t
    assert view.burn.level == "ok"


def test_an_enterprise_without_a_workspace_gets_an_intensity_budget_from_the_statistics(register, feed):
    entry = next(e for e in register if e.enterprise_id is None)
    feed(statistics(entry.credit_code, 2025, range(1, 7), "50"), kind="statistics_output")
    budget = services.set_budget(
        entry=entry, year=2025, basis="intensity", intensity_target=D("2.5"), by=user("city.inspector")
    )
    # six months of 50 万元 reported: 600 万元 forecast for the year × 2.5 t/万元
    assert budget.value_added_10k_cny == D("600")
    assert budget.initial_tco2 == D("1500")
    assert "6 个月" in budget.basis_note
    with pytest.raises(ValidationError) as error:
        services.set_budget(entry=entry, year=2025, basis="allocation", by=user("city.inspector"))
    assert error.value.code == "budget_exists"


def test_a_budget_from_the_allocation_read_through_the_read_model(register):
    from steward.demo.compliance import _pre_allocation

    power = Enterprise.objects.get(slug="cx-power")
    with schema_context(power.schema_name):
        _pre_allocation(2025, user("power.filer"))  # publishes compliance.changed: the read model follows
    entry = entry_of("cx-power")
    allocation = selectors.allocation_of(entry, 2025)
    assert allocation is not None and allocation.label == "pre v1"
    budget = services.set_budget(entry=entry, year=2025, basis="allocation", by=user("changxing.inspector"))
    assert budget.initial_tco2 == allocation.allowances
    assert budget.basis_note == "2025年度配额（预分配，第1版）"
    other = next(e for e in register if e.enterprise_id is None)
    with pytest.raises(ValidationError) as error:
        services.set_budget(entry=other, year=2025, basis="allocation", by=user("city.inspector"))
    assert error.value.code == "no_allocation"


def test_approve_and_refuse_with_reasons_and_the_budget_in_force(register, feed):
    entry = entry_of("wx-cement")
    budget = intensity_budget(entry, feed, target="6")  # 7,200 t
    first = services.request_adjustment(
        budget=budget, requested_tco2=D("8000"), reason="新增一条生产线", by=user("cement.admin")
    )
    with pytest.raises(ValidationError) as error:
        services.request_adjustment(
            budget=budget, requested_tco2=D("9000"), reason="再加", by=user("cement.admin")
        )
    assert error.value.code == "adjustment_pending"
    with pytest.raises(ValidationError) as error:
        services.decide_adjustment(adjustment=first, approve=True, reason=" ", by=user("city.inspector"))
    assert error.value.code == "decision_reason_required"
    services.decide_adjustment(adjustment=first, approve=True, reason="产线已备案", by=user("city.inspector"))
    budget = selectors.budgets_with_history().get(pk=budget.pk)
    assert selectors.budget_in_force(budget) == D("8000")
    second = services.request_adjustment(
        budget=budget, requested_tco2=D("9500"), reason="订单增加", by=user("cement.admin")
    )
    with pytest.raises(ValidationError) as error:
        services.decide_adjustment(adjustment=second, approve=False, reason="", by=user("city.inspector"))
    services.decide_adjustment(
        adjustment=second, approve=False, reason="订单增加不构成调整理由", by=user("city.inspector")
    )
    with pytest.raises(ValidationError) as error:
        services.decide_adjustment(
            adjustment=second, approve=True, reason="改主意", by=user("city.inspector")
        )
    assert error.value.code == "already_decided"
    budget = selectors.budgets_with_history().get(pk=budget.pk)
    assert selectors.budget_in_force(budget) == D("8000")
    acts = [(entry.act, entry.by.username, entry.reason) for entry in selectors.history(budget)]
    assert acts[1:] == [
        ("requested", "cement.admin", "新增一条生产线"),
        ("approved", "city.inspector", "产线已备案"),
        ("requested", "cement.admin", "订单增加"),
        ("refused", "city.inspector", "订单增加不构成调整理由"),
    ]
    assert acts[0][:2] == ("set", "city.inspector")


def test_a_reason_is_required_to_request(register, feed):
    budget = intensity_budget(entry_of("wx-cement"), feed)
    with pytest.raises(ValidationError) as error:
        services.request_adjustment(
            budget=budget, requested_tco2=D("1"), reason="  ", by=user("cement.admin")
        )
    assert error.value.code == "reason_required"


@pytest.mark.parametrize("table", [CarbonBudget, BudgetAdjustment, AdjustmentDecision])
def test_the_history_is_append_only_in_the_database(register, feed, table):
    budget = intensity_budget(entry_of("wx-cement"), feed)
    adjustment = services.request_adjustment(
        budget=budget, requested_tco2=D("10"), reason="理由", by=user("cement.admin")
    )
    services.decide_adjustment(
        adjustment=adjustment, approve=False, reason="不予批准", by=user("city.inspector")
    )
    row = table.objects.first()
    for change in (lambda: table.objects.filter(pk=row.pk).update(id=row.pk), lambda: row.delete()):
        with pytest.raises((InternalError, IntegrityError)), transaction.atomic():
            change()
    assert table.objects.filter(pk=row.pk).exists()


def test_a_district_bureau_cannot_act_on_another_district(register, feed):
    cement = entry_of("wx-cement")  # 吴兴区
    with pytest.raises(PermissionDenied):
        intensity_budget(cement, feed, by="changxing.inspector")  # 长兴分局
    with pytest.raises(PermissionDenied):
        intensity_budget(cement, feed, by="wuxing.viewer")  # its district, but a viewer only reads
    budget = intensity_budget(cement, feed, by="city.inspector")
    adjustment = services.request_adjustment(
        budget=budget, requested_tco2=D("5000"), reason="理由", by=user("cement.admin")
    )
    with pytest.raises(PermissionDenied):
        services.decide_adjustment(
            adjustment=adjustment, approve=True, reason="同意", by=user("changxing.inspector")
        )
    power_budget = intensity_budget(entry_of("cx-power"), feed, by="changxing.inspector")
    assert power_budget.set_by.username == "changxing.inspector"


def test_an_enterprise_cannot_approve_its_own_request_nor_request_for_another(register, feed):
    budget = intensity_budget(entry_of("wx-cement"), feed)
    with pytest.raises(PermissionDenied):
        services.request_adjustment(
            budget=budget, requested_tco2=D("10"), reason="理由", by=user("cement.filer")
        )
    with pytest.raises(PermissionDenied):
        services.request_adjustment(
            budget=budget, requested_tco2=D("10"), reason="理由", by=user("power.admin")
        )
    adjustment = services.request_adjustment(
        budget=budget, requested_tco2=D("10"), reason="理由", by=user("cement.admin")
    )
    with pytest.raises(PermissionDenied):
        services.decide_adjustment(
            adjustment=adjustment, approve=True, reason="自批", by=user("cement.admin")
        )
    assert not AdjustmentDecision.objects.filter(adjustment=adjustment).exists()


def test_nobody_decides_a_request_they_made(register, feed):
    from tenants.models import Bureau, BureauMembership

    budget = intensity_budget(entry_of("wx-cement"), feed)
    admin = user("cement.admin")
    adjustment = services.request_adjustment(budget=budget, requested_tco2=D("10"), reason="理由", by=admin)
    city = Bureau.objects.get(jurisdiction__parent__isnull=True)
    BureauMembership.objects.create(user=admin, bureau=city, role="bureau_inspector")
    with pytest.raises(PermissionDenied) as error:
        services.decide_adjustment(adjustment=adjustment, approve=True, reason="自批", by=admin)
    assert "decide_own_request" in str(error.value)
