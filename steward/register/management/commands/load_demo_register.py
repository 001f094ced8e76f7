from django.core.management.base import BaseCommand

from steward.register.demo import load_demo_register


class Command(BaseCommand):
    help = "Load a generated city register of Huzhou enterprises and a year of bulk feeds (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=300)
        parser.add_argument("--year", type=int, default=None, help="feed year (default: last year)")

    def handle(self, *args, **options):
        counts = load_demo_register(options["enterprises"], year=options["year"])
        self.stdout.write(f"register: {counts}")
