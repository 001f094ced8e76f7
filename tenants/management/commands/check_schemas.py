import sys

from django.core.management.base import BaseCommand

from tenants.models import Enterprise
from tenants.schema_sync import align_names, drift


class Command(BaseCommand):
    help = "Compare every enterprise schema with the tenant template (post-deploy drift check)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--align-names", action="store_true", help="rename cloned UNIQUE constraints first"
        )

    def handle(self, *args, **options):
        schemas = list(Enterprise.objects.order_by("slug").values_list("workspace__schema_name", flat=True))
        if options["align_names"]:
            align_names(schemas)
        problems = [problem for found in drift(schemas).values() for problem in found]
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            sys.exit(1)
        self.stdout.write("every enterprise schema matches the template")
