from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.models import User
from tenants.services import deactivate_user


class Command(BaseCommand):
    help = (
        "A person leaves: they can no longer sign in (their open sessions end at the next request), and every "
        "record they entered, approved or signed keeps naming them. Users are never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="why, for the log (e.g. 离职 2026-11)")

    def handle(self, *args, **options):
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist as error:
            raise CommandError(f"no user {options['username']!r}") from error
        try:
            deactivate_user(user, reason=options["reason"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"{user.username} deactivated; their records keep their name")
