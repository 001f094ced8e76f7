"""Keep tenant schemas identical to the template, and prove it.

Schemas are normally replayed from the template's SQL (tenants/template_replay.py), which keeps every name.
The fallback, django-tenants' clone (pg_clone_schema), re-creates UNIQUE constraints under PostgreSQL's
default names (`<table>_<columns>_key`) instead of the names the migrations gave them. A later
migration that drops or alters such a constraint by name would then fail on every cloned tenant, so after
each clone the names are aligned with the template. `schema_drift` compares a schema with the template
(tables, columns, constraints, indexes, triggers) for the post-deploy drift check.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

CONSTRAINTS = """
    SELECT cl.relname, con.conname, con.contype, pg_get_constraintdef(con.oid)
    FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
    WHERE n.nspname = %s"""
COLUMNS = """
    SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = %s"""
INDEXES = "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = %s"
TRIGGERS = """
    SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND NOT t.tgisinternal"""


def _rows(sql: str, schema: str) -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, [schema])
        return set(cursor.fetchall())


def _constraints(schema: str) -> set[tuple]:
    # Foreign keys name their own schema in the definition; compare them schema-free.
    return {
        (table, name, kind, definition.replace(f"{schema}.", ""))
        for table, name, kind, definition in _rows(CONSTRAINTS, schema)
    }


def align_constraint_names(schema: str, template: str | None = None) -> int:
    """Rename the clone's UNIQUE constraints to the template's names. Returns how many were renamed."""
    template = template or settings.TENANT_BASE_SCHEMA
    wanted = {
        (table, definition): name for table, name, kind, definition in _constraints(template) if kind == "u"
    }
    renamed = 0
    with connection.cursor() as cursor:
        for table, name, kind, definition in _constraints(schema):
            target = wanted.get((table, definition))
            if kind == "u" and target and target != name:
                cursor.execute(f'ALTER TABLE "{schema}"."{table}" RENAME CONSTRAINT "{name}" TO "{target}"')
                renamed += 1
    return renamed


def schema_drift(schema: str, template: str | None = None) -> list[str]:
    """Differences between an enterprise schema and the template (empty: identical structure)."""
    template = template or settings.TENANT_BASE_SCHEMA
    problems = []
    for label, reader in (
        ("column", lambda s: _rows(COLUMNS, s)),
        ("constraint", _constraints),
        ("index", lambda s: _rows(INDEXES, s)),
        ("trigger", lambda s: _rows(TRIGGERS, s)),
    ):
        expected, actual = reader(template), reader(schema)
        problems += [f"{schema}: {label} missing {item}" for item in sorted(expected - actual)]
        problems += [f"{schema}: unexpected {label} {item}" for item in sorted(actual - expected)]
    return problems
