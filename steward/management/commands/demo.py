from django.core.management import call_command
from django.core.management.base import BaseCommand

from steward import serving
from steward.budget.demo import load_demo_budgets
from steward.demo import load_demo_world, login_table
from steward.demo.annual import load_demo_annual
from steward.demo.carbon import load_demo_carbon, load_demo_filings
from steward.demo.compliance import load_demo_compliance
from steward.demo.pollution import load_demo_pollution
from steward.register.demo import load_demo_register


class Command(BaseCommand):
    help = (
        "Set up the platform, load the Huzhou demo world and serve it at http://localhost:8000 "
        "(gunicorn, DEBUG off, static files by WhiteNoise)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="prepare the data and exit")

    def handle(self, *args, **options):
        call_command("setup_platform", verbosity=options["verbosity"])
        counts = load_demo_world()
        load_demo_carbon()
        # Last year's months before this year's: seals chain in the order of their (planned) lock times.
        load_demo_annual()
        load_demo_filings()
        load_demo_compliance()
        load_demo_pollution()
        register = load_demo_register()  # the city register and a year of feeds (/bureau/register/)
        budgets = load_demo_budgets()  # this year's feeds to date and budgets (/bureau/budgets/)
        self.stdout.write(f"demo world: {counts}, register: {register}, budgets: {budgets}")
        self.stdout.write(login_table())
        if options["no_serve"]:
            return
        self.stdout.write(
            f"serving on http://{options['addrport'].replace('127.0.0.1', 'localhost')}/ (Ctrl-C stops)"
        )
        serving.serve(options["addrport"])
