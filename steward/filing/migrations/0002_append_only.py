from django.db import migrations

from steward.immutability import append_only


class Migration(migrations.Migration):
    dependencies = [("filing", "0001_initial")]

    operations = [append_only("filing_filingevent", "filing_reviewcomment")]
