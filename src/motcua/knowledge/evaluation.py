"""Retrieval quality of the product's own pipeline: metrics, and an end-to-end run over a legal corpus.

What is measured is the product, not a replica of it:

- `throwaway_data()` gives a fresh database (Django's test database: in memory for SQLite) and a fresh
  search folder, and points the knowledge settings at them; the configured database and indexes are
  never touched. The index backend is the product's (`MOTCUA_KNOWLEDGE_INDEX`: local or postgres),
  opened by `knowledge.services` itself.
- `load_corpus()` imports an ALQAC-format corpus with `ingest.import_legal_corpus`, the path of
  `motcua legal import` (the product's legal chunker, `CHUNK_TOKENS` sized by the configured embedder's
  tokenizer, chunk headings, citations), then indexes it with `services.index_pending` (the product's
  analysis, passage text, embedder and its database vector cache).
- `run_questions()` asks every question through `services.retrieve`, as the search page and the API do:
  a public reader (access level 0), legal sources only, in force today, the product's candidate count
  per list (`services.CANDIDATES`), its fusion (`fusion.hybrid`) and its configured reranker
  (`MOTCUA_RERANKER`). It asks for `RESULTS` chunks (the API's largest page); a document's rank is the
  rank of its best chunk, so the first 10 documents can be scored.

It reports Hit@1, Recall@10, MRR@10, nDCG@10 (binary relevance) and the latency of `retrieve` per
question (p50 / p95 ms; the database read of the returned chunks included). A BM25-only run
(`mode="bm25"` alone) indexes with the embedder off, as the product runs with `MOTCUA_EMBEDDER=none`;
without a tokenizer the chunker then sizes chunks by the conservative token estimate, so its chunks can
differ a little from a run with the model. The figures and the commands that produced them are in
`docs/knowledge.md`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

MODES = ("bm25", "dense", "hybrid")
RESULTS = 50  # chunks asked of `retrieve` per question: the API's largest page
K = 10  # documents scored per question

# --- metrics (binary relevance; `ranked` is best first, without duplicates) ----------------------------


def hit_at(ranked: list[str], gold: set[str], n: int) -> float:
    return 1.0 if any(doc in gold for doc in ranked[:n]) else 0.0


def recall_at(ranked: list[str], gold: set[str], n: int) -> float:
    if not gold:
        return 0.0
    return len(gold.intersection(ranked[:n])) / len(gold)


def mrr_at(ranked: list[str], gold: set[str], n: int) -> float:
    for position, doc in enumerate(ranked[:n], start=1):
        if doc in gold:
            return 1.0 / position
    return 0.0


def ndcg_at(ranked: list[str], gold: set[str], n: int) -> float:
    dcg = sum(1.0 / math.log2(i + 2) for i, doc in enumerate(ranked[:n]) if doc in gold)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(gold), n)))
    return dcg / ideal if ideal else 0.0


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --- the throw-away database and index ------------------------------------------------------------------


def _postgres_url(db: dict) -> str:
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{auth}{host}{port}/{quote(db['NAME'], safe='')}"


@contextmanager
def throwaway_data(
    folder: Path, *, index: str = "", embedder: bool = True, database: bool = True
) -> Iterator[None]:
    """For the duration: a fresh, migrated database (Django's test database, as `testserver` makes it;
    in memory for SQLite), the search indexes in `folder`, the knowledge index backend `index` (default:
    the configured one) and, with `embedder` false, no embedder (BM25 only). Everything is dropped after.

    The postgres backend keeps its index table in that fresh database, so it needs the database itself
    on PostgreSQL with pgvector available. `database=False` keeps the current database (tests, which
    already run in a throw-away one)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connection
    from django.test.utils import override_settings

    backend = (index or settings.KNOWLEDGE_INDEX).lower()
    overrides: dict = {"SEARCH_DIR": Path(folder), "KNOWLEDGE_INDEX": backend}
    if not embedder:
        overrides["EMBEDDER"] = "none"
    if backend == "postgres" and connection.vendor != "postgresql":
        raise ImproperlyConfigured(
            "the postgres knowledge index is evaluated in a throw-away PostgreSQL database: "
            "DATABASE_URL must be a PostgreSQL URL (with pgvector available)"
        )
    old_name = connection.settings_dict["NAME"]
    if database:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        if backend == "postgres":
            overrides["KNOWLEDGE_INDEX_URL"] = _postgres_url(connection.settings_dict)
        # Changing these settings resets the knowledge backends (core.registry), so `services` opens
        # a new index in `folder` and the embedder as set; leaving the block resets them again.
        with override_settings(**overrides):
            yield
    finally:
        if database:
            connection.creation.destroy_test_db(old_name, verbosity=0)


