from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.knowledge import ingest, services


class Command(BaseCommand):
    help = "Import legal documents: a .txt/.docx/.pdf file, or an ALQAC-format corpus (.jsonl). Then index."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--number", default="", help="Number and symbol, when the file does not state it."
        )
        parser.add_argument("--title", default="")
        parser.add_argument("--no-index", action="store_true", help="Store only; the worker indexes later.")

    def handle(self, path, number, title, no_index, **options):
        if not path.exists():
            raise CommandError(f"no such file: {path}")
        try:
            if path.suffix == ".jsonl":
                report = ingest.import_legal_corpus(path)
            else:
                report = ingest.import_legal_file(path, number=number, title=title)
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}. Nothing was imported.") from exc
        self.stdout.write(f"imported: {report.documents} documents, {report.chunks} chunks")
        for problem in report.problems:
            self.stdout.write(f"problem: {problem}")
        if not no_index:
            done = services.index_pending(progress=lambda n, total: None)
            self.stdout.write(f"indexed: {done['indexed']} chunks, removed {done['removed']}")
