"""Everything the rules look at for one month, as plain data: rules are pure functions of a MonthContext."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class LabReportInfo:
    report_number: str
    accreditation: str
    accreditation_number: str
    sampling_start: datetime.date
    sampling_end: datetime.date
    evidence_intact: bool | None  # None: never checked


@dataclass(frozen=True)
class ParameterValue:
    name: str
    base: Decimal  # fraction, GJ per activity unit, or tC/GJ
    lab_report: LabReportInfo | None = None


@dataclass(frozen=True)
class MeterInfo:
    name: str
    serial_number: str
    calibrated_on: datetime.date
    calibration_due_on: datetime.date


@dataclass(frozen=True)
class StockBalance:
    """The fuel's month in the stock ledger, in the source's base unit (t)."""

    opening: Decimal
    receipts: Decimal
    closing: Decimal

    @property
    def implied_consumption(self) -> Decimal:
        return self.opening + self.receipts - self.closing


@dataclass(frozen=True)
class BillInfo:
    """The grid's bill attached for purchased electricity, in MWh."""

    bill_number: str
    quantity: Decimal
    evidence_intact: bool | None


@dataclass(frozen=True)
class SourceMonth:
    code: str
    name: str
    kind: str
    fuel_code: str = ""
    quantity: Decimal | None = None  # in the source's base unit (t, 10^4 Nm3, MWh, GJ); None: not entered
    data_source: str = ""
    parameters: dict[str, ParameterValue] = field(default_factory=dict)
    meters: tuple[MeterInfo, ...] = ()
    planned_methods: dict[str, str] = field(default_factory=dict)  # parameter → measured/calculated/default
    previous_quantity: Decimal | None = None
    recent_quantities: tuple[
        Decimal, ...
    ] = ()  # cement: the months before this one with a figure, newest first
    last_year_quantity: Decimal | None = None
    last_year_data_source: str = ""
    stock: StockBalance | None = None  # fuels: the stock ledger's month, if entered
    bill: BillInfo | None = None  # purchased electricity: the grid bill, if attached


@dataclass(frozen=True)
class MonthContext:
    year: int
    month: int
    methodology: str
    sources: tuple[SourceMonth, ...]
    outputs: dict[str, Decimal]  # MWh, GJ, t, h
    result: dict | None  # the calculation result for the month's records, if they compute
    deadline: datetime.date
    checked_on: datetime.date

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last_day(self) -> datetime.date:
        next_month = datetime.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return next_month - datetime.timedelta(days=1)

    def sources_of(self, kind: str) -> list[SourceMonth]:
        return [source for source in self.sources if source.kind == kind]
