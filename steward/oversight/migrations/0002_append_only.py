from django.db import migrations

from steward.immutability import append_only


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]

    operations = [append_only("oversight_accesslogentry", "oversight_spotcheck")]
