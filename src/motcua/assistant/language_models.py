"""The assistant's language model behind one small interface, so that any chat model can rewrite its
extractive answers (see `llm.py` for the prompt and the check of what comes back). The model in use is
chosen by MOTCUA_LLM (`assistant.backends.llms`); every backend passes tests/assistant/llm_conformance.py.

- `OpenAICompatibleLLM`: POST {url}/chat/completions on any OpenAI-compatible server (llama.cpp,
  vLLM, Ollama, a hosted API), through httpx, with a timeout and a cap on the size of the answer.
"""

from __future__ import annotations

import json
from typing import Protocol, runtime_checkable

MAX_RESPONSE_BYTES = 1024 * 1024  # an answer of a few paragraphs is ~4 kB; more is a broken server


class LLMError(Exception):
    """The model did not answer usably: unreachable, timed out, an HTTP error, malformed or too large."""


@runtime_checkable
class LLM(Protocol):
    name: str

    def chat(self, messages: list[dict]) -> str:
        """One completion for the chat `messages` ({"role", "content"} dicts); LLMError on any failure."""


class OpenAICompatibleLLM:
    def __init__(
        self,
        url: str,
        model: str,
        *,
        key: str = "",
        timeout: float = 20,
        max_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self.url = url.rstrip("/") + "/chat/completions"
        self.model, self.key, self.timeout, self.max_bytes = model, key, timeout, max_bytes
        self.name = f"openai:{model}"

    def chat(self, messages: list[dict]) -> str:
        import httpx

        headers = {"Content-Type": "application/json"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        body = {"model": self.model, "messages": messages, "temperature": 0}
        try:
            with httpx.Client(timeout=self.timeout, follow_redirects=False, trust_env=False) as client:
                with client.stream("POST", self.url, json=body, headers=headers) as response:
                    response.raise_for_status()
                    data = self._read(response)
        except httpx.HTTPStatusError as exc:
            raise LLMError(f"endpoint failed: HTTP {exc.response.status_code}") from exc
        except httpx.HTTPError as exc:
            raise LLMError(f"endpoint failed: {type(exc).__name__} {exc}") from exc
        try:
            content = json.loads(data.decode("utf-8"))["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMError(f"malformed response: {exc}") from exc
        if not isinstance(content, str):
            raise LLMError("malformed response: content is not text")
        return content

    def _read(self, response) -> bytes:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise LLMError(f"response too large: {declared} bytes (limit {self.max_bytes})")
        data = bytearray()
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) > self.max_bytes:
                raise LLMError(f"response too large: over {self.max_bytes} bytes")
        return bytes(data)
