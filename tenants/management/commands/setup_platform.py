from django.core.management import call_command
from django.core.management.base import BaseCommand

from steward.platform import prepare_platform


class Command(BaseCommand):
    help = (
        "Migrate the public schema, load reference data and factors, refresh the template, migrate tenants."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--executor",
            choices=["standard", "multiprocessing"],
            default="standard",
            help="how tenant schemas are migrated (multiprocessing: TENANT_MULTIPROCESSING_MAX_PROCESSES at once)",
        )

    def handle(self, *args, **options):
        quiet = max(0, options["verbosity"] - 1)
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=quiet)
        summary = prepare_platform(verbosity=quiet)
        call_command(
            "migrate_schemas", tenant=True, interactive=False, verbosity=quiet, executor=options["executor"]
        )
        call_command("check_schemas", align_names=True, verbosity=0, stdout=self.stdout)
        self.stdout.write(
            "platform ready: {jurisdictions} jurisdictions, {industries} industries, factor set {factor_set}, "
            "template schema migrated".format(**summary)
        )
