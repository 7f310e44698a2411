from django.core.management.base import BaseCommand

from motcua.knowledge import ingest, services


class Command(BaseCommand):
    help = "Re-chunk the procedure catalogue and rebuild the knowledge index from the database."

    def handle(self, **options):
        self.stdout.write(f"procedures: {ingest.sync_procedures()}")
        self.stdout.write(f"index: {services.rebuild()}")
