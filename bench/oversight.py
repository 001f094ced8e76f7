"""Bureau dashboard from the read model vs a naive loop over every enterprise schema.

    .venv/bin/python bench/oversight.py [--enterprises 2000] [--schemas 50] [--runs 20]

Creates `enterprises` synthetic enterprises with twelve months of read-model rows each (public schema only:
workspaces are bulk-inserted, so no schema is created for them), and `schemas` real workspaces (cloned from
the template) holding twelve locked filings with findings each. It then times

  * the dashboard for a city bureau user (the whole page through Django's test client, and the SQL
    aggregation alone) over all `enterprises`, and
  * the naive alternative: for each real schema, switch to it and read the month's current filing, its
    findings, its first submission and sealed total (the minimum the dashboard's figures need), the way a
    dashboard without a read model would; the per-schema time is extrapolated linearly to `enterprises`
    schemas (stated in the output).

Everything it created is removed at the end.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import time
from decimal import Decimal

from _django import setup

setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from steward import demo  # noqa: E402
from steward.demo import credit_code  # noqa: E402
from steward.filing.models import FilingEvent, FilingFinding, FilingStatus, MonthlyFiling  # noqa: E402
from steward.oversight.dashboard import Filters, build_dashboard  # noqa: E402
from steward.oversight.models import MonthFact  # noqa: E402
from steward.oversight.scope import bureau_codes  # noqa: E402
from tenants.models import Enterprise, Industry, Jurisdiction, User, Workspace  # noqa: E402
from tenants.services import onboard_enterprise  # noqa: E402

SYNTHETIC, REAL = "bov", "bor"
YEAR, MONTH = 2025, 6
INDUSTRIES = ["4411", "3011", "1713", "2822", "2021", "2221"]


def districts() -> list[str]:
    return list(Jurisdiction.objects.filter(parent__isnull=False).values_list("code", flat=True))


def synthetic(count: int) -> None:
    """`count` enterprises in public only, with twelve months of read-model rows each."""
    codes = districts()
    workspaces = Workspace.objects.bulk_create(
        Workspace(schema_name=f"{SYNTHETIC}_{i}") for i in range(count)
    )
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            workspace=workspace,
            slug=f"{SYNTHETIC}-{i}",
            name_zh=f"基准企业{i:05d}",
            credit_code=credit_code("330502", f"BQD{i:06d}"),
            jurisdiction_id=codes[i % len(codes)],
            industry_id=INDUSTRIES[i % len(INDUSTRIES)],
            in_national_carbon_market=i % 3 == 0,
        )
        for i, workspace in enumerate(workspaces)
    )
    facts = []
    for i, enterprise in enumerate(enterprises):
        for month in range(1, 13):
            locked = (i + month) % 5 != 0
            total = Decimal(1000 + (i * 37 + month * 11) % 5000)
            facts.append(
                MonthFact(
                    enterprise=enterprise,
                    jurisdiction_id=enterprise.jurisdiction_id,
                    industry_id=enterprise.industry_id,
                    year=YEAR,
                    month=month,
                    status="locked" if locked else "draft",
                    version=1,
                    deadline=datetime.date(YEAR, month, 28) + datetime.timedelta(days=40),
                    submitted_late=(i + month) % 7 == 0,
                    returned_count=(i + month) % 11 == 0,
                    acknowledged_findings=(i + month) % 3,
                    figures_version=1 if locked else None,
                    total_tco2=total if locked else None,
                    output_value=total * 2 if locked else None,
                    output_unit="MWh",
                    intensity=Decimal("0.5") if locked else None,
                )
            )
    MonthFact.objects.bulk_create(facts, batch_size=5000)


def real_schemas(count: int) -> list[Enterprise]:
    """`count` real workspaces, each with twelve locked filings and a few findings."""
    made = []
    for i in range(count):
        enterprise = onboard_enterprise(
            slug=f"{REAL}-{i}",
            name_zh=f"基准真实企业{i}",
            credit_code=credit_code("330502", f"BQR{i:06d}"),
            jurisdiction=Jurisdiction.objects.get(code=districts()[i % len(districts())]),
            industry=Industry.objects.get(code=INDUSTRIES[i % len(INDUSTRIES)]),
        )
        with schema_context(enterprise.schema_name):
            filings = MonthlyFiling.objects.bulk_create(
                MonthlyFiling(
                    year=YEAR,
                    month=month,
                    status=FilingStatus.LOCKED,
                    deadline=datetime.date(YEAR, month, 28) + datetime.timedelta(days=40),
                    sealed_payload={"result": {"total_tco2": str(1000 + month)}, "outputs": []},
                    seal="0" * 64,
                )
                for month in range(1, 13)
            )
            FilingFinding.objects.bulk_create(
                FilingFinding(filing=filing, rule_id="DQ-T01", severity="warning", category="timeliness")
                for filing in filings
                for _ in range(3)
            )
        made.append(enterprise)
    connection.set_schema_to_public()
    return made


def naive_month(enterprises: list[Enterprise]) -> dict:
    """What a dashboard would do without a read model: open every schema for the month."""
    totals = {"filings": 0, "locked": 0, "late": 0, "acknowledged": 0, "tco2": Decimal(0)}
    for enterprise in enterprises:
        with schema_context(enterprise.schema_name):
            filing = MonthlyFiling.objects.filter(year=YEAR, month=MONTH).order_by("-version").first()
            if filing is None:
                continue
            totals["filings"] += 1
            totals["locked"] += filing.status == FilingStatus.LOCKED
            totals["acknowledged"] += sum(1 for f in filing.findings.all() if f.acknowledgement)
            first = (
                FilingEvent.objects.filter(filing__year=YEAR, filing__month=MONTH, action="submitted")
                .order_by("at")
                .first()
            )  # timeliness counts the first submission of any version
            totals["late"] += bool(first and first.at.date() > filing.deadline)
            if filing.sealed_payload and filing.sealed_payload.get("result"):
                totals["tco2"] += Decimal(filing.sealed_payload["result"]["total_tco2"])
    connection.set_schema_to_public()
    return totals


def timed(function, runs: int) -> tuple[float, float]:
    """(median, best) seconds over `runs` calls."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), min(samples)


