"""Periods in page URLs: a month outside 1–12 or a year outside 2000–2100 is a 404 before any view runs."""

import pytest
from django.urls import NoReverseMatch, reverse

BASE = "/e/cx-power"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/carbon/2025/13/",
        "/carbon/2025/0/",
        "/carbon/99999/1/",  # was a 500: the year reached date arithmetic
        "/carbon/1999/",
        "/carbon/2025/13/compute/",
        "/filing/2025/13/",
        "/filing/2101/1/",
        "/filing/2025/13/record.pdf",
        "/pollution/2025/00/",
        "/compliance/2018/",
        "/annual/99999/",
    ],
)
def test_a_bad_period_is_not_found(user_client, path):
    assert user_client("power.filer").get(BASE + path).status_code == 404


@pytest.mark.django_db
def test_a_good_period_is_served_with_or_without_a_leading_zero(user_client):
    client = user_client("power.filer")
    for path in ("/carbon/2025/12/", "/carbon/2025/03/", "/carbon/2100/1/", "/filing/2000/1/"):
        assert client.get(BASE + path).status_code == 200, path


def test_reversing_a_bad_period_fails_instead_of_building_a_dead_link():
    assert reverse("workspace:carbon_month", kwargs={"year": 2025, "month": 12}).endswith("/carbon/2025/12/")
    with pytest.raises(NoReverseMatch):
        reverse("workspace:carbon_month", kwargs={"year": 2025, "month": 13})
    with pytest.raises(NoReverseMatch):
        reverse("workspace:filing", kwargs={"year": 1999, "month": 1})


def test_pages_open_on_the_year_of_last_month(clock):
    """On 1 January the carbon, pollution and compliance pages open on the year just ended (December is still
    being filed), not on an empty new year."""
    from steward.edge.periods import working_year

    clock("2027-01-01T09:00")
    assert working_year() == 2026
    clock("2027-02-01T09:00")
    assert working_year() == 2027
