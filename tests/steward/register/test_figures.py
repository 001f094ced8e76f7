"""速算 summed set-wise by district and industry, newest batch first, and beside the sealed figure in the queue."""

import datetime
from decimal import Decimal

import pytest

from steward.factors.source import FactorSnapshot
from steward.oversight.models import MonthFact
from steward.oversight.risk import spot_check_queue
from steward.register import demo, importer, selectors
from steward.register.quick import quick_co2
from tenants.models import Enterprise

pytestmark = pytest.mark.django_db


def load(rows, user, kind="other_energy", name="feed.csv"):
    data = demo.feed_bytes(demo.ENERGY_HEADER, rows)
    return importer.import_feed(name=name, data=data, kind=kind, year=2025, source="test", by=user)[0]


def test_totals_by_district_equal_the_sum_of_each_enterprises_figure(register, importer_user):
    factors = FactorSnapshot.current()
    generated = [entry for entry in register if entry.enterprise_id is None][:14]
    load(
        list(
            demo.energy_rows([e.credit_code for e in generated], 2025, ["electricity", "natural_gas", "heat"])
        ),
        importer_user,
    )
    by_district = selectors.area_totals(2025, factors)
    figures = {f.registered_id: f for f in selectors.enterprise_figures(2025, factors, monthly=False)}
    for area in by_district:
        members = [e for e in generated if e.jurisdiction_id == area.code]
        expected = sum(quick_co2(figures[e.id].quantities, 2025, factors).tco2 for e in members)
        assert area.enterprises == len(members)
        assert abs(area.tco2 - expected) < Decimal("0.001")
    by_industry = selectors.area_totals(2025, factors, by="industry")
    assert abs(sum(a.tco2 for a in by_industry) - sum(a.tco2 for a in by_district)) < Decimal("0.01")


def test_a_corrected_file_for_the_same_month_replaces_the_figure_without_editing_rows(
    register, importer_user
):
    factors = FactorSnapshot.current()
    code = register[0].credit_code
    load([[code, 2025, 1, "电力", "1000000", "kWh"]], importer_user, name="v1.csv")
    load([[code, 2025, 1, "电力", "2000000", "kWh"]], importer_user, name="v2.csv")
    (figure,) = selectors.enterprise_figures(2025, factors, registered_ids=[register[0].id])
    assert figure.tco2 == Decimal("1061.2000")  # 2,000 MWh × 0.5306: the newer batch


def test_a_sealed_month_far_from_its_quick_figure_raises_a_risk_reason(register, importer_user):
    power = Enterprise.objects.get(slug="cx-power")
    factors = FactorSnapshot.current()
    # 1,000 MWh × 0.5306 = 530.6 tCO2 of 速算; sealed 1,000 tCO2 → −47 %, beyond the 20 % of rules.csv
    load(
        [
            [power.credit_code, 2025, 6, "电力", "1000000", "kWh"],
            [power.credit_code, 2025, 7, "电力", "1000000", "kWh"],
        ],
        importer_user,
    )
    for month, sealed in ((6, "1000"), (7, "560")):
        MonthFact.objects.update_or_create(
            enterprise=power,
            year=2025,
            month=month,
            defaults={
                "jurisdiction_id": power.jurisdiction_id,
                "industry_id": power.industry_id,
                "status": "locked",
                "version": 1,
                "deadline": datetime.date(2025, month + 1, 28),
                "figures_version": 1,
                "total_tco2": Decimal(sealed),
            },
        )
    (june, july) = selectors.sealed_comparison(2025, factors, enterprise_ids=[power.pk])
    assert (june.quick_tco2, june.sealed_tco2) == (Decimal("530.6000"), Decimal("1000"))
    queue = {item.fact.month: item for item in spot_check_queue({power.jurisdiction_id}, 2025, 6)}
    texts = [reason.text for reason in queue[6].reasons]
    assert "速算 530.6 tCO2 与封存数据 1,000.0 tCO2 相差 -47%（阈值 20%）" in texts
    assert any(reason.points == 25 for reason in queue[6].reasons if reason.text.startswith("速算"))
    july_queue = spot_check_queue({power.jurisdiction_id}, 2025, 7)
    assert not any(reason.text.startswith("速算") for item in july_queue for reason in item.reasons)


def test_a_district_bureau_sums_only_its_district_in_one_pass(register, importer_user):
    factors = FactorSnapshot.current()
    generated = [entry for entry in register if entry.enterprise_id is None][:14]
    load(list(demo.energy_rows([e.credit_code for e in generated], 2025, ["electricity"])), importer_user)
    district = generated[0].jurisdiction_id
    everything = selectors.totals(2025, factors)
    mine = selectors.totals(2025, factors, jurisdiction_codes={district})
    assert [row.code for row in mine["jurisdiction"]] == [district]
    assert mine["jurisdiction"] == [row for row in everything["jurisdiction"] if row.code == district]
    assert sum(row.enterprises for row in mine["industry"]) == mine["jurisdiction"][0].enterprises


