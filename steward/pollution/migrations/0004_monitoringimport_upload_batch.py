"""The CEMS import batch becomes an intake UploadBatch: the same fields, named as the activity import's
(file_name → original_name, source_file → evidence) plus the file's size, taken from its evidence row.

The table is append-only (0002); the one-time backfill of the new column runs with its trigger disabled
inside this migration's transaction, and the trigger is re-enabled before it commits.
"""

from django.db import migrations, models

BACKFILL = [
    "ALTER TABLE pollution_monitoringimport DISABLE TRIGGER pollution_monitoringimport_append_only;",
    "UPDATE pollution_monitoringimport AS batch SET size_bytes = evidence.size_bytes "
    "FROM evidence_evidencefile AS evidence WHERE evidence.id = batch.evidence_id;",
    "ALTER TABLE pollution_monitoringimport ENABLE TRIGGER pollution_monitoringimport_append_only;",
]


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
        ("pollution", "0003_user_reference_without_constraint"),
    ]

    operations = [
        migrations.RenameField("monitoringimport", "file_name", "original_name"),
        migrations.RenameField("monitoringimport", "source_file", "evidence"),
        migrations.AlterField(
            model_name="monitoringimport",
            name="sha256",
            field=models.CharField(max_length=64, unique=True, verbose_name="文件SHA-256"),
        ),
        migrations.AddField(
            model_name="monitoringimport",
            name="size_bytes",
            field=models.PositiveBigIntegerField(default=0, verbose_name="文件大小"),
            preserve_default=False,
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
    ]
