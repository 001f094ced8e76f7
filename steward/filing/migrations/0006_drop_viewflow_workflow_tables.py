"""Drop viewflow.workflow's process and task tables from every enterprise schema (and the template).

The monthly filing, annual report and execution report run on viewflow's FSM over their own rows
(workflows/); no code read or wrote `viewflow_process`, `viewflow_task` or their link tables, and
viewflow.workflow is no longer a tenant app. `IF EXISTS` because a database created after this change never
had them. Reversing does nothing: the tables held nothing this application wrote.
"""

from django.db import migrations

DROP = """
DO $$
DECLARE table_name text;
BEGIN
    FOR table_name IN
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname LIKE 'viewflow\\_%'
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', table_name);
    END LOOP;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("filing", "0005_viewflow_task_owner_without_constraint")]

    operations = [migrations.RunSQL(DROP, migrations.RunSQL.noop)]
