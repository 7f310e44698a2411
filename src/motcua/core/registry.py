"""Backends chosen by settings: one `Registry` per kind (search index, embedder, signer, LLM, OCR, ...).

A registry maps the names an operator may write in a setting to factories. Each app declares its
registries in a `backends.py` module and validates them in its AppConfig.ready(), so a wrong setting
stops start-up with an error that names the setting and its choices. `get()` builds the configured
backend once and keeps it until `reset()` (tests that switch settings call `reset_all()`). A registry
also forgets its backends when one of the settings it `depends` on changes under `override_settings`
(Django's `setting_changed` signal, which pytest-django's `settings` fixture sends too).

Factories import their heavy modules lazily: declaring a registry costs nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

T = TypeVar("T")

_ALL: list[Registry] = []


class Registry(Generic[T]):
    """`kind`: what the backends are, for messages ("knowledge index"). `setting`: the Django setting
    holding the chosen name; `env`: the environment variable an operator sets (for messages).
    `other`: a factory for values that are not registered names (a model directory, a dotted path),
    described by `other_help`; without it an unknown name is an error. `other_accepts` tells, at
    `validate()`, whether a value the `other` factory would get is plausible (an existing directory);
    without it every such value passes. `depends`: further settings the backends are built from; a
    change to one of them (or to `setting`) under override_settings resets the registry."""

    def __init__(
        self,
        kind: str,
        setting: str,
        *,
        env: str = "",
        other: Callable[[str], T] | None = None,
        other_help: str = "",
        other_accepts: Callable[[str], bool] | None = None,
        depends: tuple[str, ...] = (),
    ):
        self.kind, self.setting, self.env = kind, setting, env or f"MOTCUA_{setting}"
        self.other, self.other_help, self.other_accepts = other, other_help, other_accepts
        self.depends = frozenset((setting, *depends))
        self._factories: dict[str, Callable[[], T]] = {}
        self._aliases: dict[str, str] = {}
        self._built: dict[str, T] = {}
        self._lock = threading.Lock()
        _ALL.append(self)

    def register(
        self, name: str, *, aliases: tuple[str, ...] = ()
    ) -> Callable[[Callable[[], T]], Callable[[], T]]:
        """Decorator: `@indexes.register("local")` over a function that builds the backend. `aliases`
        are other names an operator may write for it (not listed among the choices)."""

        def add(factory: Callable[[], T]) -> Callable[[], T]:
            for taken in (name, *aliases):
                if taken in self._factories or taken in self._aliases:
                    raise ImproperlyConfigured(f"{self.kind} {taken!r} is registered twice")
            self._factories[name] = factory
            self._aliases.update(dict.fromkeys(aliases, name))
            return factory

        return add

    def choices(self) -> list[str]:
        return list(self._factories)

    def chosen(self) -> str:
        return str(getattr(settings, self.setting, "") or "").strip()

    def validate(self) -> None:
        """Raise ImproperlyConfigured naming the setting and its choices if the chosen name is unknown."""
        name = self.chosen()
        self._factory(name)
        if self.resolve(name) is None and self.other_accepts is not None and not self.other_accepts(name):
            raise ImproperlyConfigured(self._unknown(name))

    def resolve(self, name: str) -> str | None:
        """The registered name `name` stands for (itself, an alias, or either in lower case)."""
        for candidate in (name, name.lower()):
            if candidate in self._factories:
                return candidate
            if candidate in self._aliases:
                return self._aliases[candidate]
        return None

    def _factory(self, name: str) -> Callable[[], T]:
        registered = self.resolve(name)
        if registered is not None:
            return self._factories[registered]
        if self.other is not None:
            other = self.other
            return lambda: other(name)
        raise ImproperlyConfigured(self._unknown(name))

    def _unknown(self, name: str) -> str:
        shown = ", ".join(repr(c) for c in self._factories)
        extra = f", or {self.other_help}" if self.other_help else ""
        article = "an" if self.kind[:1].lower() in "aeiou" else "a"
        return f"{self.env}={name!r} is not {article} {self.kind}: choose one of {shown}{extra}"

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


def _settings_changed(*, setting: str, **kwargs) -> None:
    for registry in _ALL:
        if setting in registry.depends:
            registry.reset()


setting_changed.connect(_settings_changed, dispatch_uid="motcua.core.registry")