def cleanup() -> None:
    """Remove what a run created, including what an interrupted run left behind."""
    MonthFact.objects.filter(enterprise__slug__startswith=f"{SYNTHETIC}-").delete()
    Enterprise.objects.filter(slug__startswith=f"{SYNTHETIC}-").delete()
    Workspace.objects.filter(schema_name__startswith=f"{SYNTHETIC}_").delete()  # no schema was created
    MonthFact.objects.filter(enterprise__slug__startswith=f"{REAL}-").delete()
    Enterprise.objects.filter(slug__startswith=f"{REAL}-").delete()
    for workspace in Workspace.objects.filter(schema_name__startswith=f"ent_{REAL}_"):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{workspace.schema_name}" CASCADE')
        workspace.domains.all().delete()
        Workspace.objects.filter(pk=workspace.pk).delete()  # the schema is already gone
    connection.set_schema_to_public()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=2000)
    parser.add_argument("--schemas", type=int, default=20)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="print where the month page spends its time")
    args = parser.parse_args()
    cleanup()
    call_command("setup_platform", verbosity=0)
    demo.load_demo_world()
    try:
        synthetic(args.enterprises)
        real = real_schemas(args.schemas)
        connection.cursor().execute("ANALYZE")
        city = User.objects.get(username="city.viewer")
        codes = bureau_codes(city)
        filters = Filters(year=YEAR, month=MONTH)
        rows = MonthFact.objects.filter(year=YEAR, month=MONTH, jurisdiction_id__in=codes).count()
        client = Client()
        client.force_login(city)
        assert client.get(f"/bureau/?year={YEAR}&month={MONTH}").status_code == 200  # warm up
        page, page_best = timed(lambda: client.get(f"/bureau/?year={YEAR}&month={MONTH}"), args.runs)
        query, query_best = timed(lambda: build_dashboard(codes, filters), args.runs)
        # The default view: the whole year (trend, per-month chart, every month's states).
        year_filters = Filters(year=YEAR)
        assert client.get(f"/bureau/?year={YEAR}").status_code == 200
        year_page, year_page_best = timed(lambda: client.get(f"/bureau/?year={YEAR}"), args.runs)
        year_query, year_query_best = timed(lambda: build_dashboard(codes, year_filters), args.runs)
        with CaptureQueriesContext(connection) as month_queries:
            build_dashboard(codes, filters)
        with CaptureQueriesContext(connection) as year_queries:
            build_dashboard(codes, year_filters)
        with CaptureQueriesContext(connection) as page_queries:
            client.get(f"/bureau/?year={YEAR}&month={MONTH}")
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.runcall(lambda: [client.get(f"/bureau/?year={YEAR}&month={MONTH}") for _ in range(5)])
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
            with CaptureQueriesContext(connection) as slow:
                client.get(f"/bureau/?year={YEAR}&month={MONTH}")
            for item in sorted(slow.captured_queries, key=lambda q: -float(q["time"]))[:10]:
                print(f"{float(item['time']) * 1000:7.1f} ms  {item['sql'][:300]}")
        naive_real, _best = timed(lambda: naive_month(real), max(3, args.runs // 5))
        per_schema = naive_real / len(real)
        naive = per_schema * args.enterprises
        print(f"load average while measuring (1, 5, 15 min): {os.getloadavg()} on {os.cpu_count()} cores")
        print(
            f"read-model rows for the month in the city's jurisdiction: {rows} ({args.enterprises} enterprises)"
        )
        print(
            f"dashboard page, month {MONTH} (server time, median of {args.runs}): {page * 1000:.1f} ms, best "
            f"{page_best * 1000:.1f} ms (target <= 150 ms); {len(page_queries)} queries"
        )
        print(
            f"dashboard aggregation alone (build_dashboard), month {MONTH}: median {query * 1000:.1f} ms, best "
            f"{query_best * 1000:.1f} ms; {len(month_queries)} queries"
        )
        print(
            f"dashboard page, whole year: median {year_page * 1000:.1f} ms, best {year_page_best * 1000:.1f} ms"
        )
        print(
            f"dashboard aggregation alone, whole year: median {year_query * 1000:.1f} ms, best "
            f"{year_query_best * 1000:.1f} ms; {len(year_queries)} queries"
        )
        print(
            f"naive loop over {len(real)} real schemas: {naive_real * 1000:.1f} ms, {per_schema * 1000:.2f} ms/schema"
        )
        print(
            f"naive loop extrapolated linearly to {args.enterprises} schemas: {naive:.2f} s "
            f"(the real cost grows faster: catalog size, cache misses)"
        )
        print(f"ratio naive / dashboard page: {naive / page:.0f}x (target >= 100x)")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
