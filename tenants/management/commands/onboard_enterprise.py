from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.models import Industry, Jurisdiction, User
from tenants.services import onboard_enterprise


class Command(BaseCommand):
    help = "Onboard an enterprise: create its workspace schema (cloned from the template) and profile."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True, help="Chinese name (企业名称)")
        parser.add_argument("--credit-code", required=True)
        parser.add_argument("--jurisdiction", required=True, help="jurisdiction code, e.g. 330502")
        parser.add_argument("--industry", required=True, help="GB/T 4754 code, e.g. 4411")
        parser.add_argument("--admin", help="username of the enterprise's first administrator")
        parser.add_argument("--carbon-market", action="store_true")
        parser.add_argument("--permit-key-unit", action="store_true")
        parser.add_argument("--carbon-efficiency", action="store_true")

    def handle(self, *args, **options):
        try:
            enterprise = onboard_enterprise(
                slug=options["slug"],
                name_zh=options["name"],
                credit_code=options["credit_code"],
                jurisdiction=Jurisdiction.objects.get(code=options["jurisdiction"]),
                industry=Industry.objects.get(code=options["industry"]),
                in_national_carbon_market=options["carbon_market"],
                pollutant_permit_key_unit=options["permit_key_unit"],
                carbon_efficiency_evaluated=options["carbon_efficiency"],
                admin_user=User.objects.get(username=options["admin"]) if options["admin"] else None,
            )
        except (Jurisdiction.DoesNotExist, Industry.DoesNotExist, User.DoesNotExist) as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"onboarded {enterprise.name_zh} at /e/{enterprise.slug}/ (schema {enterprise.schema_name})"
        )
