import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from steward.carbon.models import CalculationRun
from steward.compliance import services
from steward.compliance.reference.models import ReferenceRelease
from steward.filing.models import FilingStatus, MonthlyFiling
from tenants.models import Enterprise, User

YEAR = 2024  # no demo records in 2024, so every figure below is the test's own


def pinned_run(year: int, month: int, lines: dict[str, str]) -> int:
    """A calculation run whose result has one line per category (category → tCO2), as the engine writes it."""
    total = sum((Decimal(value) for value in lines.values()), Decimal(0))
    result = {
        "total_tco2": str(total),
        "lines": [
            {"key": category, "label": category, "category": category, "inputs": [], "tco2": value}
            for category, value in lines.items()
        ],
    }
    run = CalculationRun.objects.create(
        year=year,
        month=month,
        methodology="cn_ets_power_2022",
        methodology_version="test",
        factor_set_version="test",
        request={},
        result=result,
        total_tco2=total,
        computed_by=User.objects.get(username="power.filer"),
    )
    return run.pk


def lock_month(
    year: int,
    month: int,
    total: str,
    *,
    version: int = 1,
    status: str = FilingStatus.LOCKED,
    lines: dict[str, str] | None = None,
):
    """A filing as the monthly workflow leaves it once locked: the sealed payload carries the month's total and
    the run it pinned (with `lines`, a real run with those lines; without, run 0, which does not exist)."""
    run = pinned_run(year, month, lines) if lines else 0
    return MonthlyFiling.objects.create(
        year=year,
        month=month,
        version=version,
        status=status,
        deadline=datetime.date(year, month, 28),
        locked_at=timezone.now() if status == FilingStatus.LOCKED else None,
        sealed_payload={"year": year, "month": month, "result": {"run": run, "total_tco2": total}}
        if status == FilingStatus.LOCKED
        else None,
        seal="a" * 64 if status == FilingStatus.LOCKED else "",
    )


@pytest.fixture
def power_schema(db):
    enterprise = Enterprise.objects.get(slug="cx-power")
    with schema_context(enterprise.schema_name):
        yield enterprise
    connection.set_schema_to_public()


@pytest.fixture
def release(db):
    return ReferenceRelease.current()


@pytest.fixture
def power_2024(power_schema, release):
    """Power plant 2024: pre-allocation 0.877 × 1,000,000 MWh = 877,000 t; Jan–Mar locked at 80,000 t each."""
    benchmark = release.benchmarks.get(unit_category="coal_300mw_plus")
    allocation = services.record_allocation(
        year=YEAR,
        stage="pre",
        benchmark=benchmark,
        policy=release.policies.get(sector="power", compliance_year=YEAR),
        output_mwh=Decimal("1000000"),
        entered_by=User.objects.get(username="power.filer"),
    )
    for month in (1, 2, 3):
        lock_month(YEAR, month, "80000.00", lines={"fuel_combustion": "80000.00"})
    return allocation


@pytest.fixture(name="lock_month")
def lock_month_fixture():
    return lock_month
