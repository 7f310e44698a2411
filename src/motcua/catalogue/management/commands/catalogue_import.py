from django.core.management.base import BaseCommand, CommandError

from motcua.catalogue.importers.dvc import import_file


class Command(BaseCommand):
    help = "Import procedures from the national catalogue format (JSON lines). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--summary", action="store_true", help="Print counts only, not every problem.")

    def handle(self, path, summary=False, **options):
        try:
            report = import_file(path)
        except FileNotFoundError as exc:
            raise CommandError(f"no such file: {path}") from exc
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}. Nothing was imported.") from exc
        for line in report.lines(detail=not summary):
            self.stdout.write(line)
        self.stdout.write(
            "The search index is rebuilt by the worker (motcua worker), or now with: motcua catalogue reindex"
        )
