"""Apps depend downwards only (DESIGN, "Layout"): read every import in src/motcua, lazy ones inside
functions included, and every template include, and fail on an edge that points up the stack. An app
that needs to reach up registers a hook instead (dossiers/hooks.py, core/demo.py) or a template tag of
the upper app's own (`{% load precheck %}`). Inside the apps, modules import each other without a
cycle (lazy imports count: a cycle hidden in a function is still one)."""

import ast
import graphlib
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "motcua"
# Bottom to top. The project's root modules (settings, urls, asgi, wsgi, cli) compose them all.
LAYERS = [
    "core",
    "accounts",
    "catalogue",
    "dossiers",
    "feedback",
    "precheck",
    "knowledge",
    "assistant",
    "api",
]
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


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, modules: set[str]):
    """The motcua modules `path` imports, relative imports resolved; `if TYPE_CHECKING:` blocks are
    annotations, not imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            node.body = []
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            for alias in node.names:
                name = f"{module}.{alias.name}"
                yield name if name in modules else module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_no_import_cycle_between_modules():
    paths = {module_name(p): p for p in SRC.rglob("*.py") if "migrations" not in p.parts}
    graph = graphlib.TopologicalSorter()
    for name, path in paths.items():
        graph.add(name, *({m for m in imported_modules(path, set(paths)) if m in paths} - {name}))
    try:
        graph.prepare()
    except graphlib.CycleError as error:
        raise AssertionError("import cycle: " + " -> ".join(error.args[1])) from None
