"""`motcua precheck DIR --procedure CODE [--json]`: check a dossier laid out as a folder.

DIR holds application.json (the applicant's form data: full_name, date_of_birth, id_number and any
other field of the procedure; optional `case`, a 1-based number or part of the case's name, else the
pre-check picks the case that best fits the files and names the runner-up; optional `channel`,
"online" when filed on the portal's e-form; `checked_on`, the date to check expiry against) and the
attached files. Schema: docs/precheck.md."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalogue.models import Procedure

from ... import pipeline
from ...services import named_case, options_for

APPLICATION = "application.json"


class Command(BaseCommand):
    help = "Pre-check a dossier folder against a procedure's required documents."

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path)
        parser.add_argument("--procedure", required=True, help="procedure code, e.g. 1.001193")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--languages", default="vie+eng", help="Tesseract languages (e.g. vie+eng+ara)")

    def handle(self, *args, **options):
        folder: Path = options["dir"]
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        procedure = Procedure.objects.filter(code=options["procedure"]).first()
        if procedure is None:
            raise CommandError(f"unknown procedure {options['procedure']!r}")
        application = {}
        if (folder / APPLICATION).exists():
            try:
                application = json.loads((folder / APPLICATION).read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise CommandError(f"{APPLICATION} is not valid JSON: {exc}") from exc
            if not isinstance(application, dict):
                raise CommandError(f"{APPLICATION} must hold a JSON object")
        choices = options_for(procedure, online=application.get("channel") == "online")
        try:
            case = named_case(choices, application.get("case"))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        files = [
            (path.name, path.read_bytes())
            for path in sorted(folder.iterdir())
            if path.is_file() and path.name != APPLICATION and not path.name.startswith(".")
        ]
        result = pipeline.run(choices, application, files, languages=options["languages"], case=case)
        output = {
            "procedure": procedure.code,
            "case": result.case.name if result.case else "",
            "case_number": next((i + 1 for i, o in enumerate(choices) if o is result.case), None),
            "runner_up": result.runner_up.name if result.runner_up else "",
            "case_reason": result.case_reason,
            "complete": result.complete,
            "findings": [finding.as_dict() for finding in result.findings],
            "documents": [
                {"requirement": d.requirement.name, "file": d.file, "pages": d.page_range}
                for d in result.documents
            ],
            "pages": result.pages,
            "ocr_pages": result.ocr_pages,
            "timings_ms": result.timings_ms,
        }
        if options["json"]:
            self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{procedure.code} case {output['case_number']} {output['case']} ({result.case_reason}): "
            + ("complete" if result.complete else f"{len(result.findings)} findings")
        )
        if output["runner_up"]:
            self.stdout.write(f"  runner-up: {output['runner_up']}")
        for finding in result.findings:
            where = f"{finding.file or ''} p.{finding.page}" if finding.page else (finding.file or "")
            self.stdout.write(f"- {finding.kind}: {finding.requirement or ''} {where} {finding.detail}")
