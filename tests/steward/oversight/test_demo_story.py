"""The demo world tells a true story on the bureau dashboard: most months submitted and locked before their
deadline, a few late, one returned and resubmitted, the latest months not yet due; dated through the ordinary
services (steward/demo/clock.py), so seals chain, the read model matches the workspaces and a second load
changes nothing."""

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from steward.demo.carbon import load_demo_filings
from steward.demo.compliance import load_demo_compliance
from steward.demo.period import last_month
from steward.filing.models import FilingEvent, FilingStatus, MonthlyFiling
from steward.filing.seal import verify_chain
from steward.oversight import projection
from steward.oversight.dashboard import Filters, build_dashboard
from steward.oversight.models import MonthFact
from steward.oversight.scope import bureau_codes
from tenants.models import User

pytestmark = pytest.mark.django_db


DEMO_FILERS = ("cx-power", "wx-cement")  # the demo plants whose year is walked month by month


def _city_dashboard(year: int, enterprise: str = ""):
    codes = bureau_codes(User.objects.get(username="city.viewer"))
    return build_dashboard(codes, Filters(year=year, enterprise=enterprise))


def _demo_plants_counts(year: int) -> dict[str, int]:
    """The city's figures for the demo plants alone: other tests onboard enterprises of their own into the
    shared test world, with due months they never file, and the story is about the demo's plants."""
    counts = {"due": 0, "due_on_time": 0, "late": 0, "returned": 0}
    for slug in DEMO_FILERS:
        dashboard = _city_dashboard(year, slug)
        for name in counts:
            counts[name] += getattr(dashboard, name)
    return counts


def test_the_demo_year_is_mostly_on_time_with_a_late_month_and_a_returned_one():
    load_demo_filings()
    load_demo_compliance()
    year, last = last_month()
    today = timezone.localdate()
    counts = _demo_plants_counts(year)
    if last >= 4:  # the power plant's February (filed late) is locked from April's demo on
        assert counts["due"] >= 4 and counts["due_on_time"] >= 0.8 * counts["due"], counts
        assert counts["late"] >= 1
    if last >= 6:  # the cement plant's May was returned once and resubmitted
        assert counts["returned"] >= 1
    for fact in MonthFact.objects.filter(year=year, enterprise__slug__in=DEMO_FILERS):
        submitted = timezone.localtime(fact.first_submitted_at).date() if fact.first_submitted_at else None
        assert submitted is None or submitted <= today
        if fact.status == FilingStatus.LOCKED:
            assert fact.first_submitted_at < fact.locked_at <= timezone.now()
    # The latest filed month is in review within its deadline; last month is not due yet and not counted.
    assert not MonthFact.objects.filter(year=year, month=last, enterprise__slug__in=DEMO_FILERS).exists()
    for slug in DEMO_FILERS:
        assert all(row["month"] != last for row in _city_dashboard(year, slug).by_month)


def test_the_dated_demo_keeps_its_seals_its_read_model_and_changes_nothing_when_loaded_again():
    load_demo_filings()
    load_demo_compliance()
    year, _last = last_month()
    counted = {}
    for schema in ("ent_wx_cement", "ent_cx_power"):
        with schema_context(schema):
            assert verify_chain() == []
            # the chain runs in the order of the (dated) locks: each seal names the one locked before it
            locked = list(
                MonthlyFiling.objects.filter(status=FilingStatus.LOCKED).order_by("locked_at", "pk")
            )
            assert [f.previous_seal for f in locked[1:]] == [f.seal for f in locked[:-1]]
            counted[schema] = (MonthlyFiling.objects.count(), FilingEvent.objects.count())
    assert projection.check() == []
    before = _city_dashboard(year)
    load_demo_filings()
    load_demo_compliance()
    for schema, counts in counted.items():
        with schema_context(schema):
            assert (MonthlyFiling.objects.count(), FilingEvent.objects.count()) == counts
    after = _city_dashboard(year)
    assert (after.due, after.due_on_time, after.late, after.returned) == (
        before.due,
        before.due_on_time,
        before.late,
        before.returned,
    )


def test_the_returned_month_shows_its_return_and_resubmission_in_order():
    load_demo_filings()
    year, last = last_month()
    if last < 6:
        pytest.skip("the cement plant's May is not filed yet in this demo year")
    with schema_context("ent_wx_cement"):
        filing = MonthlyFiling.objects.get(year=year, month=5)
        actions = list(filing.events.values_list("action", flat=True))
        assert actions.index("returned") < len(actions) - 1
        assert actions.count("submitted") == 2 and actions[-1] == "approved"
        assert filing.comments.exists()
        times = list(filing.events.values_list("at", flat=True))
        assert times == sorted(times) and times[-1] < timezone.now()
    fact = MonthFact.objects.get(enterprise__slug="wx-cement", year=year, month=5)
    assert fact.returned_count == 1 and not fact.submitted_late and fact.status == "locked"
