import pytest
from django_tenants.utils import schema_context

from steward.pollution.services import current_permit
from tenants.models import Enterprise, User


@pytest.fixture
def power(db):
    """Inside the power plant's schema, with its demo permit (last month's CEMS data loaded)."""
    enterprise = Enterprise.objects.get(slug="cx-power")
    with schema_context(enterprise.schema_name):
        yield {
            "enterprise": enterprise,
            "permit": current_permit(),
            "filer": User.objects.get(username="power.filer"),
        }


@pytest.fixture
def paper(db):
    enterprise = Enterprise.objects.get(slug="nth-paper")
    with schema_context(enterprise.schema_name):
        yield {
            "enterprise": enterprise,
            "permit": current_permit(),
            "filer": User.objects.get(username="paper.filer"),
        }
