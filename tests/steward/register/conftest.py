import pytest

from steward.register import demo
from steward.register.models import RegisteredEnterprise
from tenants.models import User


@pytest.fixture
def register(db):
    """30 generated enterprises over the districts, and the platform's enterprises linked to their workspaces."""
    demo.load_register(30)
    return list(RegisteredEnterprise.objects.order_by("id"))


@pytest.fixture
def importer_user(db):
    return User.objects.get(username="city.viewer")
