from pathlib import Path

from django.core.management.base import BaseCommand

from steward.factors.loader import DATA_DIR, load_factor_library


class Command(BaseCommand):
    help = "Publish the factor tables (steward/factors/data or --data-dir) as a new factor-set version."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
        parser.add_argument("--note", default="")

    def handle(self, *args, **options):
        factor_set, created = load_factor_library(data_dir=options["data_dir"], note=options["note"])
        verb = "published" if created else "unchanged, current"
        self.stdout.write(
            f"factor set {factor_set.version} {verb}: {factor_set.fuel_factors.count()} fuel rows, "
            f"{factor_set.grid_factors.count()} grid rows"
        )
