"""The pollution demo (permits, links, last month's CEMS data) is loaded per test inside its transaction, so the
shared test world, which other suites count on (one evidence file per workspace, no paper-mill sources), stays as
it is."""

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from steward.demo.pollution import build_paper_mill, build_power_plant
from steward.pollution.services import current_permit
from tenants.models import Enterprise, User

LAST = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


def _load(slug: str, username: str, build, cems_months: list[int] | None):
    enterprise = Enterprise.objects.get(slug=slug)
    filer = User.objects.get(username=username)
    with schema_context(enterprise.schema_name):
        build(LAST.year, LAST.month, filer, cems_months=cems_months)
        return {"enterprise": enterprise, "permit": current_permit(), "filer": filer}


@pytest.fixture
def power(db):
    """The power plant with its demo permit and last month's CEMS data (the demo imports the whole quarter to
    date; one month is enough for most tests and a third of the time); the connection stays in its schema."""
    loaded = _load("cx-power", "power.filer", build_power_plant, [LAST.month])
    with schema_context(loaded["enterprise"].schema_name):
        yield loaded


@pytest.fixture
def paper(db):
    loaded = _load("nth-paper", "paper.filer", build_paper_mill, [LAST.month])
    with schema_context(loaded["enterprise"].schema_name):
        yield loaded


@pytest.fixture
def power_quarter(db):
    """The power plant exactly as the demo builds it: CEMS data for every month of last month's quarter."""
    loaded = _load("cx-power", "power.filer", build_power_plant, None)
    with schema_context(loaded["enterprise"].schema_name):
        yield loaded
