"""The OpenAI-compatible backend passes the LLM conformance suite against a local server that speaks
the protocol over real HTTP with recorded responses (fake_llm.py); and the LLM is chosen by settings."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from motcua.assistant import backends
from motcua.assistant.language_models import LLMError, OpenAICompatibleLLM

from . import fake_llm
from .llm_conformance import MESSAGES, LLMConformance


@pytest.fixture(scope="module")
def server():
    server = fake_llm.start()
    yield server
    server.shutdown()


def backend(server, model, **options):
    options.setdefault("timeout", 1)
    return OpenAICompatibleLLM(f"http://127.0.0.1:{server.server_port}/v1", model, **options)


class TestOpenAICompatible(LLMConformance):
    @pytest.fixture
    def llm(self, server):
        return backend(server, "good", key="test-key")

    @pytest.fixture
    def broken_llm(self, server):
        def make(kind):
            if kind == "down":
                return OpenAICompatibleLLM("http://127.0.0.1:9/v1", "good", timeout=1)
            return backend(server, kind)

        return make

    def test_sends_the_model_the_messages_and_the_key(self, llm, server):
        server.requests.clear()
        llm.chat(MESSAGES)
        [request] = server.requests
        assert request["path"] == "/v1/chat/completions"
        assert request["headers"]["Authorization"] == "Bearer test-key"
        assert request["body"] == {"model": "good", "messages": MESSAGES, "temperature": 0}

    def test_an_answer_over_the_size_limit_is_refused(self, server):
        assert backend(server, "good", max_bytes=100_000).chat(MESSAGES)
        with pytest.raises(LLMError, match="too large"):
            backend(server, "good", max_bytes=100).chat(MESSAGES)


def test_the_llm_is_chosen_by_settings(settings, server):
    settings.ASSISTANT_LLM, settings.ASSISTANT_LLM_URL = "auto", ""
    assert backends.llm() is None
    settings.ASSISTANT_LLM_URL, settings.ASSISTANT_LLM_MODEL = (
        f"http://127.0.0.1:{server.server_port}/v1",
        "good",
    )
    settings.ASSISTANT_LLM_TIMEOUT = 3
    model = backends.llm()
    assert isinstance(model, OpenAICompatibleLLM) and model.timeout == 3 and model is backends.llm()
    settings.ASSISTANT_LLM = "none"
    assert backends.llm() is None


@pytest.mark.parametrize(
    ("choice", "url", "message"),
    [
        ("gpt", "", "MOTCUA_LLM='gpt' is not a language model: choose one of 'openai', 'none', 'auto'"),
        ("openai", "", "MOTCUA_LLM='openai' needs the endpoint's base URL in MOTCUA_LLM_URL"),
    ],
)
def test_a_wrong_llm_fails_at_start_up(settings, choice, url, message):
    settings.ASSISTANT_LLM, settings.ASSISTANT_LLM_URL = choice, url
    with pytest.raises(ImproperlyConfigured) as error:
        apps.get_app_config("assistant").ready()
    assert str(error.value) == message
