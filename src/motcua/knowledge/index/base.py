"""The search index behind one small interface, so the embedded default (files beside SQLite) and the
PostgreSQL backend are interchangeable and pass the same conformance suite.

Text analysis is NOT the index's job: callers hand in already-analysed `terms` (see
`motcua.core.text` / `motcua.knowledge.analysis`) and, optionally, an embedding vector. The index stores
them with the chunk's metadata and answers lexical (BM25) and dense (cosine) queries, filtered.
The database stays the source of truth; an index can always be rebuilt from it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Entry:
    id: str  # stable chunk id, e.g. "legal:68/2020/QH14:12:1"
    terms: list[str]  # analysed lexical terms (order kept: phrase-aware backends may use it)
    vector: list[float] | None = None  # normalised embedding, or None (lexical only)
    source_kind: str = ""  # "procedure", "legal", "document", "transcript"
    source_id: str = ""
    language: str = "vi"
    agency: str = ""  # agency code, "" = everyone's
    access_level: int = 0  # 0 public, 1 officials, 2 restricted...
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


@dataclass(frozen=True)
class Filters:
    """Metadata filters. `access_level` is not here: it is a required argument of every search."""

    source_kinds: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()  # entries with agency "" always pass
    languages: tuple[str, ...] = ()
    in_force_on: datetime.date | None = None  # valid_from <= day <= valid_to (open ends pass)


@dataclass(frozen=True)
class Hit:
    id: str
    score: float


@runtime_checkable
class SearchIndex(Protocol):
    def add(self, entries: list[Entry]) -> None:
        """Insert entries; an id that exists is replaced (add is an upsert)."""

    def update(self, entries: list[Entry]) -> None:
        """Same as add, for readability at call sites."""

    def delete(self, ids: list[str]) -> None:
        """Remove entries; unknown ids are ignored."""

    def count(self) -> int: ...

    def search_lexical(
        self, terms: list[str], *, access_level: int, k: int = 10, filters: Filters | None = None
    ) -> list[Hit]:
        """BM25 over terms; only entries with entry.access_level <= access_level; best first."""

    def search_dense(
        self, vector: list[float], *, access_level: int, k: int = 10, filters: Filters | None = None
    ) -> list[Hit]:
        """Cosine similarity over vectors; same access rule; best first."""

    def clear(self) -> None: ...
