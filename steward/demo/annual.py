"""Demo annual report: last year's twelve months of the cement plant, locked and sealed, compiled into its
annual report (version 1, waiting to be sent for quality review)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django_tenants.utils import schema_context

from steward import events
from steward.annual.models import AnnualReport
from steward.carbon import accounting, services
from steward.carbon.models import EmissionSource
from steward.carbon.services import ParameterInput
from steward.demo import DEMO_PASSWORD, ROLES_HELD_SINCE
from steward.demo.carbon import _walk_month, cement_kiln_figures
from steward.demo.clock import acting_on, at, entered_on, year_plan
from steward.demo.period import last_month
from tenants.access import workspace_access
from tenants.models import Enterprise, EnterpriseMembership, User
from workflows import annual_report as annual_services

# Kiln campaign: the winter overhaul stops it for part of February.
CLINKER = [
    Decimal(x) for x in ("150", "92", "146", "151", "153", "149", "144", "147", "152", "155", "150", "139")
]


def _cement_month(year: int, month: int, filer: User, enterprise: Enterprise) -> None:
    sources = {source.kind: source for source in EmissionSource.objects.all()}
    clinker_kt = CLINKER[month - 1]
    services.record_activity(
        source=sources["fuel_combustion"],
        year=year,
        month=month,
        quantity=(clinker_kt * Decimal("133.8")).quantize(Decimal("1")),
        unit="t",
        data_source="inventory_ledger",
        entered_by=filer,
        parameters=[ParameterInput("ncv", Decimal("22.1"), "GJ/t")],
    )
    services.record_activity(
        source=sources["clinker_process"],
        year=year,
        month=month,
        quantity=clinker_kt * 1000,
        unit="t",
        data_source="production_metering",
        entered_by=filer,
        parameters=[
            ParameterInput("clinker_cao", Decimal("65.2"), "%"),
            ParameterInput("clinker_mgo", Decimal("2.4"), "%"),
            ParameterInput("noncarbonate_cao", Decimal("0.8"), "%"),
            ParameterInput("noncarbonate_mgo", Decimal("0"), "%"),
            *cement_kiln_figures(clinker_kt * 1000),
        ],
    )
    electricity = (clinker_kt * Decimal("61.5")).quantize(Decimal("1"))
    services.record_activity(
        source=sources["purchased_electricity"],
        year=year,
        month=month,
        quantity=electricity,
        unit="MWh",
        data_source="settlement_voucher",
        entered_by=filer,
        parameters=[
            ParameterInput(
                "clinker_facility_electricity", (electricity * Decimal("0.9")).quantize(Decimal("1")), "MWh"
            )
        ],
    )
    services.record_output(
        kind="clinker_output", year=year, month=month, value=clinker_kt * 1000, unit="t", entered_by=filer
    )
    accounting.compute_month(enterprise=enterprise, year=year, month=month, by=filer)


def _signatory(enterprise: Enterprise) -> User:
    """The cement plant's legal representative's delegate, who signs its annual report."""
    user, created = User.objects.get_or_create(
        username="cement.signatory", defaults={"display_name": "邵明华"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EnterpriseMembership.objects.get_or_create(
        user=user,
        enterprise=enterprise,
        role="enterprise_signatory",
        defaults={"starts_on": ROLES_HELD_SINCE},
    )
    return user


@transaction.atomic
def compiled_cement_year(year: int) -> AnnualReport | None:
    """Enter, lock and seal twelve months of `year` for the cement plant, then compile its annual report."""
    enterprise = Enterprise.objects.get(slug="wx-cement")
    _signatory(enterprise)
    filer = User.objects.get(username="cement.filer")
    steward = User.objects.get(username="greencarbon.manager")
    # One unit of work for the whole year: the bureau's read model is projected once, at the end, not after
    # each of the year's ~140 acts (each a full re-projection of the enterprise).
    with schema_context(enterprise.schema_name), events.unit_of_work():
        if AnnualReport.objects.filter(year=year).exists() or not EmissionSource.objects.exists():
            return None
        for month in range(1, 13):
            with acting_on(entered_on(year, month)):
                _cement_month(year, month, filer, enterprise)
        # Each month submitted and approved on its day (steward/demo/clock.py), before this year's months.
        plans = year_plan(enterprise, year, range(1, 13), demo_year=last_month()[0])
        for month in range(1, 13):
            _walk_month(enterprise, year, month, filer, steward, approve=True, plan=plans[month])
        admin = User.objects.get(username="cement.admin")
        grant = workspace_access(admin, enterprise)
        with acting_on(
            max(plans[12].approved, at(datetime.date(year + 1, 2, 20), 10)) + datetime.timedelta(hours=1)
        ):
            return annual_services.compile_report(enterprise=enterprise, year=year, by=admin, grant=grant)


def load_demo_annual() -> None:
    compiled_cement_year(last_month()[0] - 1)
