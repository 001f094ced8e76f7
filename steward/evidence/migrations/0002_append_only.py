from django.db import migrations

from steward.immutability import append_only


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [append_only("evidence_evidencefile", "evidence_evidenceintegritycheck")]
