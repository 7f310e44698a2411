"""Knowledge operations: store sources as chunks, index what changed, retrieve with citations."""

from __future__ import annotations

import datetime
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from . import analysis, fusion
from .index.base import Entry, Filters, SearchIndex
from .models import Chunk, EmbeddingCache, Source, SourceKind, Tombstone

INDEX_BATCH = 128
CANDIDATES = 50


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- storing ------------------------------------------------------------------------------------


@transaction.atomic
def store_source(*, kind: str, key: str, title: str, chunks: list[dict], **fields) -> dict[str, int]:
    """Create or update a source and its chunks. Unchanged chunks keep their index entry; changed ones
    are queued for indexing; chunks that disappeared leave a tombstone for the index."""
    source, _ = Source.objects.update_or_create(key=key, defaults={"kind": kind, "title": title, **fields})
    existing = {c.key: c for c in source.chunks.all()}
    counts = {"new": 0, "changed": 0, "unchanged": 0, "removed": 0}
    for ordinal, data in enumerate(chunks):
        digest = _hash(
            "\n".join(data.get("title_path", [])) + "\n" + data["text"] + f"|{source.access_level}"
        )
        chunk = existing.pop(data["key"], None)
        if chunk is None:
            Chunk.objects.create(
                source=source,
                key=data["key"],
                ordinal=ordinal,
                text=data["text"],
                title_path=data.get("title_path", []),
                citation=data.get("citation", "")[:500],
                anchor=data.get("anchor", "")[:200],
                content_hash=digest,
            )
            Tombstone.objects.filter(key=data["key"]).delete()
            counts["new"] += 1
        elif chunk.content_hash != digest or chunk.ordinal != ordinal:
            chunk.text, chunk.title_path, chunk.ordinal = data["text"], data.get("title_path", []), ordinal
            chunk.citation, chunk.anchor, chunk.content_hash = (
                data.get("citation", "")[:500],
                data.get("anchor", "")[:200],
                digest,
            )
            chunk.save()
            counts["changed"] += 1
        else:
            counts["unchanged"] += 1
    for chunk in existing.values():
        Tombstone.objects.get_or_create(key=chunk.key)
        chunk.delete()
        counts["removed"] += 1
    return counts


def delete_source(key: str) -> int:
    with transaction.atomic():
        source = Source.objects.filter(key=key).first()
        if source is None:
            return 0
        keys = list(source.chunks.values_list("key", flat=True))
        Tombstone.objects.bulk_create([Tombstone(key=k) for k in keys], ignore_conflicts=True)
        source.delete()
    return len(keys)


# --- the index ----------------------------------------------------------------------------------

_index: SearchIndex | None = None
_embedder = None


def index() -> SearchIndex:
    global _index
    if _index is None:
        _index = _open_index(settings.KNOWLEDGE_INDEX)
    return _index


def _open_index(kind: str) -> SearchIndex:
    if kind == "local":
        from .index.local import LocalIndex

        return LocalIndex(Path(settings.SEARCH_DIR) / "knowledge")
    if kind == "postgres":
        from .index.postgres import PostgresIndex

        return PostgresIndex(postgres_index_url())
    raise ImproperlyConfigured(f"unknown MOTCUA_KNOWLEDGE_INDEX {kind!r}: use 'local' or 'postgres'")


def postgres_index_url() -> str:
    """Where the 'postgres' knowledge index lives: MOTCUA_KNOWLEDGE_INDEX_URL, else DATABASE_URL."""
    from motcua import conf

    url = settings.KNOWLEDGE_INDEX_URL or conf.value("DATABASE_URL")
    if not url.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured(
            "the PostgreSQL knowledge index needs a PostgreSQL URL with pgvector in "
            "MOTCUA_KNOWLEDGE_INDEX_URL or DATABASE_URL"
        )
    return url


def reset() -> None:
    """Forget the open index and embedder (tests switch SEARCH_DIR)."""
    global _index, _embedder
    _index = _embedder = None


