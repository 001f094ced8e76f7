from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants import reference_data, services


class Command(BaseCommand):
    help = "Migrate the public schema, load reference data, refresh the tenant template, migrate tenants."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=max(0, verbosity - 1))
        services.ensure_public_workspace()
        jurisdictions = reference_data.load_jurisdictions()
        industries = reference_data.load_industries()
        services.prepare_tenant_template(verbosity=max(0, verbosity - 1))
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=max(0, verbosity - 1))
        self.stdout.write(
            f"platform ready: {jurisdictions} jurisdictions, {industries} industries, template schema migrated"
        )
