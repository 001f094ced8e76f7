from django.db import migrations

from steward.immutability import append_only


class Migration(migrations.Migration):
    dependencies = [("carbon", "0001_initial")]

    operations = [
        append_only(
            "carbon_activityrecord", "carbon_measuredparameter", "carbon_outputrecord", "carbon_calculationrun"
        )
    ]