class _DbCache:
    """The embedder's vector cache, in the database (survives re-index and restarts). `CachedEmbedder`
    needs only these: a batch is looked up in one query."""

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        return {
            k: bytes(v) for k, v in EmbeddingCache.objects.filter(key__in=keys).values_list("key", "vector")
        }

    def __getitem__(self, key):
        if (found := self.get_many([key]).get(key)) is None:
            raise KeyError(key)
        return found

    def __setitem__(self, key, value):
        EmbeddingCache.objects.update_or_create(key=key, defaults={"vector": value})


def embedder():
    """The configured embedder, cached by content hash; None when dense search is off."""
    global _embedder
    if _embedder is None:
        from .embeddings import CachedEmbedder, embedder_from_settings

        inner = embedder_from_settings()
        _embedder = CachedEmbedder(inner, _DbCache()) if inner is not None else False
    return _embedder or None


def token_counter():
    """Counts tokens as the configured embedder does (a conservative estimate when there is none)."""
    from .embeddings import estimate_tokens

    model = embedder()
    return getattr(model, "count_tokens", None) or estimate_tokens


def _entry(chunk: Chunk, vector) -> Entry:
    source = chunk.source
    return Entry(
        id=chunk.key,
        terms=analysis.analyse(" ".join(chunk.title_path) + "\n" + chunk.text, source.language),
        vector=vector,
        source_kind=source.kind,
        source_id=source.key,
        language=source.language,
        agency=source.agency.code if source.agency_id else "",
        access_level=source.access_level,
        valid_from=source.valid_from,
        valid_to=source.valid_to,
    )


def index_pending(batch: int = INDEX_BATCH, *, progress=None) -> dict[str, int]:
    """Bring the index in line with the database, in batches. Idempotent; safe to run again."""
    done = {"indexed": 0, "removed": 0}
    tombstones = list(Tombstone.objects.values_list("key", flat=True))
    if tombstones:
        index().delete(tombstones)
        Tombstone.objects.filter(key__in=tombstones).delete()
        done["removed"] = len(tombstones)
    total = Chunk.objects.pending().count()
    model = embedder()
    while True:
        chunks = list(Chunk.objects.pending().select_related("source", "source__agency")[:batch])
        if not chunks:
            break
        vectors = (
            model.embed_passages([_fit(_passage(c), model) for c in chunks])
            if model
            else [None] * len(chunks)
        )
        index().add([_entry(c, v) for c, v in zip(chunks, vectors, strict=True)])
        for chunk in chunks:
            Chunk.objects.filter(pk=chunk.pk, content_hash=chunk.content_hash).update(
                indexed_hash=chunk.content_hash
            )
        done["indexed"] += len(chunks)
        if progress:
            progress(done["indexed"], total)
    return done


def _passage(chunk: Chunk) -> str:
    return "\n".join([*chunk.title_path[-1:], chunk.text])


def _fit(passage: str, model) -> str:
    """The passage, cut between words if a very long heading pushed it over the model's limit (the
    chunkers keep texts under it; the embedder refuses longer input rather than average it away)."""
    count, limit = model.count_tokens, getattr(model, "max_tokens", 512)
    if count(passage) <= limit:
        return passage
    words = passage.split()
    while words and count(" ".join(words)) > limit:
        words = words[: int(len(words) * 0.9)]
    return " ".join(words)


def rebuild() -> dict[str, int]:
    index().clear()
    Chunk.objects.update(indexed_hash="")
    return index_pending()


# --- retrieval ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    chunk: Chunk
    score: float
    citation: str


def access_level_for(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return 2 if user.role == "system_admin" else (1 if user.is_official else 0)


def reranker() -> fusion.Reranker:
    """settings.RERANKER (a dotted class path) or the default, which keeps the fused order."""
    path = settings.RERANKER
    return import_string(path)() if path else fusion.NoReranker()


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
