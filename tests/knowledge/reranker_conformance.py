"""The conformance suite every Reranker backend passes (knowledge.fusion.Reranker).

Subclass `RerankerConformance` and provide a `reranker` fixture. A reranker that orders by relevance
(a cross-encoder) keeps `orders_by_relevance = True` and must put the passage that answers the query
first; the default no-op sets it False and must keep the fused order instead. Backends with a test
module: 'none' (tests/knowledge/test_reranker_none.py).
"""

from __future__ import annotations

from motcua.knowledge.fusion import Reranker

QUERY = "đăng ký khai sinh cần giấy tờ gì"
TEXTS = {
    "weather": "Thời tiết hôm nay nắng nóng, nhiệt độ cao nhất 36 độ.",
    "birth": "Hồ sơ đăng ký khai sinh gồm tờ khai và giấy chứng sinh.",
    "fees": "Lệ phí đăng ký kết hôn được miễn.",
}
FUSED = [("weather", 0.9), ("fees", 0.8), ("birth", 0.7)]


class RerankerConformance:
    orders_by_relevance = True

    def test_implements_the_protocol(self, reranker):
        assert isinstance(reranker, Reranker)

    def test_keeps_every_candidate_once_best_first(self, reranker):
        ranked = reranker.rerank(QUERY, list(FUSED), TEXTS)
        assert sorted(key for key, _ in ranked) == sorted(key for key, _ in FUSED)
        scores = [score for _, score in ranked]
        assert scores == sorted(scores, reverse=True)

    def test_no_candidates_give_nothing(self, reranker):
        assert reranker.rerank(QUERY, [], {}) == []

    def test_does_not_change_its_input(self, reranker):
        hits = list(FUSED)
        reranker.rerank(QUERY, hits, TEXTS)
        assert hits == FUSED

    def test_orders_by_relevance_or_keeps_the_fused_order(self, reranker):
        ranked = [key for key, _ in reranker.rerank(QUERY, list(FUSED), TEXTS)]
        if self.orders_by_relevance:
            assert ranked[0] == "birth"
        else:
            assert ranked == [key for key, _ in FUSED]
