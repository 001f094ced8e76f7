import sys

from django.core.management.base import BaseCommand
from django_tenants.utils import schema_context

from steward.filing.seal import verify_chain
from tenants.models import Enterprise


class Command(BaseCommand):
    help = "Re-check every enterprise's seal chain; name any sealed record changed behind the application's back."

    def handle(self, *args, **options):
        problems = 0
        for enterprise in Enterprise.objects.select_related("workspace").order_by("slug"):
            with schema_context(enterprise.schema_name):
                for problem in verify_chain():
                    problems += 1
                    self.stdout.write(f"{enterprise.slug}: {problem}")
        if problems:
            self.stdout.write(f"{problems} problem(s) found")
            sys.exit(1)
        self.stdout.write("all seal chains intact")