def test_a_current_grading_run_gives_the_same_totals_as_the_feeds(register, importer_user):
    """The run's rows hold each enterprise's year (every energy month, every value added month, newest batch
    first), so its totals equal the live pass over the feeds; a batch landing after it makes it stale."""
    from steward.register.grading import regrade

    factors = FactorSnapshot.current()
    generated = [entry for entry in register if entry.enterprise_id is None][:14]
    codes = [e.credit_code for e in generated]
    load(list(demo.energy_rows(codes, 2025, ["electricity", "natural_gas", "heat"])), importer_user)
    load([[codes[0], 2025, 1, "电力", "2000000", "kWh"]], importer_user, name="corrected.csv")
    importer.import_feed(
        name="stats.csv",
        data=demo.feed_bytes(demo.OUTPUT_HEADER, list(demo.output_rows(codes[:10], 2025))[:-3]),
        kind="statistics_output",
        year=2025,
        source="test",
        by=importer_user,
    )
    run = regrade(2025)
    assert selectors.run_is_current(run, factors)
    district = generated[0].jurisdiction_id
    for scope in (None, {district}):
        live = selectors.totals(2025, factors, jurisdiction_codes=scope)
        assert selectors.run_totals(run.pk, jurisdiction_codes=scope) == live
    assert sum(row.enterprises for row in live["jurisdiction"]) < len(generated)  # one district only
    # a run computed before its rows held the year's figures (migration register 0005) is not summed
    from steward.register.models import GradingRun, RegisterGrade

    earlier = GradingRun.objects.get(pk=run.pk)
    earlier.pk = None
    earlier.save()
    rows = list(RegisterGrade.objects.filter(run=run))
    for row in rows:
        row.pk, row.run, row.all_months_tco2, row.all_months_value_added_10k = None, earlier, None, None
    RegisterGrade.objects.bulk_create(rows)
    assert not selectors.run_is_current(earlier, factors)
    load([[codes[1], 2025, 2, "电力", "1", "kWh"]], importer_user, name="later.csv")
    assert not selectors.run_is_current(run, factors)


def _without_districts(run):
    """A copy of `run` as a run from before migration register 0007 wrote it: rows without their district, so
    `run_figures` and `register_entries` join the register (the path the page took before)."""
    from steward.register.models import GradingRun, RegisterGrade

    earlier = GradingRun.objects.get(pk=run.pk)
    earlier.pk = None
    earlier.save()
    rows = list(RegisterGrade.objects.filter(run=run))
    for row in rows:
        row.pk, row.run, row.jurisdiction = None, earlier, None
    RegisterGrade.objects.bulk_create(rows)
    return earlier


def test_the_run_keeps_each_district_and_reads_the_same_figures_and_counts_as_the_join(
    register, importer_user
):
    """Each grade row keeps the enterprise's district as the run read the register, and the run keeps a tally per
    district, industry and grade, so the page's pass reads the tally and its grade filter's count comes from it:
    the same totals, distribution, grades per district and counts as the run's rows, as their join with the
    register (a run without districts or tally) and as COUNT over the filtered entries."""
    from steward.register.grading import regrade
    from steward.register.models import RegisterGrade

    factors = FactorSnapshot.current()
    generated = [entry for entry in register if entry.enterprise_id is None][:20]
    codes = [e.credit_code for e in generated]
    load(list(demo.energy_rows(codes[:16], 2025, ["electricity", "natural_gas", "coal"])), importer_user)
    importer.import_feed(
        name="stats.csv",
        data=demo.feed_bytes(demo.OUTPUT_HEADER, list(demo.output_rows(codes[2:], 2025))),
        kind="statistics_output",
        year=2025,
        source="test",
        by=importer_user,
    )
    run = regrade(2025)
    districts = dict(RegisterGrade.objects.filter(run=run).values_list("registered_id", "jurisdiction_id"))
    assert districts == {entry.pk: entry.jurisdiction_id for entry in register}
    joined = _without_districts(run)
    assert selectors.run_has_districts(run.pk) and not selectors.run_has_districts(joined.pk)
    assert run.tallies.count() < RegisterGrade.objects.filter(run=run).count() and not joined.tallies.exists()
    district = generated[0].jurisdiction_id
    industry = generated[0].industry_id
    everywhere = {entry.jurisdiction_id for entry in register}
    statuses = set(RegisterGrade.objects.filter(run=run).values_list("status", flat=True))
    assert {"graded", "no_energy", "no_value_added"} <= statuses  # every kind of row is compared
    for scope in (None, {district}, everywhere):
        for of_industry in (None, industry):
            fast = selectors.run_figures(run.pk, jurisdiction_codes=scope, industry=of_industry)
            slow = selectors.run_figures(joined.pk, jurisdiction_codes=scope, industry=of_industry)
            assert fast == slow == selectors.run_figures_from_rows(run.pk, scope, of_industry)
            assert fast.totals == selectors.totals(2025, factors, jurisdiction_codes=scope)
            for grade in selectors.GRADE_FILTERS:
                listed = selectors.register_entries(
                    scope or everywhere, run_id=run.pk, industry=of_industry, grade=grade
                )
                counted = selectors.register_entries(
                    scope or everywhere, run_id=joined.pk, industry=of_industry, grade=grade
                ).count()
                assert fast.entries_with(grade) == listed.count() == counted
                assert list(listed) == list(
                    selectors.register_entries(
                        scope or everywhere, run_id=joined.pk, industry=of_industry, grade=grade
                    )
                )
