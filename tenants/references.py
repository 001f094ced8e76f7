"""References from an enterprise's schema to the platform user who made a record.

Users live in the public schema, and nearly every regulated record in an enterprise schema names one
(entered by, approved by, signed by: about thirty columns per schema). A real foreign key on each of those
columns puts two referential-integrity triggers per column per schema on `public.tenants_user`. With 500
enterprises that was 14,000 constraints and 28,000 triggers on one table: onboarding the 501st enterprise took
778 ms instead of 188 ms (each new constraint locks and rewrites the user table's trigger list), and the first
query touching users in each new database connection 25 ms instead of 7 ms (loading that list); measured in
deploy/README.md.

So these columns carry no database constraint, and what the constraint guarded is kept otherwise:

* a reference can only dangle if a user row is deleted, and users are never deleted (they are deactivated,
  so the attribution on old records stays readable): one trigger on `tenants_user` refuses DELETE
  (tenants migration 0005);
* the column keeps its index and its type, Django still resolves `record.entered_by`, and `on_delete=PROTECT`
  still stops a Django-level delete;
* references inside a schema (filing → finding, source → facility) keep their real foreign keys.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


def user_reference(*, null: bool = False) -> models.ForeignKey:
    """A column naming the user who did something, for models in tenant apps."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        null=null,
        blank=null,
    )
