"""The default reranker ('none') passes the Reranker conformance suite."""

import pytest

from motcua.knowledge.fusion import NoReranker

from .reranker_conformance import RerankerConformance


class TestNoReranker(RerankerConformance):
    orders_by_relevance = False

    @pytest.fixture
    def reranker(self):
        return NoReranker()
