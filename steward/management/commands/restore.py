from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from steward.backup import BackupError, database_url, restore_database, restore_enterprise, verify_restored


class Command(BaseCommand):
    help = (
        "Restore a backup folder: a database backup into an empty database (--database-url), or an enterprise "
        "backup into this platform's database after its schema was dropped. Verifies the result."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path)
        parser.add_argument("--database-url", help="target database (default: this platform's)")
        parser.add_argument("--evidence-root", type=Path, default=None)

    def handle(self, *args, **options):
        backup = options["backup"]
        url = options["database_url"] or database_url()
        evidence_root = options["evidence_root"] or Path(settings.EVIDENCE_ROOT)
        try:
            if (backup / "database.dump").exists():
                restore_database(backup, url, evidence_root)
            else:
                restore_enterprise(backup, url, evidence_root)
            problems = verify_restored(backup, url, evidence_root)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if problems:
            raise CommandError("restore verification failed:\n" + "\n".join(problems))
        self.stdout.write("restored and verified: row counts, evidence hashes and append-only triggers match")
