from django.core.management.base import BaseCommand

from motcua.accounts import demo as accounts_demo
from motcua.catalogue import demo as catalogue_demo
from motcua.dossiers import demo as dossiers_demo
from motcua.dossiers.models import Dossier
from motcua.dossiers.tasks import generate_demo_dossiers


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
        from motcua.core.signing import default_signer

        default_signer()  # creates the demo signing authority on first run (MOTCUA_SIGNING_PKCS12 unset)
        counts = {**accounts_demo.load(), **catalogue_demo.load()}
        self.stdout.write("demo data: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        if Dossier.objects.exists() or not dossiers:
            return
        if now:
            self.stdout.write(f"demo dossiers: {dossiers_demo.load(dossiers)}")
        else:
            generate_demo_dossiers.enqueue(count=dossiers)
            self.stdout.write(f"demo dossiers: {dossiers} queued; the worker makes them in about a minute")
