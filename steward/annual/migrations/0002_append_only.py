from django.db import migrations

from steward.immutability import FORBID_CHANGE_FUNCTION, append_only

# The compiled content of a report version never changes; only its workflow columns do.
FROZEN_CONTENT = """
CREATE TRIGGER annual_annualreport_frozen_content BEFORE UPDATE ON annual_annualreport FOR EACH ROW
WHEN (OLD.payload IS DISTINCT FROM NEW.payload OR OLD.payload_sha256 IS DISTINCT FROM NEW.payload_sha256
      OR OLD.total_tco2 IS DISTINCT FROM NEW.total_tco2 OR OLD.year IS DISTINCT FROM NEW.year
      OR OLD.version IS DISTINCT FROM NEW.version OR OLD.compiled_by_id IS DISTINCT FROM NEW.compiled_by_id
      OR OLD.supersedes_id IS DISTINCT FROM NEW.supersedes_id)
EXECUTE FUNCTION steward_forbid_change();
CREATE TRIGGER annual_annualreport_no_delete BEFORE DELETE ON annual_annualreport FOR EACH ROW
EXECUTE FUNCTION steward_forbid_change();
"""


class Migration(migrations.Migration):
    dependencies = [("annual", "0001_initial")]

    operations = [
        append_only("annual_reportevent", "annual_reportsignature"),
        migrations.RunSQL(
            sql=[FORBID_CHANGE_FUNCTION, FROZEN_CONTENT],
            reverse_sql=[
                "DROP TRIGGER IF EXISTS annual_annualreport_frozen_content ON annual_annualreport;",
                "DROP TRIGGER IF EXISTS annual_annualreport_no_delete ON annual_annualreport;",
            ],
        ),
    ]
