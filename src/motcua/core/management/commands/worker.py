from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the durable task worker (the database queue): indexing, scans, documents."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")

    def handle(self, batch=False, **options):
        args = ["--no-reload"] + (["--batch"] if batch else [])
        call_command("db_worker", *args)
