"""Create an enterprise schema by replaying the template schema's SQL, captured once per migration state.

django-tenants' own cloning (`clone_schema`, a PL/pgSQL port of pg_clone_schema) walks the system catalogs
with queries that grow with the number of schemas in the database: ~0.15 s per clone with six tenants,
~6 s near 250 (measured, bench/migrations.py, issue 9 note). Replaying a dump costs O(template objects)
whatever the number of tenants.

The dump (`pg_dump --schema=<template> --inserts`: tables, constraints under their migration names, indexes,
trigger functions and triggers, plus the template's few rows, i.e. django_migrations and content types) is
taken when the template is migrated (`prepare_tenant_template`) and stored in the public schema keyed by the
template's applied migrations, so onboarding needs no pg_dump at run time and a web process never replays a
stale template. Where pg_dump is missing or cannot read the server (a server newer than the client), the
caller falls back to django-tenants' cloning.
"""

from __future__ import annotations

import hashlib
import logging
import re
import subprocess

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger("steward.tenants")


class TemplateDumpUnavailable(RuntimeError):
    """pg_dump is missing or refused the server: clone the template instead."""


def template_fingerprint(template: str | None = None) -> str:
    """SHA-256 over the template's applied migrations: a new migration gives a new fingerprint."""
    template = template or settings.TENANT_BASE_SCHEMA
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{template}".django_migrations ORDER BY app, name')
        applied = cursor.fetchall()
    return hashlib.sha256(repr(applied).encode()).hexdigest()


def dump_template(template: str | None = None) -> str:
    """The template's structure and rows as plain SQL, with every name qualified by the template schema."""
    from steward.backup import BackupError, database_url, pg_tool

    template = template or settings.TENANT_BASE_SCHEMA
    try:
        tool = pg_tool("pg_dump")
    except BackupError as error:
        raise TemplateDumpUnavailable(str(error)) from error
    result = subprocess.run(
        [
            tool,
            f"--schema={template}",
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            "--inserts",
            f"--dbname={database_url()}",
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise TemplateDumpUnavailable(f"pg_dump failed: {result.stderr.strip()[:500]}")
    return _session_neutral(result.stdout)


def _session_neutral(dump: str) -> str:
    """Keep settings inside the replay's transaction, drop psql meta-commands and comments."""
    lines = []
    for line in dump.splitlines():
        if line.startswith("--") or line.startswith("\\"):
            continue
        if line.startswith("SET ") and not line.startswith("SET LOCAL "):
            line = "SET LOCAL " + line[4:]
        line = line.replace("set_config('search_path', '', false)", "set_config('search_path', '', true)")
        lines.append(line)
    return "\n".join(lines)


def snapshot_template(template: str | None = None) -> str:
    """Store the current template's SQL once per migration state; returns its fingerprint."""
    from tenants.models import TemplateSnapshot

    template = template or settings.TENANT_BASE_SCHEMA
    fingerprint = template_fingerprint(template)
    if not TemplateSnapshot.objects.filter(fingerprint=fingerprint).exists():
        TemplateSnapshot.objects.create(
            fingerprint=fingerprint, template=template, sql=dump_template(template)
        )
        logger.info("template snapshot stored", extra={"fingerprint": fingerprint[:12]})
    return fingerprint


def replay_template(schema_name: str, template: str | None = None) -> None:
    """Create `schema_name` as an exact copy of the template (structure and rows), in one transaction."""
    from tenants.models import TemplateSnapshot

    template = template or settings.TENANT_BASE_SCHEMA
    fingerprint = template_fingerprint(template)
    snapshot = TemplateSnapshot.objects.filter(fingerprint=fingerprint).first()
    if snapshot is None:  # migrated behind setup_platform's back: take the snapshot now
        snapshot_template(template)
        snapshot = TemplateSnapshot.objects.get(fingerprint=fingerprint)
    sql = re.sub(rf"\b{re.escape(template)}\b", schema_name, snapshot.sql)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    connection.set_schema_to_public()
