"""A tiny, exact, pure-Python index: the oracle of the conformance suite and the index of unit tests.

BM25 is the textbook one (k1=1.2, b=0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5)), N and the average
length over every entry, query terms counted once); dense search is exact cosine similarity.
Everything is recomputed on each query, so keep it to a few thousand entries.
"""

from __future__ import annotations

import math
from collections import Counter

from .base import Entry, Filters, Hit

K1 = 1.2
B = 0.75


def clean_terms(terms: list[str]) -> list[str]:
    """Terms as every backend indexes them: inner whitespace becomes "_", empty terms are dropped."""
    return [term for term in ("_".join(t.split()) for t in terms) if term]


def allowed(entry: Entry, access_level: int, filters: Filters | None) -> bool:
    """The access and metadata rule that every backend applies exactly."""
    if entry.access_level > access_level:
        return False
    if filters is None:
        return True
    if filters.source_kinds and entry.source_kind not in filters.source_kinds:
        return False
    if filters.agencies and entry.agency and entry.agency not in filters.agencies:
        return False
    if filters.languages and entry.language not in filters.languages:
        return False
    day = filters.in_force_on
    if day is not None:
        if entry.valid_from is not None and entry.valid_from > day:
            return False
        if entry.valid_to is not None and entry.valid_to < day:
            return False
    return True


def best(hits: list[Hit], k: int) -> list[Hit]:
    return sorted(hits, key=lambda hit: (-hit.score, hit.id))[: max(k, 0)]


class MemoryIndex:
    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._terms: dict[str, list[str]] = {}

    def add(self, entries: list[Entry]) -> None:
        for entry in entries:
            self._entries[entry.id] = entry
            self._terms[entry.id] = clean_terms(entry.terms)

    update = add

    def delete(self, ids: list[str]) -> None:
        for entry_id in ids:
            self._entries.pop(entry_id, None)
            self._terms.pop(entry_id, None)

    def count(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()
        self._terms.clear()

    def search_lexical(
        self, terms: list[str], *, access_level: int, k: int = 10, filters: Filters | None = None
    ) -> list[Hit]:
        query = set(clean_terms(terms))
        if not query or not self._entries:
            return []
        n = len(self._terms)
        average = sum(len(doc) for doc in self._terms.values()) / n
        df = Counter(t for doc in self._terms.values() for t in set(doc) & query)
        hits = []
        for entry_id, doc in self._terms.items():
            tf = Counter(t for t in doc if t in query)
            if not tf or not allowed(self._entries[entry_id], access_level, filters):
                continue
            norm = K1 * (1 - B + B * len(doc) / average)
            score = sum(
                math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) * f * (K1 + 1) / (f + norm)
                for t, f in tf.items()
            )
            hits.append(Hit(entry_id, score))
        return best(hits, k)

    def search_dense(
        self, vector: list[float], *, access_level: int, k: int = 10, filters: Filters | None = None
    ) -> list[Hit]:
        query_norm = math.sqrt(sum(x * x for x in vector))
        hits = []
        for entry in self._entries.values():
            if entry.vector is None:
                continue
            if len(entry.vector) != len(vector):
                raise ValueError(f"vector has {len(vector)} dimensions, the index {len(entry.vector)}")
            norm = math.sqrt(sum(x * x for x in entry.vector))
            if norm == 0 or query_norm == 0 or not allowed(entry, access_level, filters):
                continue
            dot = sum(a * b for a, b in zip(entry.vector, vector, strict=True))
            hits.append(Hit(entry.id, dot / (norm * query_norm)))
        return best(hits, k)
