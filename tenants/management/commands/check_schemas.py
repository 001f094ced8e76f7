import sys

from django.core.management.base import BaseCommand

from tenants.models import Enterprise
from tenants.schema_sync import align_constraint_names, schema_drift


class Command(BaseCommand):
    help = "Compare every enterprise schema with the tenant template (post-deploy drift check)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--align-names", action="store_true", help="rename cloned UNIQUE constraints first"
        )

    def handle(self, *args, **options):
        problems = []
        for enterprise in Enterprise.objects.select_related("workspace").order_by("slug"):
            if options["align_names"]:
                align_constraint_names(enterprise.schema_name)
            problems += schema_drift(enterprise.schema_name)
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            sys.exit(1)
        self.stdout.write("every enterprise schema matches the template")
