"""Onboarding speed: replaying the template schema's SQL vs django-tenants' clone_schema vs running every
migration on a fresh schema.

    .venv/bin/python bench/onboarding.py [--count 10] [--schemas 500] [--keep-filler]

Creates `count` enterprises each way in the configured database (after filling it up to `--schemas`
enterprise schemas, to show how each way scales), prints the median seconds per enterprise and
the ratio, and what the schemas cost the public users table (its triggers, the first statement touching it in a
new connection, an update of a user row), then drops everything it created.
"""

from __future__ import annotations

import argparse
import statistics
import time
from unittest import mock

from _django import setup

setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import override_settings  # noqa: E402

from steward.demo import credit_code  # noqa: E402
from tenants import template_replay  # noqa: E402
from tenants.models import Enterprise, Industry, Jurisdiction  # noqa: E402
from tenants.services import onboard_enterprise  # noqa: E402


def onboard_many(prefix: str, count: int, start: int = 0) -> list[float]:
    timings = []
    for index in range(start, count):
        started = time.perf_counter()
        onboard_enterprise(
            slug=f"{prefix}-{index}",
            name_zh=f"基准测试企业{prefix}{index}",
            credit_code=credit_code("330502", f"BE{prefix[1].upper()}{index:06d}"),
            jurisdiction=Jurisdiction.objects.get(code="330502"),
            industry=Industry.objects.get(code="4411"),
        )
        timings.append(time.perf_counter() - started)
    return timings


def drop(prefix: str) -> None:
    for enterprise in Enterprise.objects.filter(slug__startswith=f"{prefix}-").select_related("workspace"):
        workspace = enterprise.workspace
        enterprise.delete()
        workspace.delete(force_drop=True)
    connection.set_schema_to_public()


def clone_instead_of_replay():
    """django-tenants' own clone_schema, as before tenants/template_replay.py (the baseline)."""

    def refuse(*args, **kwargs):
        raise template_replay.TemplateDumpUnavailable("benchmark baseline")

    return mock.patch.object(template_replay, "replay_template", refuse)


def user_table_figures() -> dict:
    """What the schemas cost the one public users table: its triggers, the first statement touching it in a
    new connection (PostgreSQL loads the table's trigger list into that backend's cache) and an update of a
    user row (every sign-in writes last_login), median of 20."""
    connection.close()
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            "UPDATE tenants_user SET last_login = last_login WHERE id = (SELECT min(id) FROM tenants_user)"
        )
        first_touch = time.perf_counter() - started
        updates = []
        for _ in range(20):
            started = time.perf_counter()
            cursor.execute(
                "UPDATE tenants_user SET last_login = now() WHERE id = (SELECT min(id) FROM tenants_user)"
            )
            updates.append(time.perf_counter() - started)
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.tenants_user'::regclass")
        triggers = cursor.fetchone()[0]
    return {"triggers": triggers, "first_touch": first_touch, "update": statistics.median(updates)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument(
        "--schemas", type=int, default=0, help="first fill the database up to this many enterprise schemas"
    )
    parser.add_argument("--keep-filler", action="store_true", help="keep the filler schemas for a rerun")
    args = parser.parse_args()
    count = args.count
    call_command("setup_platform", verbosity=0)
    prefixes = ("breplay", "bclone", "bmigrate")
    for prefix in prefixes:
        drop(prefix)
    filler = max(0, args.schemas - Enterprise.objects.count())
    existing = Enterprise.objects.filter(slug__startswith="bfill-").count()
    onboard_many("bfill", existing + filler, start=existing)
    schemas = Enterprise.objects.count()
    users = user_table_figures()
    try:
        replayed = onboard_many("breplay", count)
        with clone_instead_of_replay():
            cloned = onboard_many("bclone", count)
        with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False, TENANT_BASE_SCHEMA=None):
            migrated = onboard_many("bmigrate", count)
    finally:
        for prefix in prefixes:
            drop(prefix)
        if not args.keep_filler:
            drop("bfill")
    replay, clone, migrate = (statistics.median(t) for t in (replayed, cloned, migrated))
    print(f"enterprises each way: {count} (with {schemas} schemas already present)")
    print(f"replay template SQL (median):   {replay * 1000:8.1f} ms per enterprise")
    print(f"clone_schema (median):          {clone * 1000:8.1f} ms per enterprise")
    print(f"migrate fresh schema (median):  {migrate * 1000:8.1f} ms per enterprise")
    print(f"ratio clone / replay:           {clone / replay:8.1f}x")
    print(f"ratio migrate / replay:         {migrate / replay:8.1f}x")
    print(f"triggers on public.tenants_user: {users['triggers']:7d}")
    print(f"first statement on it in a new connection: {users['first_touch'] * 1000:8.1f} ms")
    print(f"update of a user row (median of 20):       {users['update'] * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
