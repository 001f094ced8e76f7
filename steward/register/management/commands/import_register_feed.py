from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from steward.intake.safety import Refusal
from steward.register import importer
from steward.register.models import FeedBatch
from tenants.models import User


class Command(BaseCommand):
    help = (
        "Import a bulk feed file (CSV or XLSX) into the city register; --dry-run checks it and loads nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--kind", required=True, choices=FeedBatch.Kind.values)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, default=None)
        parser.add_argument("--source", default="", help="the sending organisation (报送单位)")
        parser.add_argument("--user", default="platform", help="who imports (username)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, path, kind, year, month, source, user, dry_run, **options):
        data = Path(path).read_bytes()
        try:
            if dry_run:
                report = importer.dry_run(name=Path(path).name, data=data, kind=kind, year=year, month=month)
                if report.existing:
                    self.stdout.write(f"already imported as batch #{report.existing.pk}")
                    return
                self._errors(report)
                self.stdout.write(
                    f"{report.rows_read} rows, {report.error_count} errors, {report.enterprises} enterprises"
                )
                return
            batch, created = importer.import_feed(
                name=Path(path).name,
                data=data,
                kind=kind,
                year=year,
                month=month,
                source=source or FeedBatch.Kind(kind).label,
                by=User.objects.get(username=user),
            )
        except Refusal as refusal:
            raise CommandError(refusal.message) from None
        except importer.FeedRefused as refused:
            self._errors(refused.report)
            raise CommandError(f"{refused.report.error_count} rows have errors: nothing imported") from None
        state = "imported" if created else "already imported"
        self.stdout.write(f"{state}: batch #{batch.pk}, {batch.rows_loaded} rows, {batch.seconds} s")

    def _errors(self, report):
        for error in report.errors:
            self.stdout.write(f"第 {error.line} 行 {error.column}：{error.message}")
        if report.error_count > len(report.errors):
            self.stdout.write(f"…共 {report.error_count} 处错误")
