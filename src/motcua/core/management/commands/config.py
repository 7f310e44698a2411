from django.core.management.base import BaseCommand

from motcua import conf


class Command(BaseCommand):
    help = "Print every setting motcua reads from the environment, with its current value (secrets masked)."

    def handle(self, **options):
        for name, shown, kind, help_text in conf.describe():
            self.stdout.write(f"{name} = {shown}\n    ({kind}) {help_text}")
