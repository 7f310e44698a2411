"""The conformance suite every SearchIndex backend passes.

Subclass `IndexConformance`, provide an `index` fixture (an empty index) and, for backends with files,
override `reopen(index)` to open a second instance on the same storage. `exact_dense = False` relaxes the
comparison with the oracle to recall@10 >= 0.95 for approximate (HNSW-like) backends.
"""

from __future__ import annotations

import datetime
import math
import random

from motcua.knowledge.index.base import Entry, Filters, Hit, SearchIndex
from motcua.knowledge.index.memory import MemoryIndex

D = datetime.date


def entry(entry_id: str, terms: str = "", vector: list[float] | None = None, **meta) -> Entry:
    return Entry(id=entry_id, terms=terms.split(), vector=vector, **meta)


def ids(hits: list[Hit]) -> list[str]:
    return [hit.id for hit in hits]


def unit(values: list[float]) -> list[float]:
    norm = math.sqrt(sum(v * v for v in values))
    return [v / norm for v in values]


def both(index, *, terms="shared", vector=(1.0, 0.0, 0.0), access_level=9, k=10, filters=None):
    """Ids found lexically and densely, each sorted: most filter tests expect the same from both."""
    lexical = index.search_lexical(terms.split(), access_level=access_level, k=k, filters=filters)
    dense = index.search_dense(list(vector), access_level=access_level, k=k, filters=filters)
    return sorted(ids(lexical)), sorted(ids(dense))


def assert_same_ranking(got: list[Hit], want: list[Hit], tolerance: float = 1e-4) -> None:
    """Same scores rank by rank; ids may differ only among ties at the cut-off."""
    assert len(got) == len(want)
    close = lambda a, b: abs(a - b) <= tolerance * max(1.0, abs(b))  # noqa: E731
    for g, w in zip(got, want, strict=True):
        assert close(g.score, w.score), (got, want)
    cutoff = want[-1].score if want else 0.0
    scores = {hit.id: hit.score for hit in got + want}
    for differing in set(ids(got)) ^ set(ids(want)):
        assert close(scores[differing], cutoff), (differing, got, want)


