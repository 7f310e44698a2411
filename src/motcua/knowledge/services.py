"""Knowledge operations: store sources as chunks, index what changed, retrieve with citations.

The work lives in `store` (chunks and indexing), `backends` (the index, embedder and reranker chosen
by settings) and `retrieval`; this module gathers the names other apps use.
"""

from .backends import embedder, index, postgres_index_url, reranker, token_counter
from .retrieval import CANDIDATES, Result, access_level_for, kinds, retrieve
from .store import INDEX_BATCH, delete_source, index_pending, rebuild, store_source

__all__ = [
    "CANDIDATES",
    "INDEX_BATCH",
    "Result",
    "access_level_for",
    "delete_source",
    "embedder",
    "index",
    "index_pending",
    "kinds",
    "postgres_index_url",
    "rebuild",
    "reranker",
    "retrieve",
    "store_source",
    "token_counter",
]
