"""Retrieval: the chunks for a question, filtered by access level and validity, fused and reranked."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.utils import timezone

from . import analysis, fusion
from .backends import embedder, index, reranker
from .index.base import Filters
from .models import Chunk, SourceKind

CANDIDATES = 50


@dataclass(frozen=True)
class Result:
    chunk: Chunk
    score: float
    citation: str


def access_level_for(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return 2 if user.role == "system_admin" else (1 if user.is_official else 0)


def retrieve(
    query: str,
    *,
    access_level: int,
    k: int = 10,
    mode: str = "hybrid",
    source_kinds: tuple[str, ...] = (),
    agencies: tuple[str, ...] = (),
    in_force_on: datetime.date | None = None,
) -> tuple[list[Result], float]:
    """Chunks for `query`, best first, that a reader of `access_level` may see and that are in force on
    `in_force_on` (today by default). BM25 and dense candidates are fused by score (see `fusion`), then
    reranked when a reranker is configured. Returns the results and the time taken in ms."""
    if mode not in ("bm25", "dense", "hybrid"):
        raise ValueError(f"unknown retrieval mode {mode!r}: bm25, dense or hybrid")
    started = time.perf_counter()
    filters = Filters(
        source_kinds=source_kinds, agencies=agencies, in_force_on=in_force_on or timezone.localdate()
    )
    lexical, dense = [], []
    if mode in ("bm25", "hybrid"):
        terms = analysis.analyse(query)
        lexical = index().search_lexical(terms, access_level=access_level, k=CANDIDATES, filters=filters)
    model = embedder() if mode in ("dense", "hybrid") else None
    if model is not None:
        vector = model.embed_query(query)
        dense = index().search_dense(vector, access_level=access_level, k=CANDIDATES, filters=filters)
    ranked = fusion.hybrid(lexical, dense)
    rerank = reranker()
    chunks = {
        c.key: c
        for c in Chunk.objects.select_related("source").filter(
            key__in=[key for key, _ in ranked[: k if isinstance(rerank, fusion.NoReranker) else CANDIDATES]]
        )
    }
    ranked = rerank.rerank(
        query,
        [(key, s) for key, s in ranked if key in chunks],
        {key: chunk.text for key, chunk in chunks.items()},
    )[:k]
    # The index filtered by access level already; the database row is checked again (defence in depth).
    results = [
        Result(chunks[key], score, chunks[key].citation or chunks[key].source.title)
        for key, score in ranked
        if chunks[key].source.access_level <= access_level
    ]
    return results, (time.perf_counter() - started) * 1000


def kinds() -> list[tuple[str, str]]:
    return list(SourceKind.choices)
