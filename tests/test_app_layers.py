"""Apps depend downwards only (DESIGN, "Layout"): read every import in src/motcua, lazy ones inside
functions included, and every template include, and fail on an edge that points up the stack. An app
that needs to reach up registers a hook instead (dossiers/hooks.py, core/demo.py) or a template tag of
the upper app's own (`{% load precheck %}`)."""

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "motcua"
# Bottom to top. The project's root modules (settings, urls, asgi, wsgi, cli) compose them all.
LAYERS = ["core", "accounts", "catalogue", "dossiers", "precheck", "knowledge", "assistant", "api"]
INCLUDE = re.compile(r"""{%\s*(?:include|extends)\s+["']([a-z_]+)/""")


def app_of(path: Path) -> str | None:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 and parts[0] in LAYERS else None


def imported_apps(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "motcua" and len(parts) > 1 and parts[1] in LAYERS:
                yield node.lineno, parts[1]


def test_every_app_of_the_source_tree_has_a_layer():
    apps = {p.name for p in SRC.iterdir() if (p / "apps.py").exists() or (p / "__init__.py").exists()}
    apps -= {"locale", "static", "templates", "__pycache__", "management"}
    assert apps <= set(LAYERS), f"place these apps in LAYERS: {sorted(apps - set(LAYERS))}"


def test_no_module_imports_an_app_above_its_own():
    upward = []
    for path in SRC.rglob("*.py"):
        app = app_of(path)
        if app is None or "migrations" in path.parts:
            continue
        for line, other in imported_apps(path):
            if LAYERS.index(other) > LAYERS.index(app):
                upward.append(f"{path.relative_to(SRC)}:{line} ({app}) imports {other}")
    assert not upward, "\n".join(upward)


def test_no_template_includes_one_of_an_app_above_its_own():
    upward = []
    for path in SRC.rglob("templates/**/*.html"):
        app = app_of(path)
        for match in INCLUDE.finditer(path.read_text(encoding="utf-8")):
            other = match.group(1)
            if app and other in LAYERS and LAYERS.index(other) > LAYERS.index(app):
                upward.append(f"{path.relative_to(SRC)} ({app}) includes {match.group(0)}")
    assert not upward, "\n".join(upward)
