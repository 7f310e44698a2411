from django.core.management.base import BaseCommand

from motcua.catalogue import search


class Command(BaseCommand):
    help = "Rebuild the catalogue search index from the database, now."

    def handle(self, **options):
        self.stdout.write(f"indexed: {search.rebuild()} procedures")
