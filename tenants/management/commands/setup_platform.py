from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tenants.utils import get_public_schema_name

from steward.platform import prepare_platform
from tenants.models import Workspace
from tenants.pending_migrations import pending_schemas


class Command(BaseCommand):
    help = (
        "Migrate the public schema, load reference data and factors, refresh the template, migrate the "
        "enterprise schemas that have migrations pending."
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
        self.migrate_enterprise_schemas(options["executor"], quiet)
        call_command("check_schemas", align_names=True, verbosity=0, stdout=self.stdout)
        self.stdout.write(
            "platform ready: {jurisdictions} jurisdictions, {industries} industries, factor set {factor_set}, "
            "template schema migrated".format(**summary)
        )

    def migrate_enterprise_schemas(self, executor: str, verbosity: int) -> None:
        """Only the schemas with migrations pending (tenants/pending_migrations.py): all of them through
        django-tenants' executor when most are, one by one when a few are (a run that failed part-way)."""
        schemas = list(
            Workspace.objects.exclude(schema_name=get_public_schema_name()).values_list(
                "schema_name", flat=True
            )
        )
        pending = pending_schemas(schemas)
        if not pending:
            self.stdout.write(f"{len(schemas)} enterprise schemas: no migration pending")
            return
        self.stdout.write(f"{len(schemas)} enterprise schemas: {len(pending)} with migrations pending")
        if len(pending) * 2 > len(schemas):
            call_command(
                "migrate_schemas", tenant=True, interactive=False, verbosity=verbosity, executor=executor
            )
            return
        for schema in pending:
            call_command(
                "migrate_schemas", tenant=True, schema_name=schema, interactive=False, verbosity=verbosity
            )
