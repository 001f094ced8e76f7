"""The budget, its adjustment requests and the decisions on them refuse UPDATE and DELETE (steward/immutability.py)."""

from django.db import migrations

from steward.immutability import append_only


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_initial")]

    operations = [
        append_only("budget_carbonbudget", "budget_budgetadjustment", "budget_adjustmentdecision"),
    ]
