"""`motcua eval assistant --questions IN.jsonl --out OUT.jsonl [--misses]`

Answers every question with the catalogue and legal corpus of the configured database, as an
anonymous citizen, and writes {"id", "answer", "shown", "shown_lines", "cited_codes", "declined",
"latency_ms"} per line ("shown": what is visible before the rest of the procedure is unfolded). A row
with "after" is a follow-up: that question is asked first, in the same conversation. When the input
rows carry gold codes ("gold"), prints the scores, one `name: value unit` per line.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.assistant import evaluation
from motcua.assistant.compose import compose


class Command(BaseCommand):
    help = "Answer a question set with the assistant; score it when gold codes are given."

    def add_arguments(self, parser):
        parser.add_argument("--questions", required=True, help='JSONL rows {"id", "question", ...}')
        parser.add_argument("--out", required=True, help="JSONL file to write")
        parser.add_argument("--misses", action="store_true", help="list the questions answered wrongly")
        parser.add_argument("--name", default="assistant", help="prefix of the printed figures")

    def handle(self, questions, out, misses=False, name="assistant", **options):
        path = Path(questions)
        if not path.is_file():
            raise CommandError(f"file not found: {questions}")
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if any("id" not in r or "question" not in r for r in rows):
            raise CommandError("every line needs an id and a question")
        compose("khởi động")  # load the embedder and indexes before timing
        outputs = []
        with open(out, "w", encoding="utf-8") as handle:
            for row in rows:
                topic = ""
                if row.get("after"):  # a follow-up: the conversation's previous question first
                    before = compose(row["after"])
                    topic = before.codes[0] if before.codes and before.reason == "procedure" else ""
                answer = compose(row["question"], topic=topic)
                result = {
                    "id": row["id"],
                    "answer": answer.notice if answer.declined else answer.text(),
                    "shown": "\n".join(answer.shown()),
                    "shown_lines": answer.shown_lines(),
                    "cited_codes": answer.codes,
                    "declined": answer.declined,
                    "latency_ms": answer.latency_ms,
                }
                outputs.append(result)
                handle.write(json.dumps(result, ensure_ascii=False) + "\n")
        self.stdout.write(f"{name} questions: {len(rows)}")
        if any("gold" in r for r in rows):
            for figure, value in evaluation.score(rows, outputs).items():
                unit = (
                    " ms"
                    if figure.startswith("latency")
                    else " lines"
                    if figure.endswith("lines p95")
                    else ""
                )
                shown = f"{value:.0f}" if unit else f"{value:.3f}"
                self.stdout.write(f"{name} {figure}: {shown}{unit}")
            if misses:
                for line in evaluation.misses(rows, outputs):
                    self.stdout.write(line)
