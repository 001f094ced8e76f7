"""Retired: this migration dropped the foreign key from viewflow's task table to the user table.

Nothing used viewflow's process and task tables (the flows run on viewflow's FSM over our own records), so
viewflow.workflow left the tenant apps and 0006 drops its tables. This migration stays, without its
operation and without its dependency on viewflow's migrations, so databases that applied it keep a consistent
history and a fresh database needs no viewflow.workflow to migrate.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("filing", "0004_user_reference_without_constraint")]

    operations = []
