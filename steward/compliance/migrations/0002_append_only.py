from django.db import migrations

from steward.immutability import append_only


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]

    operations = [append_only("compliance_allocation", "compliance_valueaddedrecord")]
