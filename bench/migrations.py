"""Migrating many tenant schemas: time per schema for a no-op run and for a real schema change, with the
standard (serial) and the multiprocessing executor.

    .venv/bin/python bench/migrations.py [--tenants 500] [--processes 2] [--keep]

Creates `--tenants` enterprises from the template (its replayed SQL, tenants/template_replay.py) in the
configured database, then times a deploy with nothing to migrate (`setup_platform`, which skips up-to-date
schemas: tenants/pending_migrations.py), django-tenants' `migrate_schemas --tenant` with nothing to migrate
(what that deploy step cost before), and migrating a tenant app (`--app`, default `filing`) to zero and
forward again (real DDL on every schema: tables, constraints and append-only triggers), with each executor.
Drops what it created unless --keep.
"""

from __future__ import annotations

import argparse
import statistics
import time

from _django import setup

setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from steward.demo import credit_code  # noqa: E402
from tenants.models import Enterprise, Industry, Jurisdiction, Workspace  # noqa: E402
from tenants.services import onboard_enterprise  # noqa: E402

PREFIX = "bmig"


def drop_orphan_workspaces() -> None:
    """Workspaces left without an enterprise by an interrupted run."""
    connection.set_schema_to_public()
    for workspace in Workspace.objects.filter(
        schema_name__startswith=f"ent_{PREFIX}_", enterprise__isnull=True
    ):
        workspace.delete(force_drop=True)
        connection.set_schema_to_public()


def create_tenants(count: int) -> list[float]:
    """Onboard the missing benchmark enterprises; returns the seconds each one took, in order."""
    drop_orphan_workspaces()
    existing = set(Enterprise.objects.filter(slug__startswith=f"{PREFIX}-").values_list("slug", flat=True))
    jurisdiction, industry = Jurisdiction.objects.get(code="330502"), Industry.objects.get(code="2221")
    timings = []
    for index in range(count):
        if f"{PREFIX}-{index}" in existing:
            continue
        started = time.perf_counter()
        onboard_enterprise(
            slug=f"{PREFIX}-{index}",
            name_zh=f"迁移基准企业{index}",
            credit_code=credit_code("330502", f"MG{index:07d}"),
            jurisdiction=jurisdiction,
            industry=industry,
        )
        timings.append(time.perf_counter() - started)
    return timings


def drop_tenants() -> None:
    connection.set_schema_to_public()
    for enterprise in Enterprise.objects.filter(slug__startswith=f"{PREFIX}-").select_related("workspace"):
        workspace = enterprise.workspace
        enterprise.delete()
        workspace.delete(force_drop=True)
        connection.set_schema_to_public()
    drop_orphan_workspaces()


def timed_migrate(executor: str, *app_and_target: str) -> float:
    started = time.perf_counter()
    call_command(
        "migrate_schemas", *app_and_target, tenant=True, interactive=False, verbosity=0, executor=executor
    )
    connection.set_schema_to_public()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=500)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--app", default="filing", help="the tenant app migrated to zero and forward again")
    parser.add_argument("--no-app", action="store_true", help="time only the runs with nothing to migrate")
    args = parser.parse_args()
    settings.TENANT_MULTIPROCESSING_MAX_PROCESSES = args.processes
    call_command("setup_platform", verbosity=0)
    created = create_tenants(args.tenants)
    schemas = Enterprise.objects.count()
    print(f"schemas: {schemas} (created {len(created)} from the template in {sum(created):.1f} s)")
    if len(created) >= 100:
        # Creation must not slow down as schemas accumulate (django-tenants' clone did: 0.15 s → 6 s).
        first, last = statistics.median(created[:50]), statistics.median(created[-50:])
        print(
            f"onboarding median: first 50 {first * 1000:.0f} ms, last 50 {last * 1000:.0f} ms per enterprise"
        )
    try:
        started = time.perf_counter()
        call_command("setup_platform", verbosity=0)
        deploy = time.perf_counter() - started
        print(
            f"deploy with nothing pending (setup_platform: public schema, template, pending check, drift check): "
            f"{deploy:6.1f} s ({deploy / schemas * 1000:5.1f} ms/schema)"
        )
        for executor in ("standard", "multiprocessing"):
            noop = timed_migrate(executor)
            if args.no_app:
                per_schema = noop / schemas * 1000
                print(
                    f"{executor:>15}: migrate_schemas, nothing to migrate {noop:6.1f} s ({per_schema:5.1f} ms/schema)"
                )
                continue
            back = timed_migrate(executor, args.app, "zero")
            forward = timed_migrate(executor, args.app)
            print(
                f"{executor:>15}: no-op {noop:6.1f} s ({noop / schemas * 1000:5.1f} ms/schema) · "
                f"{args.app} app removed {back:6.1f} s · re-created {forward:6.1f} s "
                f"({forward / schemas * 1000:5.1f} ms/schema)"
            )
    finally:
        if not args.keep:
            drop_tenants()


if __name__ == "__main__":
    main()
