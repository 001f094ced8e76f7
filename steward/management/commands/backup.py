from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from steward.backup import BackupError, backup_database, backup_enterprise
from tenants.models import Enterprise


class Command(BaseCommand):
    help = (
        "Back up the whole database (or one enterprise with --enterprise SLUG) with evidence and a manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True, help="folder to write the backup into")
        parser.add_argument("--enterprise", help="slug of one enterprise")

    def handle(self, *args, **options):
        try:
            if options["enterprise"]:
                schema = Enterprise.objects.get(slug=options["enterprise"]).schema_name
                target = backup_enterprise(schema, options["out"])
            else:
                target = backup_database(options["out"])
        except (Enterprise.DoesNotExist, BackupError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"backup written to {target}")
