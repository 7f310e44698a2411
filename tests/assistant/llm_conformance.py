"""The conformance suite every LLM backend passes (assistant.language_models.LLM).

Subclass `LLMConformance` and provide the fixtures `llm` (a backend whose model answers "good": a
Vietnamese answer with [n] markers) and `broken_llm(kind)` (a factory of the same backend facing an
endpoint that fails in the way `kind` says: "down", "slow", "server_error", "malformed", "no_choices").
Backends with a test module: 'openai' against the recorded OpenAI-compatible server
(tests/assistant/test_llm_openai.py). A hosted or local model can be checked the same way by a module
whose `llm` fixture points at it (its answer must then only be non-empty text with a marker).
"""

from __future__ import annotations

import pytest

from motcua.assistant.language_models import LLM, LLMError

MESSAGES = [
    {"role": "system", "content": "Use ONLY the numbered evidence. End every sentence with [n]."},
    {
        "role": "user",
        "content": "<question>\nlàm giấy khai sinh cần gì\n</question>\n\n<evidence>\n[1] Đăng ký khai "
        "sinh — Thành phần hồ sơ (1.001193)\nTờ khai đăng ký khai sinh; Giấy chứng sinh\n</evidence>",
    },
]


class LLMConformance:
    def test_implements_the_protocol(self, llm):
        assert isinstance(llm, LLM) and llm.name

    def test_answers_with_text_that_cites_the_evidence(self, llm):
        content = llm.chat(MESSAGES)
        assert isinstance(content, str) and content.strip()
        assert "[1]" in content

    def test_keeps_vietnamese_text_intact(self, llm):
        content = llm.chat(MESSAGES)
        assert content == content.encode("utf-8").decode("utf-8")
        assert any(ch in content for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")

    @pytest.mark.parametrize("kind", ["down", "slow", "server_error", "malformed", "no_choices"])
    def test_every_failure_is_an_llm_error(self, broken_llm, kind):
        with pytest.raises(LLMError):
            broken_llm(kind).chat(MESSAGES)
