"""A year's recomputation at city scale: 2,000 enterprises × 20 sources × 12 months (target ≤ 30 s, 2 cores).

    .venv/bin/python bench/recompute.py [--enterprises 2000] [--sources 20] [--workers 2]

Part 1 runs the calculation engine (parse + compute + JSON result, Decimal throughout) over generated
requests, in one process and in `--workers` processes. Part 2 measures the database path on real tenant
schemas (build the request from stored records, compute, store the pinned run) for the demo enterprises and
extrapolates it to the same volume.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import time

from _django import setup

setup()

from django.db import connection  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from steward.carbon.calculator import compute, parse  # noqa: E402
from steward.carbon.models import CalculationRun  # noqa: E402
from steward.carbon.selectors import methodology_for, month_request  # noqa: E402
from steward.factors.source import FactorSnapshot  # noqa: E402
from tenants.models import Enterprise  # noqa: E402

FUELS = [
    ("bituminous_coal", "t"),
    ("anthracite", "t"),
    ("natural_gas", "10^4 Nm3"),
    ("diesel", "t"),
    ("fuel_oil", "t"),
    ("lpg", "t"),
    ("coke", "t"),
]
_factors: FactorSnapshot | None = None


def enterprise_year(seed: int, sources: int) -> list[dict]:
    """Twelve monthly requests for one generated enterprise with `sources` sources."""
    rng = random.Random(seed)
    methodology = rng.choice(["cn_ets_power_2022", "gbt32150_generic", "gbt32150_generic"])
    requests = []
    for month in range(1, 13):
        fuels = []
        for index in range(sources - 1):
            fuel, unit = FUELS[index % len(FUELS)]
            entry = {"fuel": fuel, "consumption": {"value": str(rng.randint(10, 90000)), "unit": unit}}
            if fuel == "bituminous_coal" and rng.random() < 0.8:
                entry["carbon_content_ar"] = {"value": f"0.{rng.randint(480, 560)}", "unit": "fraction"}
            fuels.append(entry)
        requests.append(
            {
                "methodology": methodology,
                "period": {"year": 2025, "month": month},
                "fuels": fuels,
                "purchased_electricity": {"value": str(rng.randint(100, 9000)), "unit": "MWh"},
                "outputs": {
                    "electricity_supplied": {"value": str(rng.randint(10000, 400000)), "unit": "MWh"}
                },
            }
        )
    return requests


def _init_worker(factors: FactorSnapshot) -> None:
    global _factors
    _factors = factors


def recompute_enterprises(seeds: list[int], sources: int) -> int:
    lines = 0
    for seed in seeds:
        for request in enterprise_year(seed, sources):
            result = compute(parse(request, _factors), _factors).as_json()
            lines += len(result["lines"])
    return lines


def engine_benchmark(enterprises: int, sources: int, workers: int, factors: FactorSnapshot) -> None:
    _init_worker(factors)
    sample = max(1, enterprises // 20)
    started = time.perf_counter()
    lines = recompute_enterprises(list(range(sample)), sources)
    single = (time.perf_counter() - started) * enterprises / sample
    print(
        f"engine, 1 process:    {sample} enterprises ({lines} source-months) in "
        f"{(time.perf_counter() - started):.2f} s → {single:.1f} s projected for {enterprises}"
    )
    chunks = [list(range(start, enterprises, workers * 8)) for start in range(workers * 8)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers, _init_worker, (factors,)) as pool:
        total = sum(pool.starmap(recompute_enterprises, [(chunk, sources) for chunk in chunks]))
    elapsed = time.perf_counter() - started
    print(
        f"engine, {workers} processes:  {enterprises} enterprises × {sources} sources × 12 months = "
        f"{total} source-months in {elapsed:.1f} s ({total / elapsed:,.0f} source-months/s); target ≤ 30 s"
    )


def database_benchmark(enterprises: int, sources: int, factors: FactorSnapshot) -> None:
    """Per stored month: build the request from records, compute, insert the pinned run (rolled back)."""
    timings, source_months = [], 0
    for enterprise in Enterprise.objects.all():
        with schema_context(enterprise.schema_name):
            months = list(
                CalculationRun.objects.filter(superseded_by__isnull=True).values_list("year", "month")
            )
            if not months:
                continue
            from django.db import transaction

            with transaction.atomic():
                started = time.perf_counter()
                for year, month in months:
                    request = month_request(year=year, month=month, methodology=methodology_for(enterprise))
                    result = compute(parse(request, factors), factors).as_json()
                    source_months += len(result["lines"])
                    CalculationRun.objects.create(
                        year=1900 + month,
                        month=month,
                        methodology=result["methodology"],
                        methodology_version=result["methodology_version"],
                        factor_set_version=factors.version,
                        request=request,
                        result=result,
                        total_tco2=result["total_tco2"],
                        computed_by_id=1,
                    )
                timings.append((time.perf_counter() - started, len(months)))
                transaction.set_rollback(True)
    connection.set_schema_to_public()
    if not timings:
        print("database path: no computed months found (run `python3 manage.py demo --no-serve` first)")
        return
    seconds = sum(t for t, _ in timings)
    months_done = sum(n for _, n in timings)
    per_month = seconds / months_done
    projected = per_month * enterprises * 12
    # The demo months have 3 sources each; the per-month cost is dominated by the 3 queries and the insert,
    # which do not grow with the number of sources, so the projection counts enterprise-months.
    print(
        f"database path, 1 process: {months_done} stored months ({source_months} source-months) in "
        f"{seconds:.3f} s = {per_month * 1000:.2f} ms per enterprise-month → {projected:.0f} s projected for "
        f"{enterprises} × 12 months on one process, {projected / 2:.0f} s on 2"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=2000)
    parser.add_argument("--sources", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    factors = FactorSnapshot.current()
    engine_benchmark(args.enterprises, args.sources, args.workers, factors)
    database_benchmark(args.enterprises, args.sources, factors)


if __name__ == "__main__":
    main()
