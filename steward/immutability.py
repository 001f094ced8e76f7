"""Append-only regulated tables, enforced by the database itself.

A row trigger refuses UPDATE and DELETE, so neither a `QuerySet.update()`, raw SQL nor a bug in a view can
rewrite a submitted figure or an evidence record; corrections are new rows (bcgov/cas-registration does the
same with triggers on submitted report versions). Used from migrations of tenant apps: the function and the
triggers are created in every enterprise schema (and the template it is cloned from).
"""

from django.db import migrations

FORBID_CHANGE_FUNCTION = """
CREATE OR REPLACE FUNCTION steward_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'append-only table %.%: % refused (regulated records are corrected by new versions)',
        TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
"""


def append_only(*tables: str) -> migrations.RunSQL:
    """A migration operation that makes `tables` refuse UPDATE and DELETE."""
    create = [FORBID_CHANGE_FUNCTION] + [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION steward_forbid_change();"
        for table in tables
    ]
    drop = [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};" for table in tables]
    return migrations.RunSQL(sql=create, reverse_sql=drop)
