import datetime
from decimal import Decimal

import pytest

from steward.oversight.models import Metric, MonthFact
from tenants.models import Enterprise


@pytest.fixture
def make_fact():
    """`make_fact("cx-power", 2026, 3, status="locked", total_tco2=...)`: a read-model row, as projected."""

    def make(slug: str, year: int, month: int, **columns) -> MonthFact:
        enterprise = Enterprise.objects.get(slug=slug)
        locked = columns.get("status", "locked") == "locked"
        values = {
            "status": "locked",
            "version": 1,
            "deadline": datetime.date(year, month, 28) + datetime.timedelta(days=40),
            "figures_version": 1 if locked else None,
            "total_tco2": Decimal("1000") if locked else None,
            **columns,
        }
        return MonthFact.objects.create(
            enterprise=enterprise,
            jurisdiction_id=enterprise.jurisdiction_id,
            industry_id=enterprise.industry_id,
            year=year,
            month=month,
            **values,
        )

    return make


@pytest.fixture
def make_metric():
    def make(slug: str, key: str, domain: str, year: int, month: int = 0, **values) -> Metric:
        enterprise = Enterprise.objects.get(slug=slug)
        return Metric.objects.create(
            enterprise=enterprise,
            jurisdiction_id=enterprise.jurisdiction_id,
            industry_id=enterprise.industry_id,
            domain=domain,
            key=key,
            year=year,
            month=month,
            **values,
        )

    return make
