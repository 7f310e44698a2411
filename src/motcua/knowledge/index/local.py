"""The embedded search index: BM25 in tantivy plus exact cosine search over numpy arrays, in one folder.

    lexical/     tantivy: id, key, terms (pre-analysed, joined by spaces, whitespace tokenizer) and the
                 metadata as indexed fast fields (dates as yyyymmdd integers, open ends 0 and 99991231)
    dense/       immutable segments `sN.npy` (unit f32 vectors, memory-mapped, shared by processes) and
                 `sN.npz` (keys, ids, metadata), listed by `manifest.json`
    write.lock   one writer at a time, across processes (flock)

`local_lexical` holds the tantivy half (schema, documents, filters), `local_dense` the numpy half
(segment files, unit vectors, row masks); `LocalIndex` here keeps the two in step.

Consistency: each version of an entry that has a vector gets a fresh u64 `key`. A write first adds a dense
segment holding the new keys (listed in the manifest), then commits tantivy, which deletes the old versions
and adds the new ones with their keys. A dense row counts only while its key is in tantivy's committed
snapshot, so tantivy's commit is the one commit point of both parts: a crash before it leaves rows that
nothing sees (dropped by the next compaction). Other processes see commits after `reload()`.

Exact search, not HNSW: measured on this 2-core machine (shared), usearch 2.26 took 171 s to build 40,000 ×
384 random vectors and had not built 200,000 after 19 minutes, while exact f32 search over 200,000 needs no
graph (13 s to write) and costs 40-60 ms a query (p50, one thread; 2 ms when 1% of the rows is allowed),
see `python bench/index.py`. It is filtered exactly (rows are masked before scoring, so k hits come back
whenever k are allowed), deletes and replaces cost nothing, and it agrees with the oracle. It is linear in
the corpus: fine to ~300k chunks; beyond, the PostgreSQL + pgvector backend.
"""

from __future__ import annotations

import fcntl
import json
import threading
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import tantivy

from .base import Entry, Filters, Hit
from .local_dense import FULL_SCAN, NUMBERS, Segment, row_mask, segment_meta, unit_vector, write_atomic
from .local_lexical import COLUMNS, SCHEMA, WRITER_HEAP, Occur, Q, allowed_hits, document, filter_queries
from .memory import clean_terms


@dataclass
class State:
    """One consistent snapshot: a tantivy searcher and the dense rows live in it."""

    searcher: tantivy.Searcher
    dim: int
    segments: list[Segment]
    starts: list[int] = field(default_factory=list)
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    vocab: dict[str, dict[str, int]] = field(default_factory=dict)