class IndexConformance:
    exact_dense = True

    def reopen(self, index) -> SearchIndex | None:
        return None

    def test_implements_the_protocol(self, index):
        assert isinstance(index, SearchIndex)

    def test_add_and_count(self, index):
        assert index.count() == 0
        index.add([entry("a", "x y"), entry("b", "y z", [0.0, 1.0])])
        index.add([])
        assert index.count() == 2

    def test_add_is_an_upsert(self, index):
        index.add([entry("a", "alpha", [1.0, 0.0])])
        index.update([entry("a", "beta", [0.0, 1.0])])
        assert index.count() == 1
        assert ids(index.search_lexical(["alpha"], access_level=0)) == []
        assert ids(index.search_lexical(["beta"], access_level=0)) == ["a"]
        assert index.search_dense([0.0, 1.0], access_level=0)[0].score > 0.99
        index.add([entry("a", "beta")])  # now lexical only
        assert ids(index.search_dense([0.0, 1.0], access_level=0)) == []

    def test_last_duplicate_in_a_batch_wins(self, index):
        index.add([entry("a", "alpha"), entry("a", "beta")])
        assert index.count() == 1
        assert ids(index.search_lexical(["beta"], access_level=0)) == ["a"]

    def test_delete_ignores_unknown_ids(self, index):
        index.add([entry(i, "common", [1.0, float(n)]) for n, i in enumerate("abc")])
        index.delete(["b", "nope"])
        index.delete([])
        assert index.count() == 2
        assert sorted(ids(index.search_lexical(["common"], access_level=0))) == ["a", "c"]
        assert sorted(ids(index.search_dense([1.0, 0.0], access_level=0))) == ["a", "c"]

    def test_rare_term_ranks_first(self, index):
        index.add([entry(f"d{n}", "thu_tuc hanh_chinh") for n in range(20)])
        index.add([entry("rare", "thu_tuc khai_sinh")])
        hits = index.search_lexical(["thu_tuc", "khai_sinh"], access_level=0, k=5)
        assert hits[0].id == "rare" and len(hits) == 5
        assert hits[0].score > hits[1].score > 0

    def test_bm25_prefers_the_shorter_document(self, index):
        index.add([entry("long", "dat dai nha o so do cap giay"), entry("short", "dat dai")])
        assert ids(index.search_lexical(["dat"], access_level=0)) == ["short", "long"]

    def test_nearest_vector_first(self, index):
        index.add(
            [
                entry("far", vector=[0.0, 1.0, 0.0]),
                entry("near", vector=unit([0.9, 0.1, 0.0])),
                entry("same", vector=[2.0, 0.0, 0.0]),  # not normalised: cosine anyway
                entry("opposite", vector=[-1.0, 0.0, 0.0]),
            ]
        )
        hits = index.search_dense([1.0, 0.0, 0.0], access_level=0)
        assert ids(hits) == ["same", "near", "far", "opposite"]
        assert math.isclose(hits[0].score, 1.0, abs_tol=1e-5)
        assert math.isclose(hits[2].score, 0.0, abs_tol=1e-5)

    def test_access_level_is_never_exceeded(self, index):
        index.add([entry(f"l{level}", "shared", [1.0, 0.0, 0.0], access_level=level) for level in range(3)])
        for level, allowed in ((0, ["l0"]), (1, ["l0", "l1"]), (2, ["l0", "l1", "l2"])):
            assert both(index, access_level=level) == (allowed, allowed)
        assert both(index, access_level=-1) == ([], [])

    def test_filter_source_kinds(self, index):
        index.add(
            [entry(k, "shared", [1.0, 0.0, 0.0], source_kind=k) for k in ("legal", "procedure", "document")]
        )
        expected = ["document", "legal"]
        assert both(index, filters=Filters(source_kinds=("legal", "document", "unknown"))) == (
            expected,
            expected,
        )
        assert both(index, filters=Filters(source_kinds=("unknown",))) == ([], [])

    def test_filter_agencies_everyones_passes(self, index):
        index.add([entry(a or "all", "shared", [1.0, 0.0, 0.0], agency=a) for a in ("", "STP", "SYT")])
        assert both(index, filters=Filters(agencies=("STP",))) == (["STP", "all"], ["STP", "all"])
        assert both(index, filters=Filters(agencies=("X",))) == (["all"], ["all"])
        assert both(index, filters=Filters()) == (["STP", "SYT", "all"],) * 2

    def test_filter_languages(self, index):
        index.add([entry(lang, "shared", [1.0, 0.0, 0.0], language=lang) for lang in ("vi", "en", "ar")])
        assert both(index, filters=Filters(languages=("en", "ar"))) == (["ar", "en"], ["ar", "en"])

    def test_filter_in_force_on(self, index):
        index.add(
            [
                entry("open", "shared", [1.0, 0.0, 0.0]),
                entry("from", "shared", [1.0, 0.0, 0.0], valid_from=D(2021, 1, 1)),
                entry("until", "shared", [1.0, 0.0, 0.0], valid_to=D(2020, 12, 31)),
                entry("closed", "shared", [1.0, 0.0, 0.0], valid_from=D(2020, 7, 1), valid_to=D(2021, 6, 30)),
            ]
        )
        for day, expected in (
            (D(2019, 1, 1), ["open", "until"]),
            (D(2020, 7, 1), ["closed", "open", "until"]),  # boundaries are inclusive
            (D(2020, 12, 31), ["closed", "open", "until"]),
            (D(2021, 1, 1), ["closed", "from", "open"]),
            (D(2021, 6, 30), ["closed", "from", "open"]),
            (D(2021, 7, 1), ["from", "open"]),
        ):
            assert both(index, filters=Filters(in_force_on=day)) == (expected, expected), day

    def test_filters_combine(self, index):
        index.add(
            [
                entry("a", "shared", [1.0, 0.0, 0.0], source_kind="legal", agency="STP", access_level=1),
                entry("b", "shared", [1.0, 0.0, 0.0], source_kind="legal", agency="SYT"),
                entry("c", "shared", [1.0, 0.0, 0.0], source_kind="procedure", agency="STP"),
            ]
        )
        filters = Filters(source_kinds=("legal",), agencies=("STP",))
        assert both(index, access_level=1, filters=filters) == (["a"], ["a"])
        assert both(index, access_level=0, filters=filters) == ([], [])

    def test_k_is_honoured_under_heavy_filtering(self, index):
        rng = random.Random(7)
        entries = []
        for n in range(500):
            allowed = n % 100 == 0
            vector = unit([1.0, 0.2 + rng.random(), 0.0]) if allowed else unit([1.0, rng.random() * 0.1, 0.0])
            terms = "shared" if allowed else "shared shared shared"
            entries.append(
                entry(
                    f"e{n}", terms, vector, agency="A" if allowed else "B", access_level=0 if allowed else 2
                )
            )
        index.add(entries)
        expected = [f"e{n}" for n in range(0, 500, 100)]
        for filters, level in ((Filters(agencies=("A",)), 2), (None, 1)):
            lexical, dense = both(index, access_level=level, k=10, filters=filters)
            assert lexical == expected and dense == expected
        assert len(index.search_dense([1.0, 0.0, 0.0], access_level=2, k=10)) == 10
        assert len(index.search_lexical(["shared"], access_level=0, k=3)) == 3

    def test_empty_queries_and_empty_index(self, index):
        assert index.search_lexical(["x"], access_level=5) == []
        assert index.search_dense([1.0, 0.0], access_level=5) == []
        index.add([entry("a", "x", [1.0, 0.0])])
        assert index.search_lexical([], access_level=5) == []
        assert index.search_lexical(["", " "], access_level=5) == []
        assert index.search_lexical(["x"], access_level=5, k=0) == []
        assert index.search_dense([0.0, 0.0], access_level=5) == []
        assert ids(index.search_lexical(["x", "x"], access_level=5)) == ["a"]

    def test_clear(self, index):
        index.add([entry("a", "x", [1.0, 0.0]), entry("b", "x")])
        index.clear()
        assert index.count() == 0
        assert both(index, terms="x", vector=(1.0, 0.0)) == ([], [])
        index.add([entry("c", "x", [0.0, 0.0, 1.0])])  # a new dimension after clear
        assert both(index, terms="x", vector=(0.0, 0.0, 1.0)) == (["c"], ["c"])

    def test_persistence(self, index):
        index.add([entry("a", "x y", [1.0, 0.0], agency="STP"), entry("b", "y", [0.0, 1.0], access_level=2)])
        index.delete(["b"])
        reopened = self.reopen(index)
        if reopened is None:
            return
        assert reopened.count() == 1
        assert ids(reopened.search_lexical(["y"], access_level=2)) == ["a"]
        assert ids(reopened.search_dense([0.0, 1.0], access_level=2, filters=Filters(agencies=("STP",)))) == [
            "a"
        ]
        reopened.add([entry("c", "y", [0.0, 1.0])])
        assert ids(reopened.search_dense([0.0, 1.0], access_level=0)) == ["c", "a"]

    def test_agrees_with_the_oracle(self, index):
        rng = random.Random(42)
        vocabulary = [f"t{n}" for n in range(400)]
        weights = [1 / (n + 1) for n in range(400)]  # Zipf-like term frequencies
        entries = []
        for n in range(2000):
            terms = rng.choices(vocabulary, weights, k=rng.randint(3, 40))
            entries.append(
                Entry(
                    id=f"c{n}",
                    terms=terms,
                    vector=unit([rng.gauss(0, 1) for _ in range(32)]),
                    source_kind=rng.choice(["legal", "procedure"]),
                    agency=rng.choice(["", "STP", "SYT"]),
                    access_level=rng.choice([0, 0, 1, 2]),
                    valid_from=rng.choice([None, D(2020, 1, 1)]),
                    valid_to=rng.choice([None, D(2022, 1, 1)]),
                )
            )
        oracle = MemoryIndex()
        for part in (entries[:700], entries[700:]):
            index.add(part)
            oracle.add(part)
        filters = [
            None,
            Filters(agencies=("STP",)),
            Filters(source_kinds=("legal",), in_force_on=D(2021, 5, 5)),
        ]
        recall = []
        for q in range(30):
            level, flt = q % 3, filters[q % len(filters)]
            terms = rng.choices(vocabulary, weights, k=rng.randint(1, 4)) + [rng.choice(vocabulary)]
            want = oracle.search_lexical(terms, access_level=level, filters=flt)
            assert_same_ranking(index.search_lexical(terms, access_level=level, filters=flt), want)
            vector = unit([rng.gauss(0, 1) for _ in range(32)])
            got = index.search_dense(vector, access_level=level, filters=flt)
            want = oracle.search_dense(vector, access_level=level, filters=flt)
            if self.exact_dense:
                assert_same_ranking(got, want, tolerance=1e-5)
            recall.append(len(set(ids(got)) & set(ids(want))) / len(want))
        assert sum(recall) / len(recall) >= 0.95
