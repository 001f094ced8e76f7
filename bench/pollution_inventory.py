"""The fused inventory page (/e/cx-power/inventory/) with the pollutant accounting read set-wise (one ledger of
the year's readings, certifications, samples, links and activity: steward.pollution.accounting.Ledger) against
the per-month path it replaced (tests/steward/pollution/reference_accounting.py, the old accounting verbatim:
queries per outlet × pollutant × month).

    DATABASE_URL=postgresql://…/steward_fresh .venv/bin/python bench/pollution_inventory.py [--rounds 5]

Needs a database with the demo loaded (`manage.py demo --no-serve`). Through Django's test client, as
power.admin, it requests the page `rounds` times per configuration and prints wall and CPU time per page (best of
three repetitions), queries per page, and the before/after ratios. It first checks that both paths give the same
figures for every month of the year.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from contextlib import contextmanager

from _django import ROOT, setup

setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from steward.pollution import accounting, inventory  # noqa: E402
from steward.pollution.services import current_permit  # noqa: E402
from tenants.models import Enterprise, User  # noqa: E402

PATH = "/e/cx-power/inventory/"


def _reference():
    spec = importlib.util.spec_from_file_location(
        "reference_accounting", ROOT / "tests/steward/pollution/reference_accounting.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


REFERENCE = _reference()


def per_month(permit, year, months):
    return {month: REFERENCE.month_results(permit, year, month) for month in months}


@contextmanager
def accounting_path(function):
    kept = inventory.results_by_month
    inventory.results_by_month = function
    try:
        yield
    finally:
        inventory.results_by_month = kept


def figures(by_month) -> list[tuple]:
    return [
        (
            r.month,
            r.outlet_code,
            r.pollutant,
            r.tonnes,
            r.method,
            r.basis,
            r.notes,
            r.by_source,
            (r.capture.valid_periods, r.capture.required_periods, r.capture.certified) if r.capture else None,
        )
        for results in by_month.values()
        for r in results
    ]


def check_equal() -> int:
    with schema_context(Enterprise.objects.get(slug="cx-power").schema_name):
        permit, today = current_permit(), timezone.localdate()
        months = list(range(1, today.month))
        old, new = (
            figures(per_month(permit, today.year, months)),
            figures(accounting.results_by_month(permit, today.year, months)),
        )
    assert old == new, "the set-wise accounting differs from the per-month path"
    return len(new)


def measure(client: Client, rounds: int) -> tuple[float, float, int]:
    response = client.get(PATH)  # warm
    assert response.status_code == 200, response.status_code
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        client.get(PATH)  # (CaptureQueriesContext would lose the queries: request_started resets the log)
    best_wall = best_cpu = float("inf")
    for _repeat in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        for _round in range(rounds):
            client.get(PATH)
        best_wall = min(best_wall, (time.perf_counter() - wall) / rounds * 1000)
        best_cpu = min(best_cpu, (time.process_time() - cpu) / rounds * 1000)
    return best_wall, best_cpu, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"figures equal on both paths: {check_equal()} results (outlet × pollutant × month)")
    with override_settings(ALLOWED_HOSTS=["*"]):
        client = Client()
        client.force_login(User.objects.get(username="power.admin"))
        with accounting_path(per_month):
            before = measure(client, args.rounds)
        after = measure(client, args.rounds)
    print(f"{'':28}{'wall ms':>10}{'cpu ms':>10}{'queries':>10}")
    for label, (wall, cpu, count) in (("before (per month)", before), ("after (ledger)", after)):
        print(f"{label:28}{wall:10.1f}{cpu:10.1f}{count:10d}")
    print(
        f"{'ratio before/after':28}{before[0] / after[0]:10.1f}{before[1] / after[1]:10.1f}"
        f"{before[2] / after[2]:10.1f}"
    )


if __name__ == "__main__":
    main()
