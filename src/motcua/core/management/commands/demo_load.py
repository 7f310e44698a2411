from django.core.management.base import BaseCommand

from motcua.accounts import demo as accounts_demo
from motcua.catalogue import demo as catalogue_demo


class Command(BaseCommand):
    help = "Load the bundled demo province, users and procedure catalogue. Safe to run again."

    def handle(self, **options):
        counts = {**accounts_demo.load(), **catalogue_demo.load()}
        self.stdout.write("demo data: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
