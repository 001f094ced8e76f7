from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from steward.intake.safety import Refusal
from steward.register.roster import import_roster


class Command(BaseCommand):
    help = "Load the city register (名录) from CSV or XLSX: upsert by credit code, link enterprises that file here."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, path, dry_run, **options):
        try:
            report = import_roster(Path(path).name, Path(path).read_bytes(), dry_run=dry_run)
        except Refusal as refusal:
            raise CommandError(refusal.message) from None
        for error in report.errors:
            self.stdout.write(f"第 {error.line} 行 {error.column}：{error.message}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} rows have errors: nothing changed")
        self.stdout.write(
            f"{report.rows_read} rows: {report.created} new, {report.updated} updated, {report.linked} linked"
            + (" (dry run)" if dry_run else "")
        )
