from django.db import migrations

from steward.immutability import append_only


class Migration(migrations.Migration):
    dependencies = [("pollution", "0001_initial")]

    operations = [
        append_only(
            "pollution_permit",
            "pollution_outlet",
            "pollution_concentrationlimit",
            "pollution_permittedamount",
            "pollution_sourceoutlet",
            "pollution_cemscertification",
            "pollution_monitoringimport",
            "pollution_monitoringreading",
            "pollution_manualmonitoring",
            "pollution_declaredfuel",
            "pollution_executionreportevent",
        )
    ]
