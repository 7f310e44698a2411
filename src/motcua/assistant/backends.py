"""The assistant's backends, chosen by a setting through a `Registry` (DESIGN principle 4):

- `llms` (MOTCUA_LLM): the language model that rewrites extractive answers: 'auto' (default: 'openai'
  when MOTCUA_LLM_URL is set, else 'none'), 'openai' (the OpenAI-compatible endpoint at MOTCUA_LLM_URL,
  model MOTCUA_LLM_MODEL, key MOTCUA_LLM_KEY, MOTCUA_LLM_TIMEOUT seconds) or 'none' (extractive answers
  only: the registry gives None). Conformance: tests/assistant/llm_conformance.py.

AssistantConfig.ready() calls `validate()`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from motcua.core.registry import Registry

from .language_models import LLM

llms: Registry[LLM | None] = Registry(
    "language model",
    "ASSISTANT_LLM",
    env="MOTCUA_LLM",
    depends=("ASSISTANT_LLM_URL", "ASSISTANT_LLM_MODEL", "ASSISTANT_LLM_KEY", "ASSISTANT_LLM_TIMEOUT"),
)


@llms.register("openai")
def _openai() -> LLM:
    from .language_models import OpenAICompatibleLLM

    return OpenAICompatibleLLM(
        settings.ASSISTANT_LLM_URL,
        settings.ASSISTANT_LLM_MODEL,
        key=settings.ASSISTANT_LLM_KEY,
        timeout=settings.ASSISTANT_LLM_TIMEOUT,
    )


@llms.register("none", aliases=("off",))
def _none() -> None:
    return None


@llms.register("auto", aliases=("",))
def _auto() -> LLM | None:
    return _openai() if settings.ASSISTANT_LLM_URL else None


def llm() -> LLM | None:
    """The configured language model; None when answers stay extractive."""
    return llms.get()


def validate() -> None:
    llms.validate()
    if llms.resolve(llms.chosen()) == "openai" and not settings.ASSISTANT_LLM_URL:
        raise ImproperlyConfigured("MOTCUA_LLM='openai' needs the endpoint's base URL in MOTCUA_LLM_URL")
