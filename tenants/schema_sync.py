"""Keep tenant schemas identical to the template, and prove it.

Schemas are normally replayed from the template's SQL (tenants/template_replay.py), which keeps every name.
The fallback, django-tenants' clone (pg_clone_schema), re-creates UNIQUE constraints under PostgreSQL's
default names (`<table>_<columns>_key`) instead of the names the migrations gave them. A later
migration that drops or alters such a constraint by name would then fail on every cloned tenant, so after
each clone the names are aligned with the template. `schema_drift` compares a schema with the template
(tables, columns, constraints, indexes, triggers) for the post-deploy drift check.

Each catalog query reads every schema asked for at once: with 500 enterprises, four queries per schema took
~80 ms each time (the catalogs hold every schema's objects), 40 s per deploy; one query per catalog for all
schemas is a few seconds (bench/migrations.py, "deploy with nothing pending").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import connection

# Each query takes the list of schema names and returns the schema first.
CONSTRAINTS = """
    SELECT n.nspname, cl.relname, con.conname, con.contype, pg_get_constraintdef(con.oid)
    FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
    WHERE n.nspname = ANY(%s)"""
COLUMNS = """
    SELECT n.nspname, cl.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull
    FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
    WHERE n.nspname = ANY(%s) AND cl.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped"""
INDEXES = "SELECT schemaname, tablename, indexname FROM pg_indexes WHERE schemaname = ANY(%s)"
TRIGGERS = """
    SELECT n.nspname, c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY(%s) AND NOT t.tgisinternal"""


def _grouped(sql: str, schemas: Iterable[str]) -> dict[str, set[tuple]]:
    found: dict[str, set[tuple]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(schemas)])
        for schema, *row in cursor.fetchall():
            found[schema].add(tuple(row))
    return found


def _constraints(schemas: Iterable[str]) -> dict[str, set[tuple]]:
    # Foreign keys name their own schema in the definition; compare them schema-free.
    return {
        schema: {
            (table, name, kind, definition.replace(f"{schema}.", ""))
            for table, name, kind, definition in rows
        }
        for schema, rows in _grouped(CONSTRAINTS, schemas).items()
    }


def align_names(schemas: Iterable[str], template: str | None = None) -> int:
    """Rename cloned UNIQUE constraints to the template's names. Returns how many were renamed."""
    template = template or settings.TENANT_BASE_SCHEMA
    schemas = [schema for schema in schemas if schema != template]
    found = _constraints([template, *schemas])
    wanted = {
        (table, definition): name for table, name, kind, definition in found.get(template, ()) if kind == "u"
    }
    renamed = 0
    with connection.cursor() as cursor:
        for schema in schemas:
            for table, name, kind, definition in found.get(schema, ()):
                target = wanted.get((table, definition))
                if kind == "u" and target and target != name:
                    cursor.execute(
                        f'ALTER TABLE "{schema}"."{table}" RENAME CONSTRAINT "{name}" TO "{target}"'
                    )
                    renamed += 1
    return renamed


def align_constraint_names(schema: str, template: str | None = None) -> int:
    """`align_names` for one schema (after a clone)."""
    return align_names([schema], template)


def drift(schemas: Iterable[str], template: str | None = None) -> dict[str, list[str]]:
    """Differences between each schema and the template, per schema (an empty list: identical structure)."""
    template = template or settings.TENANT_BASE_SCHEMA
    schemas = list(schemas)
    problems: dict[str, list[str]] = {schema: [] for schema in schemas}
    everything = [template, *schemas]
    for label, found in (
        ("column", _grouped(COLUMNS, everything)),
        ("constraint", _constraints(everything)),
        ("index", _grouped(INDEXES, everything)),
        ("trigger", _grouped(TRIGGERS, everything)),
    ):
        expected = found.get(template, set())
        for schema in schemas:
            actual = found.get(schema, set())
            problems[schema] += [f"{schema}: {label} missing {item}" for item in sorted(expected - actual)]
            problems[schema] += [f"{schema}: unexpected {label} {item}" for item in sorted(actual - expected)]
    return problems


def schema_drift(schema: str, template: str | None = None) -> list[str]:
    """Differences between one enterprise schema and the template (empty: identical structure)."""
    return drift([schema], template)[schema]
