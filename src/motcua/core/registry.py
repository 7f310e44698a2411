"""Backends chosen by settings: one `Registry` per kind (search index, embedder, signer, LLM, OCR, ...).

A registry maps the names an operator may write in a setting to factories. Each app declares its
registries in a `backends.py` module and validates them in its AppConfig.ready(), so a wrong setting
stops start-up with an error that names the setting and its choices. `get()` builds the configured
backend once and keeps it until `reset()` (tests that switch settings call `reset_all()`).

Factories import their heavy modules lazily: declaring a registry costs nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_ALL: list[Registry] = []


class Registry(Generic[T]):
    """`kind`: what the backends are, for messages ("knowledge index"). `setting`: the Django setting
    holding the chosen name; `env`: the environment variable an operator sets (for messages).
    `other`: a factory for values that are not registered names (a model directory, a dotted path),
    described by `other_help`; without it an unknown name is an error."""

    def __init__(
        self,
        kind: str,
        setting: str,
        *,
        env: str = "",
        other: Callable[[str], T] | None = None,
        other_help: str = "",
    ):
        self.kind, self.setting, self.env = kind, setting, env or f"MOTCUA_{setting}"
        self.other, self.other_help = other, other_help
        self._factories: dict[str, Callable[[], T]] = {}
        self._built: dict[str, T] = {}
        self._lock = threading.Lock()
        _ALL.append(self)

    def register(self, name: str) -> Callable[[Callable[[], T]], Callable[[], T]]:
        """Decorator: `@indexes.register("local")` over a function that builds the backend."""

        def add(factory: Callable[[], T]) -> Callable[[], T]:
            if name in self._factories:
                raise ImproperlyConfigured(f"{self.kind} {name!r} is registered twice")
            self._factories[name] = factory
            return factory

        return add

    def choices(self) -> list[str]:
        return list(self._factories)

    def chosen(self) -> str:
        return str(getattr(settings, self.setting, "") or "").strip()

    def validate(self) -> None:
        """Raise ImproperlyConfigured naming the setting and its choices if the chosen name is unknown."""
        self._factory(self.chosen())

    def _factory(self, name: str) -> Callable[[], T]:
        if name in self._factories:
            return self._factories[name]
        if self.other is not None:
            other = self.other
            return lambda: other(name)
        raise ImproperlyConfigured(self._unknown(name))

    def _unknown(self, name: str) -> str:
        shown = ", ".join(repr(c) for c in self._factories)
        extra = f", or {self.other_help}" if self.other_help else ""
        return f"{self.env}={name!r} is not a {self.kind}: choose one of {shown}{extra}"

    def build(self, name: str) -> T:
        """A new backend of that name (not kept)."""
        return self._factory(name)()

    def get(self) -> T:
        """The configured backend, built on first use and kept (per chosen name)."""
        name = self.chosen()
        try:
            return self._built[name]
        except KeyError:
            pass
        with self._lock:
            if name not in self._built:
                self._built[name] = self.build(name)
            return self._built[name]

    def reset(self) -> None:
        """Forget the built backends (their settings changed)."""
        with self._lock:
            self._built.clear()


def registries() -> list[Registry]:
    return list(_ALL)


def reset_all() -> None:
    for registry in _ALL:
        registry.reset()
