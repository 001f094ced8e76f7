import sys

from django.core.management.base import BaseCommand

from steward.oversight.projection import check


class Command(BaseCommand):
    help = "Compare the oversight read model with the workspaces and name every difference."

    def handle(self, *args, **options):
        problems = check()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            self.stdout.write(f"{len(problems)} difference(s); run rebuild_oversight to regenerate")
            sys.exit(1)
        self.stdout.write("read model matches every workspace")
