"""Build a MonthContext from an enterprise's records (current versions), its plan and the deadline calendar."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from steward.carbon.calculator import CalculationInputError, calculate
from steward.carbon.ledgers import current_bill, current_stock
from steward.carbon.models import ActivityRecord, EmissionSource, MeasuredParameter
from steward.carbon.selectors import current_outputs, current_records, methodology_for, month_request
from steward.carbon.unit_rules import output_dimension, parameter_dimension, source_dimension
from steward.carbon.units import to_base
from steward.factors.source import FactorSnapshot
from steward.quality.context import (
    BillInfo,
    LabReportInfo,
    MeterInfo,
    MonthContext,
    ParameterValue,
    SourceMonth,
    StockBalance,
)
from steward.quality.models import ControlPlanVersion
from tenants.deadlines import monthly_filing_deadline

CEMENT = "cn_cement_clinker"


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year, month - 1) if month > 1 else (year - 1, 12)


def _base(record: ActivityRecord | None) -> Decimal | None:
    return None if record is None else to_base(record.quantity, record.unit, source_dimension(record.source))


def _lab_report(parameter: MeasuredParameter) -> LabReportInfo | None:
    report = parameter.lab_report
    if report is None:
        return None
    return LabReportInfo(
        report.report_number,
        report.accreditation,
        report.accreditation_number,
        report.sampling_start,
        report.sampling_end,
        report.evidence.integrity_ok,
    )


def _parameters(record: ActivityRecord | None) -> dict[str, ParameterValue]:
    if record is None:
        return {}
    return {
        parameter.name: ParameterValue(
            parameter.name,
            to_base(parameter.value, parameter.unit, parameter_dimension(parameter.name, record.source)),
            _lab_report(parameter),
        )
        for parameter in record.parameters.select_related("lab_report__evidence")
    }


def _stock(source: EmissionSource, year: int, month: int) -> StockBalance | None:
    row = current_stock(source, year, month) if source.kind == EmissionSource.Kind.FUEL_COMBUSTION else None
    if row is None:
        return None
    dimension = source_dimension(source)
    return StockBalance(
        *(
            to_base(value, row.unit, dimension)
            for value in (row.opening_stock, row.receipts, row.closing_stock)
        )
    )


def _bill(source: EmissionSource, year: int, month: int) -> BillInfo | None:
    row = (
        current_bill(source, year, month)
        if source.kind == EmissionSource.Kind.PURCHASED_ELECTRICITY
        else None
    )
    if row is None:
        return None
    quantity = to_base(row.billed_quantity, row.unit, source_dimension(source))
    return BillInfo(row.bill_number, quantity, row.evidence.integrity_ok)


def _result(year: int, month: int, methodology: str) -> dict | None:
    try:
        return calculate(
            month_request(year=year, month=month, methodology=methodology), FactorSnapshot.current()
        )
    except CalculationInputError:
        return None


def month_context(enterprise, year: int, month: int, *, today: datetime.date | None = None) -> MonthContext:
    methodology = methodology_for(enterprise)
    current = current_records(year, month)
    previous = current_records(*_previous(year, month))
    last_year = current_records(year - 1, month)
    recent = [previous]
    if methodology == CEMENT:  # clinker output against the last three months (DQ-P14)
        earlier = _previous(*_previous(year, month))
        recent += [current_records(*earlier), current_records(*_previous(*earlier))]
    plan = ControlPlanVersion.in_force(datetime.date(year, month, 1))
    planned, planned_meters = {}, {}
    if plan:
        for spec in plan.specs.all():
            planned.setdefault(spec.source_id, {})[spec.parameter] = spec.method
            if spec.meter_id:
                planned_meters.setdefault(spec.source_id, set()).add(spec.meter_id)
    sources = []
    for source in EmissionSource.objects.prefetch_related("meters"):
        record = current.get(source.pk)
        sources.append(
            SourceMonth(
                code=source.code,
                name=source.name,
                kind=source.kind,
                fuel_code=source.fuel_code,
                quantity=_base(record),
                data_source=record.data_source if record else "",
                parameters=_parameters(record),
                # The meters the plan in force names for this source (a replaced meter is not this month's
                # instrument); every meter of the source when the plan names none.
                meters=tuple(
                    MeterInfo(m.name, m.serial_number, m.calibrated_on, m.calibration_due_on)
                    for m in source.meters.all()
                    if source.pk not in planned_meters or m.pk in planned_meters[source.pk]
                ),
                planned_methods=planned.get(source.pk, {}),
                previous_quantity=_base(previous.get(source.pk)),
                recent_quantities=tuple(_base(months[source.pk]) for months in recent if source.pk in months)
                if methodology == CEMENT
                else (),
                last_year_quantity=_base(last_year.get(source.pk)),
                last_year_data_source=last_year[source.pk].data_source if source.pk in last_year else "",
                stock=_stock(source, year, month),
                bill=_bill(source, year, month),
            )
        )
    outputs = {
        kind: to_base(row.value, row.unit, output_dimension(kind))
        for kind, row in current_outputs(year, month).items()
    }
    deadline, _policy = monthly_filing_deadline(enterprise, year, month)
    return MonthContext(
        year=year,
        month=month,
        methodology=methodology,
        sources=tuple(sources),
        outputs=outputs,
        result=_result(year, month, methodology),
        deadline=deadline,
        checked_on=today or timezone.localdate(),
    )
