"""viewflow's task table names its owner with a real foreign key to the user table; drop it, like ours.

See tenants/references.py for why enterprise schemas hold no constraints pointing at `public.tenants_user`.
viewflow's migrations are not ours to change, so its model still says the constraint exists; Django's schema
editor finds no constraint to drop if a later viewflow migration alters the column (it drops none and adds
none back), so this holds across viewflow upgrades. tests/tenants/test_user_references.py checks it.
"""

from django.db import migrations

DROP = """
DO $$
DECLARE constraint_name text;
BEGIN
    FOR constraint_name IN
        SELECT c.conname FROM pg_constraint c
        WHERE c.contype = 'f'
          AND c.conrelid = to_regclass(quote_ident(current_schema()) || '.viewflow_task')
          AND c.confrelid = 'public.tenants_user'::regclass
    LOOP
        EXECUTE format('ALTER TABLE viewflow_task DROP CONSTRAINT %I', constraint_name);
    END LOOP;
END $$;
"""

RESTORE = """
ALTER TABLE viewflow_task ADD CONSTRAINT viewflow_task_owner_id_fk_tenants_user
    FOREIGN KEY (owner_id) REFERENCES public.tenants_user (id) DEFERRABLE INITIALLY DEFERRED;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("filing", "0004_user_reference_without_constraint"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [migrations.RunSQL(DROP, RESTORE)]
