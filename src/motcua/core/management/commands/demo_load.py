from django.core.management.base import BaseCommand

from motcua.core import demo


class Command(BaseCommand):
    help = "Load the bundled demo province, users, catalogue and dossiers. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dossiers", type=int, default=300, help="How many demo dossiers (first load only)."
        )
        parser.add_argument(
            "--now", action="store_true", help="Make the demo dossiers now, not in the worker."
        )

    def handle(self, dossiers=300, now=False, **options):
        from motcua.core.backends import agency_signer

        agency_signer()  # creates the demo signing authority on first run (MOTCUA_SIGNING_PKCS12 unset)
        for line in demo.load(dossiers=dossiers, now=now):
            self.stdout.write(line)
