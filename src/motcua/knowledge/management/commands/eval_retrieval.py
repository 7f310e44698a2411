"""`motcua eval retrieval --corpus C.jsonl --questions Q.jsonl [--mode all] [--json] [--limit N]`

Imports the corpus with the product's legal import and indexing into a throw-away database and index
(the configured ones are untouched), asks every question through the product's `retrieve`, and prints
one `name: value unit` line per figure and mode, e.g. `retrieval hybrid alqac2022 MRR@10: 0.934`, or
one JSON object with --json. See `motcua.knowledge.evaluation` for what is measured and how.
"""

from __future__ import annotations

import os

# One BLAS thread, set before numpy loads: OpenBLAS otherwise keeps a second thread spinning after each
# dense search, which doubled this process's CPU time and competes with the embedder on two cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import dbm  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from django.core.management.base import BaseCommand, CommandError  # noqa: E402

from motcua.knowledge import evaluation  # noqa: E402
from motcua.knowledge.backends import embedder_from_settings  # noqa: E402
from motcua.knowledge.embeddings import EmbedderUnavailable  # noqa: E402

METRICS = ("Hit@1", "Recall@10", "MRR@10", "nDCG@10")


def _read_jsonl(path: str) -> list[dict]:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"file not found: {path}")
    with file.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _dataset_name(corpus: str) -> str:
    stem = Path(corpus).stem
    return stem.removesuffix("_corpus") or stem


class Command(BaseCommand):
    help = "Measure retrieval quality (Hit@1, Recall@10, MRR@10, nDCG@10) and latency on a question set."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", required=True, help="JSONL rows {doc_id, text}")
        parser.add_argument("--questions", required=True, help="JSONL rows {question, relevant: [doc_id]}")
        parser.add_argument("--mode", choices=[*evaluation.MODES, "all"], default="all")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--limit", type=int, default=0, help="only the first N questions")
        parser.add_argument(
            "--cache", default="", help="file of cached passage vectors (dbm), reused across runs"
        )
        parser.add_argument("--name", default="", help="data set name in the output (default: from --corpus)")
        parser.add_argument(
            "--index",
            choices=["local", "postgres"],
            default="",
            help="knowledge index backend (default: MOTCUA_KNOWLEDGE_INDEX): local files in a temporary "
            "folder, or PostgreSQL in the throw-away test database (needs DATABASE_URL on PostgreSQL "
            "with pgvector)",
        )

    def handle(self, *args, **options):
        questions = _read_jsonl(options["questions"])
        _read_jsonl(options["corpus"])  # a clear error for a missing or broken file, before any work
        if options.get("limit"):
            questions = questions[: options["limit"]]
        name = options.get("name") or _dataset_name(options["corpus"])
        mode = options.get("mode") or "all"
        modes = list(evaluation.MODES) if mode == "all" else [mode]
        as_json = options.get("json", False)

        if any(m != "bm25" for m in modes):
            try:
                embedder = embedder_from_settings()
                if embedder is not None:
                    embedder.count_tokens("khởi động")  # fails now if the model cannot load
            except EmbedderUnavailable as exc:
                embedder = None
                self.stderr.write(f"dense retrieval unavailable ({exc}); measuring BM25 only")
            if embedder is None:
                modes = [m for m in modes if m == "bm25"] or ["bm25"]
                if mode not in ("all", "bm25"):
                    self.stderr.write(f"no embedder configured (MOTCUA_EMBEDDER): {mode} -> bm25")
        dense = any(m != "bm25" for m in modes)
        backend = options.get("index") or ""

        cache = dbm.open(options["cache"], "c") if options.get("cache") and dense else None
        try:
            with tempfile.TemporaryDirectory(prefix="motcua-eval-") as tmp:
                try:
                    with evaluation.throwaway_data(
                        Path(tmp), index=backend, embedder=dense, database=options.get("database", True)
                    ):
                        results = evaluation.evaluate(
                            Path(options["corpus"]), questions, modes=modes, vectors=cache
                        )
                except (ImproperlyConfigured, ValueError) as exc:
                    raise CommandError(str(exc)) from exc
        finally:
            if cache is not None:
                cache.close()

        if as_json:
            self.stdout.write(json.dumps({"dataset": name, "results": results}, indent=2))
            return
        for mode_name, result in results.items():
            suffix = " postgres" if backend == "postgres" else ""
            prefix = f"retrieval {mode_name}{suffix} {name}"
            for metric in METRICS:
                self.stdout.write(f"{prefix} {metric}: {result[metric]:.3f}")
            self.stdout.write(f"{prefix} latency p50: {result['latency_p50_ms']:.1f} ms")
            self.stdout.write(f"{prefix} latency p95: {result['latency_p95_ms']:.1f} ms")
            self.stdout.write(f"{prefix} load: {result['load_seconds']:.1f} s")
            self.stdout.write(f"{prefix} chunks: {result['chunks']} chunks")
            self.stdout.write(f"{prefix} questions: {result['questions']} questions")
