"""What the calculation engine needs from a factor library, and an in-memory snapshot of one factor set.

Methodologies depend only on the `FactorSource` protocol, so they stay plain functions that can be tested
without a database; `FactorSnapshot` reads one published FactorSet once and answers from memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class FuelDefault:
    fuel_code: str
    name: str
    unit: str
    ncv_gj_per_unit: Decimal | None
    carbon_content_tc_per_gj: Decimal | None
    oxidation_rate: Decimal | None
    row_id: str
    source_document: str
    status: str


@dataclass(frozen=True)
class GridFactorRow:
    regime: str
    region: str
    data_year: int
    basis: str
    value_tco2_per_mwh: Decimal
    row_id: str
    source_document: str
    status: str


class FactorSource(Protocol):
    version: str

    def fuel_default(self, fuel_code: str) -> FuelDefault | None: ...

    def grid_factor(self, regime: str, *, latest_data_year: int) -> GridFactorRow | None: ...


class FactorSnapshot:
    """All rows of one factor set, in memory. Chinese guideline rows take precedence over IPCC rows."""

    TABLE_PRECEDENCE = ("cn_guidelines", "ipcc2006")

    def __init__(self, version: str, fuels: list[tuple[str, FuelDefault]], grid: list[GridFactorRow]):
        self.version = version
        self._fuels: dict[str, FuelDefault] = {}
        for table in reversed(self.TABLE_PRECEDENCE):
            self._fuels.update({fuel.fuel_code: fuel for fuel_table, fuel in fuels if fuel_table == table})
        self._grid = sorted(grid, key=lambda row: row.data_year)

    @classmethod
    def from_rows(cls, version: str, fuel_rows, grid_rows) -> FactorSnapshot:
        """From factor rows (stored FuelFactor / GridFactor rows, or unsaved ones read from the shipped CSVs);
        grid rows are the national location-based ones the methods use."""
        fuels = [
            (
                row.table,
                FuelDefault(
                    fuel_code=row.fuel_code,
                    name=row.name,
                    unit=row.unit,
                    ncv_gj_per_unit=row.ncv_gj_per_unit,
                    carbon_content_tc_per_gj=row.carbon_content_tc_per_gj,
                    oxidation_rate=row.oxidation_rate,
                    row_id=row.row_id,
                    source_document=row.source_document,
                    status=row.status,
                ),
            )
            for row in fuel_rows
        ]
        grid = [
            GridFactorRow(
                regime=row.regime,
                region=row.region,
                data_year=row.data_year,
                basis=row.basis,
                value_tco2_per_mwh=row.value_tco2_per_mwh,
                row_id=row.row_id,
                source_document=row.source_document,
                status=row.status,
            )
            for row in grid_rows
            if row.scope == "national" and row.basis == "location"
        ]
        return cls(version, fuels, grid)

    @classmethod
    def from_factor_set(cls, factor_set) -> FactorSnapshot:
        return cls.from_rows(
            factor_set.version,
            factor_set.fuel_factors.all(),
            factor_set.grid_factors.filter(scope="national", basis="location"),
        )

    @classmethod
    def current(cls) -> FactorSnapshot:
        from steward.factors.models import FactorSet

        return cls.from_factor_set(FactorSet.current())

    @classmethod
    def for_version(cls, version: str) -> FactorSnapshot:
        from steward.factors.models import FactorSet

        return cls.from_factor_set(FactorSet.objects.get(version=version))

    def fuel_default(self, fuel_code: str) -> FuelDefault | None:
        return self._fuels.get(fuel_code)

    def fuel_codes(self) -> set[str]:
        return set(self._fuels)

    def grid_factor(self, regime: str, *, latest_data_year: int) -> GridFactorRow | None:
        """The newest national location-based factor of `regime` published for a year ≤ latest_data_year."""
        rows = [row for row in self._grid if row.regime == regime and row.data_year <= latest_data_year]
        return rows[-1] if rows else None
