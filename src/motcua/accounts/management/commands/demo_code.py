"""`motcua demo code USER`: the current second-factor code of a demo official (demo devices only)."""

from django.core.management.base import BaseCommand, CommandError

from motcua.accounts.demo import demo_code
from motcua.accounts.models import User


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo official (only for the demo key)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        code = demo_code(user) if user else None
        if code is None:
            raise CommandError(f"{username} has no demo authenticator (only the demo officials do)")
        self.stdout.write(code)