# --- loading and running --------------------------------------------------------------------------------


@dataclass
class Loaded:
    """What loading a corpus gave and cost."""

    chunks: int
    documents: int
    dense: bool
    seconds: float


def load_corpus(corpus: Path, *, vectors: MutableMapping[str, bytes] | None = None, progress=None) -> Loaded:
    """Import the ALQAC-format corpus file ({"doc_id", "law_id", "article_id", "text"} rows) and index
    it, through the product's ingest and indexing (see the module doc). `vectors`, if given, is a store
    of passage vectors keyed as `CachedEmbedder` keys them: it seeds the database vector cache before
    indexing and receives the new vectors after, so later runs embed nothing again."""
    from . import ingest, services
    from .models import EmbeddingCache

    started = time.perf_counter()
    model = services.embedder()
    if vectors is not None and model is not None:
        EmbeddingCache.objects.bulk_create(
            [EmbeddingCache(key=key, vector=bytes(vectors[key])) for key in _keys(vectors)],
            batch_size=500,
            ignore_conflicts=True,
        )
    report = ingest.import_legal_corpus(Path(corpus))
    services.index_pending(progress=progress)
    if vectors is not None and model is not None:
        for key, vector in EmbeddingCache.objects.values_list("key", "vector").iterator():
            vectors[key] = bytes(vector)
    with Path(corpus).open(encoding="utf-8") as rows:
        documents = sum(1 for line in rows if line.strip())
    return Loaded(
        chunks=report.chunks,
        documents=documents,
        dense=model is not None,
        seconds=time.perf_counter() - started,
    )


def _keys(store) -> list[str]:
    return [k.decode() if isinstance(k, bytes) else k for k in store.keys()]


def document_of(result) -> str:
    """The ALQAC document id ("<law_id>|<article_id>") of a retrieved legal chunk."""
    chunk = result.chunk
    return f"{chunk.source.number}|{chunk.anchor.removeprefix('dieu-')}"


def run_questions(questions: Iterable[dict], *, mode: str, k: int = K) -> dict:
    """Every question ({"question", "relevant": [doc ids]}) through `services.retrieve`; metrics and
    latency. The corpus must be loaded (`load_corpus`) in the current `throwaway_data()`."""
    from django.utils import timezone

    from . import services
    from .models import SourceKind

    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    totals = {"Hit@1": 0.0, "Recall@10": 0.0, "MRR@10": 0.0, "nDCG@10": 0.0}
    latencies: list[float] = []
    today = timezone.localdate()
    n = 0
    for question in questions:
        started = time.perf_counter()
        found, _ms = services.retrieve(
            question["question"],
            access_level=0,
            k=RESULTS,
            mode=mode,
            source_kinds=(SourceKind.LEGAL,),
            in_force_on=today,
        )
        latencies.append((time.perf_counter() - started) * 1000)
        ranked: list[str] = []  # documents, best chunk first
        for result in found:
            doc = document_of(result)
            if doc not in ranked:
                ranked.append(doc)
                if len(ranked) == k:
                    break
        gold = set(question["relevant"])
        totals["Hit@1"] += hit_at(ranked, gold, 1)
        totals["Recall@10"] += recall_at(ranked, gold, k)
        totals["MRR@10"] += mrr_at(ranked, gold, k)
        totals["nDCG@10"] += ndcg_at(ranked, gold, k)
        n += 1
    result: dict = {name: (value / n if n else 0.0) for name, value in totals.items()}
    result.update(
        {
            "mode": mode,
            "questions": n,
            "latency_p50_ms": _percentile(latencies, 0.50),
            "latency_p95_ms": _percentile(latencies, 0.95),
        }
    )
    return result


def evaluate(
    corpus: Path,
    questions: list[dict],
    *,
    modes: Iterable[str],
    vectors: MutableMapping[str, bytes] | None = None,
) -> dict[str, dict]:
    """Load `corpus` once and run `questions` in every mode; call it inside `throwaway_data()`."""
    from . import services

    modes = list(modes)
    for mode in modes:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    loaded = load_corpus(corpus, vectors=vectors)
    if any(mode != "bm25" for mode in modes) and (model := services.embedder()) is not None:
        model.embed_query("khởi động")  # load the query side now, outside the timings
    results: dict[str, dict] = {}
    for mode in modes:
        result = run_questions(questions, mode=mode)
        result.update(chunks=loaded.chunks, documents=loaded.documents, load_seconds=loaded.seconds)
        results[mode] = result
    return results
