"""Trigger-based history of the regulated tables that are changed in place (django-pghistory).

Append-only tables need no history: their rows are the history. The few tables that are updated in place
(a filing's state, a finding's acknowledgement or waiver, sources, meters …) get database triggers that write
one event row per insert, update and delete, so bulk updates and raw SQL are recorded too
(RELIABILITY.md §3.2). Event tables are append-only themselves (PGHISTORY_APPEND_ONLY).

Tenancy: pghistory's own trigger writes `INSERT INTO "<event table>"`, resolved through the session's
`search_path` when the trigger fires. Our trigger instead names the schema of the table that fired
(`TG_TABLE_SCHEMA`), so an event always lands beside the row it describes: a statement that reaches another
schema explicitly, or a clone of the template whose functions still live in the template, cannot write one
enterprise's history into another schema. Who and where come from pghistory's context (user id, URL), set
per transaction by its middleware and stored as JSON on the event row.
"""

from __future__ import annotations

import functools

import django
import pghistory
import pgtrigger
from django.db import connection, models
from django_tenants.utils import get_public_schema_name
from pghistory import config
from pghistory.middleware import HistoryMiddleware
from pghistory.trigger import Event


class SchemaBoundEvent(Event):
    """A pghistory row trigger whose event row goes to the schema of the table that fired."""

    def get_func(self, model):
        tracked = {field.name for field in self.event_model.pgh_tracked_model._meta.fields}
        values = {
            field.column: f'_row."{field.column}"'
            for field in self.event_model._meta.fields
            if not isinstance(field, models.AutoField)
            and not (django.VERSION[0] >= 5 and isinstance(field, models.GeneratedField))
            and field.name in tracked
            and field.concrete
        }
        values["pgh_created_at"] = config.created_at_function()
        values["pgh_label"] = f"''{self.label}''"  # doubled: inside the format() string
        values["pgh_obj_id"] = (
            f'_row."{self.event_model._meta.get_field("pgh_obj").related_model._meta.pk.column}"'
        )
        values["pgh_context"] = "NULLIF(CURRENT_SETTING(''pghistory.context_metadata'', TRUE), '''')::JSONB"
        if any(field.name == "pgh_context_id" for field in self.event_model._meta.fields):
            values["pgh_context_id"] = (
                values["pgh_context"].replace("metadata", "id").replace("JSONB", "UUID")
            )
        columns = ", ".join(f'"{column}"' for column in sorted(values))
        selected = ", ".join(values[column] for column in sorted(values))
        table = self.event_model._meta.db_table
        return pgtrigger.Func(
            f'EXECUTE format(\'INSERT INTO %I."{table}" ({columns}) SELECT {selected} '
            f"FROM (SELECT ($1).*) AS _row', TG_TABLE_SCHEMA) USING {self.row}; RETURN NULL;"
        )


class _SchemaBound:
    def add_event_trigger(self, event_model):
        pgtrigger.register(
            SchemaBoundEvent(
                event_model=event_model,
                label=self.label,
                name=self.trigger_name,
                row=self.row,
                operation=self.operation,
                condition=self.condition,
                level=pgtrigger.Row,
            )
        )(event_model.pgh_tracked_model)


class Inserted(_SchemaBound, pghistory.InsertEvent):
    pass


class Updated(_SchemaBound, pghistory.UpdateEvent):
    pass


class Deleted(_SchemaBound, pghistory.DeleteEvent):
    pass


def tracked(model_name: str):
    """Decorator for a mutable regulated model: record every insert, update (of any field) and delete."""
    return pghistory.track(
        Inserted(),
        Updated(),
        Deleted(),
        model_name=model_name,
        context_field=pghistory.ContextJSONField(),
        obj_field=pghistory.ObjForeignKey(
            on_delete=models.DO_NOTHING, db_constraint=False, related_name="history", related_query_name="+"
        ),
    )


def acting(user, **extra):
    """Attribute the history written inside this block to `user` (services, tasks, commands, tests)."""
    return pghistory.context(user=user.pk if user is not None else None, **extra)


def align_migrate_autodetector() -> None:
    """django-tenants' `migrate` (migrate_schemas) must detect trigger changes like pgtrigger's makemigrations.

    pgtrigger patches Django's own commands; django-tenants replaces `migrate` by its own class, which Django
    5.2's check commands.E001 then finds out of step. Called from an app loaded after pgtrigger.
    """
    from django.core.management.commands import makemigrations
    from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

    MigrateSchemasCommand.autodetector = makemigrations.Command.autodetector


def attributed(service):
    """Service decorator: the history its writes leave names the keyword argument `by` as the user."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        with acting(kwargs.get("by"), service=service.__name__):
            return service(*args, **kwargs)

    return wrapper


class WorkspaceHistoryMiddleware(HistoryMiddleware):
    """pghistory's request context (user, URL), only inside a workspace: history lives in tenant schemas.

    Outside them there is nothing to attribute, and pghistory's statement rewriting (it prepends a
    parametrised `set_config`) would break raw SQL that contains a literal `%`, such as django-tenants'
    schema-clone function executed while onboarding an enterprise.
    """

    def __call__(self, request):
        if connection.schema_name == get_public_schema_name():
            return self.get_response(request)
        return super().__call__(request)
