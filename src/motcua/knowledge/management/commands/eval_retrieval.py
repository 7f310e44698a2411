"""`motcua eval retrieval --corpus C.jsonl --questions Q.jsonl [--mode all] [--json] [--limit N]`

Loads the corpus into a throw-away index in a temporary folder, runs every question and prints one
`name: value unit` line per figure and mode, e.g. `retrieval hybrid alqac2022 MRR@10: 0.934`, or one
JSON object with --json. See `motcua.knowledge.evaluation` for what is measured and how.
"""

from __future__ import annotations

import os

# One BLAS thread, set before numpy loads: OpenBLAS otherwise keeps a second thread spinning after each
# dense search, which doubled this process's CPU time and competes with the embedder on two cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import dbm  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from django.core.management.base import BaseCommand, CommandError  # noqa: E402

from motcua.knowledge import evaluation  # noqa: E402
from motcua.knowledge.embeddings import (  # noqa: E402
    CachedEmbedder,
    EmbedderUnavailable,
    embedder_from_settings,
)

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
            default="local",
            help="backend of the throw-away index: local files, or a temporary table in the PostgreSQL "
            "of MOTCUA_KNOWLEDGE_INDEX_URL / DATABASE_URL (needs pgvector)",
        )

    def handle(self, *args, **options):
        corpus = _read_jsonl(options["corpus"])
        questions = _read_jsonl(options["questions"])
        if options.get("limit"):
            questions = questions[: options["limit"]]
        name = options.get("name") or _dataset_name(options["corpus"])
        mode = options.get("mode") or "all"
        modes = list(evaluation.MODES) if mode == "all" else [mode]
        as_json = options.get("json", False)

        embedder = None
        if any(m != "bm25" for m in modes):
            try:
                embedder = embedder_from_settings()
                if embedder is not None:
                    embedder.embed_query("khởi động")  # load the model now, outside the timings
            except EmbedderUnavailable as exc:
                embedder = None
                self.stderr.write(f"dense retrieval unavailable ({exc}); measuring BM25 only")
            if embedder is None:
                modes = [m for m in modes if m == "bm25"] or ["bm25"]
                if mode not in ("all", "bm25"):
                    self.stderr.write(f"no embedder configured (MOTCUA_EMBEDDER): {mode} -> bm25")

        cache = dbm.open(options["cache"], "c") if options.get("cache") and embedder is not None else None
        try:
            if cache is not None:
                embedder = CachedEmbedder(embedder, cache)
            results = self._run(corpus, questions, modes, embedder, options.get("index") or "local")
        finally:
            if cache is not None:
                cache.close()

        if as_json:
            self.stdout.write(json.dumps({"dataset": name, "results": results}, indent=2))
            return
        for mode_name, result in results.items():
            backend = " postgres" if options.get("index") == "postgres" else ""
            prefix = f"retrieval {mode_name}{backend} {name}"
            for metric in METRICS:
                self.stdout.write(f"{prefix} {metric}: {result[metric]:.3f}")
            self.stdout.write(f"{prefix} latency p50: {result['latency_p50_ms']:.1f} ms")
            self.stdout.write(f"{prefix} latency p95: {result['latency_p95_ms']:.1f} ms")
            self.stdout.write(f"{prefix} load: {result['load_seconds']:.1f} s")
            self.stdout.write(f"{prefix} questions: {result['questions']} questions")

    def _run(self, corpus, questions, modes, embedder, backend: str) -> dict[str, dict]:
        results: dict[str, dict] = {}
        with tempfile.TemporaryDirectory(prefix="motcua-eval-") as tmp:
            index = self._index(backend, Path(tmp) / "index")
            started = time.perf_counter()
            embed = embedder is not None and any(m != "bm25" for m in modes)
            loaded = evaluation.load_corpus(corpus, index=index, embedder=embedder, embed=embed)
            load_seconds = time.perf_counter() - started
            for mode in modes:
                result = evaluation.run_questions(
                    questions, mode=mode, index=index, loaded=loaded, embedder=embedder
                )
                result["load_seconds"] = load_seconds
                results[mode] = result
            for cleanup in ("drop", "close"):
                if callable(method := getattr(index, cleanup, None)):
                    method()
        return results

    @staticmethod
    def _index(backend: str, path: Path):
        if backend == "local":
            return evaluation.throwaway_index(path)
        from django.core.exceptions import ImproperlyConfigured

        from motcua.knowledge.index.postgres import PostgresIndex
        from motcua.knowledge.services import postgres_index_url

        try:
            url = postgres_index_url()
        except ImproperlyConfigured as exc:
            raise CommandError(f"--index postgres: {exc}") from exc
        return PostgresIndex(url, table=f"eval_{os.getpid()}")
