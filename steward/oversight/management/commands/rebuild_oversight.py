from django.core.management.base import BaseCommand

from steward.oversight.projection import rebuild
from tenants.models import Enterprise


class Command(BaseCommand):
    help = "Regenerate the oversight read model (public schema) from every enterprise's workspace."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="only these enterprises (default: all)")

    def handle(self, *args, slugs, **options):
        enterprises = Enterprise.objects.select_related("workspace").order_by("slug")
        if slugs:
            enterprises = enterprises.filter(slug__in=slugs)
        count = rebuild(list(enterprises))
        self.stdout.write(f"read model rebuilt for {count} enterprise(s)")
