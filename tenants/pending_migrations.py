"""Which enterprise schemas still miss a migration of the code being deployed.

Every deploy runs `setup_platform`, and django-tenants' `migrate_schemas --tenant` runs Django's `migrate` in
every schema even when nothing is pending: about 0.5 s per schema (loading the migration state, a new database
connection each), i.e. four minutes for 500 enterprises and a quarter of an hour for 2,000, for nothing. Reading
a schema's `django_migrations` and comparing it with the migrations on disk takes about a millisecond, so the
deploy migrates only the schemas that need it (all of them after a release with tenant migrations; the ones
left behind when a run failed part-way).

A migration on disk that a schema lacks makes that schema pending. Squashed migrations are compared as
squashed: a schema that applied the originals instead may be reported pending, and `migrate` then finds nothing
to do, which is the safe side of the error.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.migrations.loader import MigrationLoader


def migrations_on_disk() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def pending_schemas(schemas: Iterable[str]) -> list[str]:
    """The schemas, in the given order, that lack at least one migration on disk (or any record of them)."""
    expected = migrations_on_disk()
    pending = []
    with connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute("SELECT to_regclass(%s)", [f'"{schema}".django_migrations'])
            if cursor.fetchone()[0] is None:
                pending.append(schema)
                continue
            cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
            if not expected <= set(cursor.fetchall()):
                pending.append(schema)
    return pending
