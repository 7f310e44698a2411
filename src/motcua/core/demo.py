"""The bundled demo data, found the way Django finds admin modules: each installed app may have a
`demo.py`; `motcua demo load` calls its `load_demo(options)` in INSTALLED_APPS order (accounts before
catalogue before dossiers), and `motcua run` prints what its `started_lines()` returns. core knows no app."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType

from django.apps import apps


def modules() -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if name != __name__ and config.name.startswith("motcua.") and importlib.util.find_spec(name):
            yield importlib.import_module(name)


def load(**options) -> list[str]:
    """Load every app's demo data; one line per app that says what it did."""
    return [
        line for module in modules() if hasattr(module, "load_demo") for line in module.load_demo(**options)
    ]


def started_lines() -> list[str]:
    return [
        line for module in modules() if hasattr(module, "started_lines") for line in module.started_lines()
    ]
