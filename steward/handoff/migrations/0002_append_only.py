from django.db import migrations

from steward.immutability import append_only


class Migration(migrations.Migration):
    dependencies = [("handoff", "0001_initial")]

    operations = [append_only("handoff_platformsubmission")]
