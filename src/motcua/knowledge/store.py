"""Storing sources as chunks in the database, and bringing the search index in line with it."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import transaction

from . import analysis
from .backends import embedder, index
from .index.base import Entry
from .models import Chunk, Source, Tombstone

INDEX_BATCH = 128


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    chunkers keep texts under it; the embedder refuses longer input rather than average it away), or
    to its first settings.EMBEDDER_PASSAGE_TOKENS tokens where that is set (a large corpus embedded in
    minutes instead of hours; BM25 still reads the whole chunk)."""
    count, limit = model.count_tokens, getattr(model, "max_tokens", 512)
    limit = min(limit, getattr(settings, "EMBEDDER_PASSAGE_TOKENS", 0) or limit)
    if count(passage) <= limit:
        return passage
    words = passage.split()[: limit + 1]  # a word is at least one token
    while words and count(" ".join(words)) > limit:
        words = words[: int(len(words) * 0.9)]
    return " ".join(words)


def rebuild() -> dict[str, int]:
    index().clear()
    Chunk.objects.update(indexed_hash="")
    return index_pending()
