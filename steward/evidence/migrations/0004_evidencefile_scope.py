"""Every evidence file carries the engagement scope it belongs to (carbon, environmental or both).

Existing rows take it from the records they are attached to (a pollution record → environmental, a carbon,
intake, compliance or quality record → carbon, both kinds → both); a file attached to nothing takes it from its
kind (监测报告 → environmental, 检测报告 and 发票 → carbon, anything else → both). The table is append-only,
so its trigger is set aside for this one update inside the migration's transaction.
"""

from django.db import migrations, models

APP_SCOPES = {
    "pollution": "environmental",
    "carbon": "carbon",
    "intake": "carbon",
    "compliance": "carbon",
}
KIND_SCOPES = {"monitoring_report": "environmental", "lab_report": "carbon", "invoice": "carbon"}


def derive_scopes(apps, schema_editor):
    EvidenceFile = apps.get_model("evidence", "EvidenceFile")
    if not EvidenceFile.objects.exists():
        return
    found: dict[int, set[str]] = {}
    for relation in EvidenceFile._meta.related_objects:
        scope = APP_SCOPES.get(relation.related_model._meta.app_label)
        if scope is None or not relation.many_to_one:
            continue
        column = relation.field.name
        for evidence_id in relation.related_model.objects.filter(**{f"{column}__isnull": False}).values_list(
            f"{column}_id", flat=True
        ):
            found.setdefault(evidence_id, set()).add(scope)
    table = schema_editor.quote_name(EvidenceFile._meta.db_table)
    trigger = schema_editor.quote_name(f"{EvidenceFile._meta.db_table}_append_only")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
            [f"{EvidenceFile._meta.db_table}_append_only", EvidenceFile._meta.db_table],
        )
        guarded = cursor.fetchone() is not None
        if guarded:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
        for evidence in EvidenceFile.objects.only("pk", "kind"):
            scopes = found.get(evidence.pk) or {KIND_SCOPES.get(evidence.kind, "both")}
            scope = scopes.pop() if len(scopes) == 1 else "both"
            if scope != "both":
                EvidenceFile.objects.filter(pk=evidence.pk).update(scope=scope)
        if guarded:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")


class Migration(migrations.Migration):
    # The migrations that created the foreign keys into evidence (and no later ones: a deploy may find a
    # schema that stopped before a later, unrelated migration; tests/tenants/test_pending_migrations.py).
    dependencies = [
        ("evidence", "0003_user_reference_without_constraint"),
        ("carbon", "0006_stock_and_bills"),
        ("compliance", "0001_initial"),
        ("intake", "0001_initial"),
        ("pollution", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidencefile",
            name="scope",
            field=models.CharField(
                choices=[("carbon", "碳排放核算"), ("environmental", "环境（排污许可）"), ("both", "碳排放与环境")],
                default="both",
                max_length=16,
                verbose_name="所属范围",
            ),
        ),
        migrations.RunPython(derive_scopes, migrations.RunPython.noop),
    ]
