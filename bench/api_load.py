"""The workspace API under 50 concurrent clients, against gunicorn on this machine, beside stock DRF.

    DATABASE_URL=... .venv/bin/python bench/api_load.py [--clients 50] [--requests 2000] [--rates 20,50,100]

Starts gunicorn (sync workers, loopback only) with bench/api_load_settings.py, which adds two stock DRF list
endpoints (bench/api_load_urls.py: ModelViewSets with no authentication, permission, throttle or tenant
lookups): `/bench/stock/activity/` lists the same activity records with the same fields, joins and page size
as the workspace list (the baseline), `/bench/stock/industries/` a small public table (for scale); and an
`X-Queries` header counting each request's SQL statements. It then measures, in the same run:

  * saturation: `clients` threads, no pause, `requests` requests in all: req/s (the ratio of the workspace
    list to the stock list of the same rows is the figure for the ≥ 80 % target) and latency under a full
    queue;
  * paced: the same clients offering each of `rates` req/s in all (20, the estimated Huzhou peak, RELIABILITY.md
    §5.2; 50; and 100, five times the peak, near what 3 workers on 2 shared cores can serve at all): the latency
    a user sees (the p99 ≤ 50 ms target), for stock DRF and ours at each rate;
  * the filing submit (`POST /e/cx-power/api/v1/filings/<y>/<m>/submit/`) of every month of 2021–2025 of the
    demo power plant, all at once from `clients` threads (each month prepared in advance: records entered,
    warnings acknowledged; months left in review by an earlier run are returned first).

Every response must be 2xx ("errors" counts the others and transport failures). Load generator, gunicorn
and PostgreSQL share the same cores, so the figures are conservative. Needs the demo world
(`python3 manage.py demo --no-serve`); creates an API token for the run and revokes it at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal

from _django import ROOT, setup

setup()

from django.core.management import call_command  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from steward.carbon import services as carbon  # noqa: E402
from steward.carbon.models import ActivityRecord, EmissionSource  # noqa: E402
from steward.filing.models import FilingStatus  # noqa: E402
from steward.integrations.tokens import create_token, revoke_token  # noqa: E402
from tenants.access import workspace_access  # noqa: E402
from tenants.models import Enterprise, User  # noqa: E402
from workflows import monthly_filing as filing_services  # noqa: E402

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8765"))
SLUG = "cx-power"
LIST = f"/e/{SLUG}/api/v1/activity/"
STOCK = "/bench/stock/activity/"
STOCK_SMALL = "/bench/stock/industries/"
SUBMIT_YEARS = range(2021, 2026)
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))


def prepare_months(enterprise: Enterprise) -> list[tuple[int, int]]:
    """Every month of SUBMIT_YEARS entered, checked and acknowledged (returned first if in review)."""
    filer, steward = (
        User.objects.get(username="power.filer"),
        User.objects.get(username="greencarbon.reviewer"),
    )
    filer_grant, steward_grant = workspace_access(filer, enterprise), workspace_access(steward, enterprise)
    months = [(year, month) for year in SUBMIT_YEARS for month in range(1, 13)]
    with schema_context(enterprise.schema_name):
        sources = list(EmissionSource.objects.all())
        for year, month in months:
            filing = filing_services.current_filing(year, month)
            if filing and filing.status == FilingStatus.IN_REVIEW:
                filing_services.return_for_changes(
                    filing=filing, comments={"month": "压测复位"}, by=steward, grant=steward_grant
                )
            for source in sources:
                if not ActivityRecord.objects.filter(source=source, year=year, month=month).exists():
                    carbon.record_activity(
                        source=source,
                        year=year,
                        month=month,
                        quantity=Decimal("500"),
                        unit=source.unit,
                        data_source="production_metering",
                        entered_by=filer,
                    )
            filing = filing_services.open_filing(enterprise=enterprise, year=year, month=month, by=filer)
            if filing.status == FilingStatus.LOCKED:
                raise SystemExit(f"{year}-{month:02d} is locked in this database; use a fresh demo database")
            if filing.rule_pack_version:  # prepared by an earlier run: its findings are acknowledged
                continue
            filing_services.run_checks(enterprise=enterprise, filing=filing, by=filer)
            for finding in filing.findings.filter(severity="warning", acknowledgement=""):
                filing_services.acknowledge(finding=finding, comment="压测", by=filer, grant=filer_grant)
            for finding in filing.findings.filter(severity="blocking", waiver_reason=""):
                filing_services.waive(finding=finding, reason="压测", by=steward, grant=steward_grant)
    return months


def start_gunicorn() -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.api_load_settings",
        "STEWARD_USE_CURRENT_PYTHON": "1",
        "DEBUG": "0",
        "API_TOKEN_RATE": "10000000/min",  # the throttle is not what is measured
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "steward.wsgi:application",
            f"--bind={HOST}:{PORT}",
            f"--workers={WORKERS}",
            "--worker-class=sync",
            "--backlog=256",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _q, _b = request("GET", STOCK, {})
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def request(method: str, path: str, headers: dict) -> tuple[int, int | None, bytes]:
    connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        queries = response.getheader("X-Queries")
        return response.status, int(queries) if queries else None, body
    finally:
        connection.close()


def run(paths: list[str], method: str, headers: dict, clients: int, rate: float | None) -> dict:
    """Send every path once, from `clients` threads; `rate` (req/s in all) paces the clients."""
    lock, queue = threading.Lock(), list(reversed(paths))
    latencies, statuses, queries, errors, samples = [], [], [], [], {}
    interval = clients / rate if rate else 0.0
    start = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        start.wait()
        next_at = time.monotonic() + (interval * index / clients)
        while True:
            with lock:
                if not queue:
                    return
                path = queue.pop()
            if interval:
                time.sleep(max(0.0, next_at - time.monotonic()))
                next_at += interval
            began = time.perf_counter()
            try:
                status, count, body = request(method, path, headers)
            except OSError as error:
                errors.append(repr(error))
                continue
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                statuses.append(status)
                if not 200 <= status < 300:
                    samples.setdefault(status, body[:300].decode(errors="replace"))
                if count is not None:
                    queries.append(count)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    failed = len(errors) + sum(1 for status in statuses if not 200 <= status < 300)
    ordered = sorted(latencies)
    return {
        "requests": len(paths),
        "errors": failed,
        "statuses": {status: statuses.count(status) for status in sorted(set(statuses))},
        "samples": samples,
        "rps": len(latencies) / wall,
        "p50": statistics.median(ordered) * 1000 if ordered else float("nan"),
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000 if ordered else float("nan"),
        "queries": statistics.mean(queries) if queries else float("nan"),
    }


def line(name: str, figures: dict) -> str:
    return (
        f"{name:<34} {figures['requests']:>6} {figures['rps']:>8.1f} {figures['p50']:>8.1f} "
        f"{figures['p99']:>8.1f} {figures['errors']:>6} {figures['queries']:>8.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument(
        "--rates", default="20,50,100", help="offered req/s of the paced phases (the Huzhou peak is ~20)"
    )
    args = parser.parse_args()

    if not Enterprise.objects.filter(slug=SLUG).exists():
        call_command("demo", no_serve=True)
    enterprise = Enterprise.objects.get(slug=SLUG)
    admin = User.objects.get(username="power.admin")
    print(f"preparing {len(SUBMIT_YEARS) * 12} months to submit …", flush=True)
    months = prepare_months(enterprise)
    new = create_token(
        enterprise=enterprise,
        name="bench api_load",
        permissions=["read_activity", "write_activity", "submit_filing"],
        by=admin,
    )
    auth = {"Authorization": f"Token {new.secret}"}
    with schema_context(enterprise.schema_name):
        rows = ActivityRecord.objects.count()
    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    server = start_gunicorn()
    try:
        status, _q, body = request("GET", LIST, auth)
        assert status == 200, (status, body[:300])
        page = len(json.loads(body)["results"])
        stock_page = len(json.loads(request("GET", STOCK, {})[2])["results"])
        assert stock_page == page, (stock_page, page)  # the baseline serves the same page
        run([LIST] * 100 + [STOCK] * 100, "GET", auth, args.clients, None)  # warm every worker
        print(f"{'':<34} {'reqs':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'queries':>8}")
        rates = [float(rate) for rate in args.rates.split(",")]
        paced = args.requests // 2
        phases = {
            "stock DRF, small table, saturation": ([STOCK_SMALL] * args.requests, "GET", {}, None),
            # stock and ours twice, in turn, so a change in the machine's load falls on both
            "stock DRF list, saturation": ([STOCK] * args.requests, "GET", {}, None),
            "workspace list, saturation": ([LIST] * args.requests, "GET", auth, None),
            "stock DRF list, saturation, again": ([STOCK] * args.requests, "GET", {}, None),
            "workspace list, saturation, again": ([LIST] * args.requests, "GET", auth, None),
            **{
                f"{name}, paced {rate:.0f} req/s": ([path] * paced, "GET", headers, rate)
                for rate in rates
                for name, path, headers in (("stock DRF list", STOCK, {}), ("workspace list", LIST, auth))
            },
            "filing submit, all at once": (
                [f"/e/{SLUG}/api/v1/filings/{y}/{m}/submit/" for y, m in months],
                "POST",
                auth,
                None,
            ),
        }
        results = {}
        for name, (paths, method, headers, rate) in phases.items():
            results[name] = run(paths, method, headers, args.clients, rate)
            print(line(name, results[name]), flush=True)
            for status, sample in results[name]["samples"].items():
                print(f"    {results[name]['statuses'][status]} × {status}: {sample}", flush=True)
    finally:
        server.terminate()
        server.wait(30)
        revoke_token(token=new.token, by=admin)

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nload average before/after: {load_before} / {load}"
        f"\ngunicorn {WORKERS} sync workers, {args.clients} clients, {os.cpu_count()} CPUs shared with the load "
        f"generator and PostgreSQL; workspace list: {page} of {rows} activity records per page (token auth)\n"
    )
    stock = sum(results[f"stock DRF list, saturation{again}"]["rps"] for again in ("", ", again"))
    ours = sum(results[f"workspace list, saturation{again}"]["rps"] for again in ("", ", again"))
    errors = sum(figures["errors"] for figures in results.values())
    print(f"\nworkspace list / stock DRF (saturation req/s, both runs): {ours / stock:.0%} (target ≥ 80 %)")
    for rate in rates:
        mine, theirs = (
            results[f"{name}, paced {rate:.0f} req/s"] for name in ("workspace list", "stock DRF list")
        )
        print(
            f"workspace list p99 at {rate:.0f} req/s offered: {mine['p99']:.1f} ms "
            f"(stock DRF {theirs['p99']:.1f} ms; target ≤ 50 ms)"
        )
    print(f"errors: {errors} (target 0)")


if __name__ == "__main__":
    main()
