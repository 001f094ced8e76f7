import pytest
from django_tenants.utils import schema_context
from intake_workbooks import YEAR

from steward.intake.template import build_template
from tenants.models import Enterprise, User


@pytest.fixture
def power(db):
    enterprise = Enterprise.objects.get(slug="cx-power")
    with schema_context(enterprise.schema_name):
        yield enterprise


@pytest.fixture
def filer(db):
    return User.objects.get(username="power.filer")


@pytest.fixture
def year_template(power):
    return build_template(enterprise=power, year=YEAR, months=list(range(1, 13)))
