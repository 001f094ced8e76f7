"""Background tasks that carry their tenant explicitly and refuse to run in the public schema.

tenant-schemas-celery falls back to `public` when a header is missing (RELIABILITY.md §2.2), which fails
open for shared tables. Here the schema is an ordinary, required task argument; the wrapper checks it names
a real enterprise workspace, runs the task inside it and always resets the connection afterwards.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from celery import shared_task
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import Enterprise


class TenantRequired(RuntimeError):
    """A tenant task was called without a valid enterprise schema."""


def tenant_task(*task_args, **task_options) -> Callable:
    """Declare a Celery task whose first keyword argument `tenant_schema` is required and checked."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def run_in_tenant(*args, tenant_schema: str | None = None, **kwargs):
            if not tenant_schema or tenant_schema == get_public_schema_name():
                raise TenantRequired(f"{func.__name__} needs an enterprise schema, got {tenant_schema!r}")
            if not Enterprise.objects.filter(workspace__schema_name=tenant_schema).exists():
                raise TenantRequired(f"{func.__name__}: no enterprise has schema {tenant_schema!r}")
            # schema_context restores the previous schema even when the task fails, so nothing leaks
            # into the next task this worker runs.
            with schema_context(tenant_schema):
                return func(*args, **kwargs)

        return shared_task(*task_args, **task_options)(run_in_tenant)

    return decorate


@shared_task(name="tenants.close_expired_engagements")
def close_expired_engagements() -> int:
    """Daily (Celery beat): record as ended the engagements whose end date has passed."""
    from tenants.services import close_expired_engagements as close

    return close()