class LocalIndex:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        (self.path / "lexical").mkdir(parents=True, exist_ok=True)
        (self.path / "dense").mkdir(exist_ok=True)
        self._index = tantivy.Index(SCHEMA, path=str(self.path / "lexical"), reuse=True)
        self._cache: dict[str, Segment] = {}
        self._write_lock, self._reload_lock = threading.RLock(), threading.Lock()
        self._seen: tuple[bytes, ...] = ()
        self.reload()

    # -- reading ---------------------------------------------------------------------------------------

    def _manifest(self) -> dict:
        try:
            return json.loads((self.path / "dense" / "manifest.json").read_text())
        except FileNotFoundError:
            return {"version": 0, "dim": 0, "segments": [], "next_key": 1, "next_segment": 1}

    def _segment(self, name: str) -> Segment:
        if name not in self._cache:
            base = self.path / "dense" / name
            with np.load(base.with_suffix(".npz")) as data:
                meta = {key: data[key] for key in data.files}
            self._cache[name] = Segment(name, np.load(base.with_suffix(".npy"), mmap_mode="r"), meta)
        return self._cache[name]

    def _signature(self) -> tuple[bytes, ...]:
        found = []
        for file in (self.path / "dense" / "manifest.json", self.path / "lexical" / "meta.json"):
            with suppress(FileNotFoundError):
                found.append(file.read_bytes())
        return tuple(found)

    def reload(self) -> None:
        """Take the latest committed state, other processes' writes included. Cheap when nothing changed
        (two small files read), so a process that only searches may call it before every search."""
        with self._reload_lock:
            signature = self._signature()
            if signature != self._seen:
                self._load()
                self._seen = signature

    def _load(self) -> None:
        while True:  # manifest, tantivy, manifest again: unchanged means the pair is consistent
            manifest = self._manifest()
            self._index.reload()
            searcher = self._index.searcher()
            with suppress(FileNotFoundError):  # a writer compacted meanwhile: read again
                segments = [self._segment(name) for name in manifest["segments"]]
                if self._manifest()["version"] == manifest["version"]:
                    break
        self._cache = {s.name: s for s in segments}
        state = State(searcher, manifest["dim"], segments)
        state.starts = [0, *np.cumsum([len(s.vectors) for s in segments]).tolist()]
        for name in NUMBERS:
            state.columns[name] = np.concatenate([s.meta[name] for s in segments] or [np.empty(0)])
        for column in COLUMNS:  # per-segment codes -> codes of one vocabulary
            vocab: dict[str, int] = {}
            parts = [np.empty(0, np.int32)]
            for s in segments:
                remap = [vocab.setdefault(str(v), len(vocab)) for v in s.meta[column + "_vocab"]]
                parts.append(np.array(remap, np.int32)[s.meta[column]] if remap else s.meta[column])
            state.vocab[column], state.columns[column] = vocab, np.concatenate(parts)
        live = Q.range_query(SCHEMA, "key", tantivy.FieldType.Unsigned, 1, None)
        hits = searcher.search(live, max(searcher.num_docs, 1), count=False, order_by_field="key").hits
        state.columns["live"] = np.isin(state.columns["keys"], np.array([key for key, _ in hits], np.uint64))
        self._state = state

    def count(self) -> int:
        return self._state.searcher.num_docs

    def search_lexical(
        self, terms: list[str], *, access_level: int, k: int = 10, filters: Filters | None = None
    ) -> list[Hit]:
        query_terms = sorted(set(clean_terms(terms)))
        if not query_terms or k <= 0 or access_level < 0:
            return []
        searcher = self._state.searcher
        query = Q.boolean_query([(Occur.Should, Q.term_query(SCHEMA, "terms", t)) for t in query_terms])
        hits = None
        if filters is None or filters == Filters(in_force_on=filters.in_force_on):
            # Filters as required clauses turn off tantivy's block-max WAND (3x slower here): first take
            # the unfiltered best and check their fast fields; k allowed among them are the exact top k.
            first = searcher.search(query, max(4 * k, 40), count=False).hits
            hits = allowed_hits(searcher, first, access_level, filters)
            if len(hits) < k and len(first) == max(4 * k, 40):  # allowed ones may lie further down
                hits = None
        if hits is None:
            filtered = [
                (Occur.Must, Q.const_score_query(f, 0.0)) for f in filter_queries(access_level, filters)
            ]
            hits = searcher.search(Q.boolean_query([(Occur.Must, query), *filtered]), k, count=False).hits
        found = [Hit(searcher.doc(address).get_first("id"), score) for score, address in hits[:k]]
        return sorted(found, key=lambda hit: -hit.score)

    def search_dense(
        self, vector: list[float], *, access_level: int, k: int = 10, filters: Filters | None = None
    ) -> list[Hit]:
        state = self._state
        if state.dim and len(vector) != state.dim:
            raise ValueError(f"vector has {len(vector)} dimensions, the index {state.dim}")
        query = unit_vector(vector)
        rows = np.flatnonzero(row_mask(state, access_level, filters)) if state.segments else []
        if query is None or k <= 0 or not len(rows):
            return []
        scores = np.empty(len(rows), np.float32)
        bounds = np.searchsorted(rows, state.starts)
        for i, segment in enumerate(state.segments):
            lo, hi = bounds[i], bounds[i + 1]
            local = rows[lo:hi] - state.starts[i]
            if len(local) > FULL_SCAN * len(segment.vectors):
                scores[lo:hi] = (segment.vectors @ query)[local]
            elif len(local):
                scores[lo:hi] = segment.vectors[local] @ query
        top = np.argpartition(-scores, k - 1)[:k] if len(rows) > k else range(len(rows))
        found = [Hit(str(state.columns["ids"][rows[i]]), float(scores[i])) for i in top]
        return sorted(found, key=lambda hit: (-hit.score, hit.id))

    # -- writing ---------------------------------------------------------------------------------------

    @contextmanager
    def _writing(self):
        """The write lock, with the latest state loaded and the leftovers of a crashed write removed."""
        with self._write_lock, open(self.path / "write.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                self.reload()
                manifest = self._manifest()
                listed = {name + suffix for name in manifest["segments"] for suffix in (".npy", ".npz")}
                for file in (self.path / "dense").iterdir():
                    if file.name != "manifest.json" and file.name not in listed:
                        file.unlink(missing_ok=True)
                self._compact(manifest)
                yield manifest
            except BaseException:
                self.reload()
                raise
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def add(self, entries: list[Entry]) -> None:
        entries = list({entry.id: entry for entry in entries}.values())  # the last of an id wins
        units = [unit_vector(entry.vector) for entry in entries]
        dense = [i for i, unit in enumerate(units) if unit is not None]
        keys = [0] * len(entries)
        if not entries:
            return
        with self._writing() as manifest:
            dims = {len(units[i]) for i in dense} | ({manifest["dim"]} if manifest["segments"] else set())
            if len(dims) > 1:
                raise ValueError(f"vectors of different dimensions: {sorted(dims)}")
            if dense:
                for i in dense:
                    keys[i] = manifest["next_key"]
                    manifest["next_key"] += 1
                manifest["dim"] = dims.pop()
                vectors = np.stack([units[i] for i in dense])
                self._write_segment(
                    manifest, vectors, segment_meta([entries[i] for i in dense], [keys[i] for i in dense])
                )
                self._save_manifest(manifest)  # before tantivy's commit: the new keys are not live yet

            def apply(writer: tantivy.IndexWriter) -> None:
                for entry, key in zip(entries, keys, strict=True):
                    writer.delete_documents_by_term("id", entry.id)
                    writer.add_document(document(entry, key))

            self._write_lexical(apply)
            self._compact(manifest)

    update = add

    def delete(self, ids: list[str]) -> None:
        if ids:
            with self._writing() as manifest:
                self._write_lexical(lambda writer: [writer.delete_documents_by_term("id", i) for i in ids])
                self._compact(manifest)

    def clear(self) -> None:
        with self._writing() as manifest:
            self._write_lexical(lambda writer: writer.delete_all_documents())
            self._compact(manifest)

    def _write_lexical(self, apply) -> None:
        writer = self._index.writer(heap_size=WRITER_HEAP, num_threads=1)
        try:
            apply(writer)
            self._commit(writer)
        finally:
            with suppress(RuntimeError):  # releases tantivy's lock; anything uncommitted is dropped
                writer.wait_merging_threads()
        self.reload()

    def _commit(self, writer: tantivy.IndexWriter) -> None:
        """The commit point of every write (its own method, so that tests can crash before it)."""
        writer.commit()

    def _save_manifest(self, manifest: dict) -> None:
        manifest["version"] += 1
        write_atomic(
            self.path / "dense" / "manifest.json", lambda fh: fh.write(json.dumps(manifest).encode())
        )

    def _write_segment(self, manifest: dict, vectors: np.ndarray, meta: dict[str, np.ndarray]) -> None:
        name = f"s{manifest['next_segment']}"
        manifest["next_segment"] += 1
        write_atomic(self.path / "dense" / f"{name}.npy", lambda fh: np.save(fh, vectors))
        write_atomic(self.path / "dense" / f"{name}.npz", lambda fh: np.savez(fh, **meta))
        manifest["segments"].append(name)

    def _compact(self, manifest: dict) -> None:
        """Merge the newest segments while the one before holds at most twice their live rows (so O(log n)
        segments, each row rewritten a few times on average); all of them when over half the rows are dead.
        """
        state = self._state
        live = state.columns["live"]
        counts = [int(live[a:b].sum()) for a, b in zip(state.starts, state.starts[1:], strict=False)]
        if not counts:
            return
        first, total = len(counts) - 1, counts[-1]
        while first > 0 and counts[first - 1] <= 2 * total:
            first -= 1
            total += counts[first]
        if sum(counts) < 0.5 * len(live):
            first = 0
        elif first == len(counts) - 1:
            return
        del manifest["segments"][first:]
        keep = np.flatnonzero(live[state.starts[first] :]) + state.starts[first]
        if len(keep):
            parts = [
                state.segments[i].vectors[live[state.starts[i] : state.starts[i + 1]]]
                for i in range(first, len(counts))
            ]
            meta = {name: state.columns[name][keep] for name in NUMBERS + COLUMNS}
            meta.update({f"{c}_vocab": np.array(list(state.vocab[c]), dtype=str) for c in COLUMNS})
            self._write_segment(manifest, np.concatenate(parts), meta)
        elif not manifest["segments"]:
            manifest["dim"] = 0
        self._save_manifest(manifest)
        for segment in state.segments[first:]:
            for suffix in (".npy", ".npz"):
                (self.path / "dense" / f"{segment.name}{suffix}").unlink(missing_ok=True)
        self.reload()
