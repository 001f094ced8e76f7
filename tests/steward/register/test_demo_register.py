"""The demo register: generated Huzhou enterprises with valid credit codes, the platform's own linked, a year of
feeds imported once however often it is loaded."""

import pytest

from steward.register.demo import load_demo_register
from steward.register.models import EnergyRecord, FeedBatch, OutputRecord, RegisteredEnterprise
from tenants.credit_code import validate_credit_code
from tenants.models import Enterprise

pytestmark = pytest.mark.django_db


def test_the_demo_register_loads_once_with_a_year_of_feeds():
    counts = load_demo_register(40, year=2025)
    enterprises = Enterprise.objects.count()
    assert counts == {"registered": 40 + enterprises, "year": 2025, "batches_created": 4}
    for entry in RegisteredEnterprise.objects.all():
        validate_credit_code(entry.credit_code)
    assert RegisteredEnterprise.objects.filter(enterprise__isnull=False).count() == enterprises
    assert len({e.jurisdiction_id for e in RegisteredEnterprise.objects.filter(enterprise__isnull=True)}) == 7
    assert EnergyRecord.objects.count() == (40 + enterprises) * 12 * 6
    assert OutputRecord.objects.count() == (40 + enterprises) * 12
    assert load_demo_register(40, year=2025)["batches_created"] == 0
    assert FeedBatch.objects.count() == 4
