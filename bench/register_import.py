"""Bulk feed import speed: 50,000 enterprises × 12 months × 6 energy carriers (3.6 M rows) through the real importer.

    .venv/bin/python bench/register_import.py [--enterprises 50000] [--sample 5000]

Generates a register of N enterprises (steward.register.demo), writes three CSV feeds for one year, as the grid
company, the gas company and the statistics side send them: electricity (N × 12 rows), natural gas (N × 12) and
other energy (coal, diesel, LPG, purchased heat: N × 48), and imports each with `import_feed` (byte checks,
COPY into staging, set-wise checks, INSERT … SELECT, batch recorded, file kept). Then the naive path on a sample:
one ORM lookup of the credit code, `parse_decimal` and one `EnergyRecord.objects.create` per row, extrapolated to
the same row count, as the baseline. Everything runs in one transaction rolled back at the end; files go to a
temporary EVIDENCE_ROOT. Prints seconds, rows per second and the ratio.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from _django import setup

setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from steward.factors.source import FactorSnapshot  # noqa: E402
from steward.intake.numbers import parse_decimal  # noqa: E402
from steward.register import demo, importer, selectors  # noqa: E402
from steward.register.models import EnergyRecord, FeedBatch, RegisteredEnterprise  # noqa: E402
from tenants.models import User  # noqa: E402

YEAR = 2025
FEEDS = (
    ("grid_electricity", "国网湖州供电公司", ["electricity"]),
    ("gas", "湖州燃气", ["natural_gas"]),
    ("other_energy", "市统计局能源统计", ["coal", "diesel", "lpg", "heat"]),
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=50_000)
    parser.add_argument("--sample", type=int, default=5_000)
    args = parser.parse_args()
    settings.EVIDENCE_ROOT = Path(tempfile.mkdtemp(prefix="bench-register-"))
    user = User.objects.get_or_create(username="bench-register", defaults={"display_name": "bench"})[0]
    with transaction.atomic():
        started = time.perf_counter()
        demo.load_register(args.enterprises, link_enterprises=False)
        codes = list(
            RegisteredEnterprise.objects.filter(enterprise__isnull=True)
            .order_by("id")
            .values_list("credit_code", flat=True)[: args.enterprises]
        )
        print(f"register: {len(codes)} enterprises in {time.perf_counter() - started:.1f} s")
        files = []
        started = time.perf_counter()
        for kind, source, carriers in FEEDS:
            data = demo.feed_bytes(demo.ENERGY_HEADER, demo.energy_rows(codes, YEAR, carriers))
            files.append((kind, source, data))
        rows_total = sum(data.count(b"\n") - 1 for _k, _s, data in files)
        size = sum(len(data) for _k, _s, data in files)
        print(
            f"generated {rows_total:,} rows ({size / 1e6:.0f} MB CSV) in {time.perf_counter() - started:.1f} s"
        )

        total, batches = 0.0, []
        for kind, source, data in files:
            started = time.perf_counter()
            batch, created = importer.import_feed(
                name=f"{kind}-{YEAR}.csv", data=data, kind=kind, year=YEAR, source=source, by=user
            )
            seconds = time.perf_counter() - started
            total += seconds
            assert created
            batches.append(batch.pk)
            print(
                f"  {kind:18} {batch.rows_loaded:>10,} rows  {seconds:6.1f} s  {batch.rows_loaded / seconds:>10,.0f} rows/s"
                f"  phases {batch.report.seconds}"
            )
        loaded = EnergyRecord.objects.filter(batch_id__in=batches).count()
        assert loaded == rows_total, (loaded, rows_total)
        print(
            f"import: {rows_total:,} rows in {total:.1f} s = {rows_total / total:,.0f} rows/s (target ≤ 60 s)"
        )

        started = time.perf_counter()
        again = importer.import_feed(
            name="again.csv", data=files[0][2], kind=files[0][0], year=YEAR, source="again", by=user
        )
        print(f"same file again: created={again[1]} in {time.perf_counter() - started:.2f} s")

        started = time.perf_counter()
        breakdown = selectors.totals(YEAR, FactorSnapshot.current())
        areas = breakdown["jurisdiction"]
        print(
            f"速算 by district and industry over {rows_total:,} rows (one pass): {time.perf_counter() - started:.1f} s, "
            f"{len(areas)} districts, {sum(a.tco2 for a in areas):,.0f} tCO2"
        )
        started = time.perf_counter()
        district = selectors.totals(YEAR, FactorSnapshot.current(), jurisdiction_codes={areas[0].code})
        print(
            f"  one district's bureau: {time.perf_counter() - started:.1f} s ({district['jurisdiction'][0].enterprises:,} enterprises)"
        )

        sample = list(demo.energy_rows(codes[: args.sample // 12 + 1], YEAR + 1, ["electricity"]))[
            : args.sample
        ]
        batch = FeedBatch.objects.get(pk=batches[0])
        started = time.perf_counter()
        for line, (code, year, month, carrier, quantity, unit) in enumerate(sample, start=2):
            registered = RegisteredEnterprise.objects.get(credit_code=code)
            EnergyRecord.objects.create(
                registered=registered,
                year=year,
                month=month,
                carrier=carrier,
                quantity=parse_decimal(str(quantity)),
                unit=unit,
                batch=batch,
                sheet_row=line,
            )
        naive = (time.perf_counter() - started) / len(sample) * rows_total
        print(
            f"naive per-row ORM: {len(sample):,} rows sampled, extrapolated {naive:.0f} s for {rows_total:,} rows "
            f"= {naive / total:.0f}× slower"
        )
        transaction.set_rollback(True)
    with (
        connection.cursor() as cursor
    ):  # the rolled-back rows are dead tuples: later runs start from the same size
        cursor.execute("VACUUM register_energyrecord, register_registeredenterprise, register_feedbatch")


if __name__ == "__main__":
    main()
