"""The fuel stock ledger and the grid's electricity bills: the figures the mass-balance and bill rules check.

Both are monthly versioned records like activity data: the first entry is version 1, a correction adds the
next version with a reason; nothing is edited. Files (the ledger page, the bill) are stored as evidence.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from steward.carbon.freeze import lock_chain, refuse_if_frozen
from steward.carbon.models import ElectricityBill, EmissionSource, FuelStockRecord
from steward.carbon.services import _check_period, _check_quantity
from steward.carbon.unit_rules import check_unit, source_dimension
from steward.evidence.services import store_evidence
from steward.history import attributed
from steward.versioning import NextVersion, next_version


def _next_version(model, *, source: EmissionSource, year: int, month: int, reason: str, by) -> NextVersion:
    """The version fields of a new entry, under the month's chain lock; a correction must give its reason."""
    refuse_if_frozen(year, month)
    lock_chain(model._meta.model_name, source.pk, year, month)
    current = (
        model.objects.select_for_update()
        .filter(source=source, year=year, month=month)
        .order_by("-version")
        .first()
    )
    return next_version(current, reason, by, field="reason")


def _require_kind(source: EmissionSource, kind: str, field: str = "source") -> None:
    if source.kind != kind:
        raise ValidationError(
            {
                field: ValidationError(
                    _("排放源 %(source)s 的类别不适用。"),
                    code="wrong_source_kind",
                    params={"source": source.code},
                )
            }
        )


def current_stock(source: EmissionSource, year: int, month: int) -> FuelStockRecord | None:
    return source.stock_records.filter(year=year, month=month).order_by("-version").first()


def current_bill(source: EmissionSource, year: int, month: int) -> ElectricityBill | None:
    return source.bills.filter(year=year, month=month).order_by("-version").first()


@attributed
@transaction.atomic
def record_fuel_stock(
    *,
    source: EmissionSource,
    year: int,
    month: int,
    opening_stock: Decimal,
    receipts: Decimal,
    closing_stock: Decimal,
    unit: str,
    by,
    upload=None,
    reason: str = "",
) -> FuelStockRecord:
    """Enter (or correct, with a reason) a fuel's opening stock, receipts and closing stock for a month."""
    _check_period(year, month)
    _require_kind(source, EmissionSource.Kind.FUEL_COMBUSTION)
    for name, value in (
        ("opening_stock", opening_stock),
        ("receipts", receipts),
        ("closing_stock", closing_stock),
    ):
        _check_quantity(value, name)
    check_unit(unit, source_dimension(source), field="unit")
    new = _next_version(FuelStockRecord, source=source, year=year, month=month, reason=reason, by=by)
    previous = new.supersedes
    evidence = None
    if upload is not None:
        evidence = store_evidence(
            upload=upload,
            kind="production_record",
            description=f"{source.name} {year}-{month:02d} 购销存台账",
            uploaded_by=by,
            scope="carbon",
        )
    return FuelStockRecord.objects.create(
        source=source,
        year=year,
        month=month,
        **new.fields(),
        opening_stock=opening_stock,
        receipts=receipts,
        closing_stock=closing_stock,
        unit=unit,
        evidence=evidence or (previous.evidence if previous else None),
        entered_by=by,
    )


@attributed
@transaction.atomic
def record_electricity_bill(
    *,
    source: EmissionSource,
    year: int,
    month: int,
    bill_number: str,
    billed_quantity: Decimal,
    unit: str,
    by,
    upload=None,
    reason: str = "",
) -> ElectricityBill:
    """Attach the grid's bill for a month of purchased electricity, with the amount it bills."""
    _check_period(year, month)
    _require_kind(source, EmissionSource.Kind.PURCHASED_ELECTRICITY)
    _check_quantity(billed_quantity, "billed_quantity")
    check_unit(unit, source_dimension(source), field="unit")
    if not bill_number.strip():
        raise ValidationError({"bill_number": ValidationError(_("请填写结算单号。"), code="required")})
    new = _next_version(ElectricityBill, source=source, year=year, month=month, reason=reason, by=by)
    previous = new.supersedes
    if upload is None and previous is None:
        raise ValidationError({"upload": ValidationError(_("请上传电费结算单。"), code="bill_file_required")})
    evidence = (
        store_evidence(
            upload=upload,
            kind="invoice",
            description=f"电费结算单 {bill_number.strip()}",
            uploaded_by=by,
            scope="carbon",
        )
        if upload is not None
        else previous.evidence
    )
    return ElectricityBill.objects.create(
        source=source,
        year=year,
        month=month,
        **new.fields(),
        bill_number=bill_number.strip()[:60],
        billed_quantity=billed_quantity,
        unit=unit,
        evidence=evidence,
        entered_by=by,
    )
