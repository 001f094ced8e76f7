from django.db import migrations

from steward.immutability import append_only


class Migration(migrations.Migration):
    """A control plan is revised by a new version with a reason, never edited (DOMAIN.md §1.6)."""

    dependencies = [("quality", "0001_initial")]

    operations = [append_only("quality_controlplanversion", "quality_parameterspec")]
