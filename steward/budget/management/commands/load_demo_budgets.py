from django.core.management.base import BaseCommand

from steward.budget.demo import load_demo_budgets


class Command(BaseCommand):
    help = "Set demo carbon budgets (on track, a warning, a pending and an approved adjustment); idempotent."

    def handle(self, *args, **options):
        self.stdout.write(f"budgets: {load_demo_budgets()}")
