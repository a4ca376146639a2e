"""The package's layers: no import circle, and no import from a lower layer to a higher one.

Every import in ``chipcourse`` (at the top of a module or inside a function) is an edge of
the import graph, read from the source with ``ast``. A module may import its own layer
or lower ones, never a higher one, and the graph has no cycle. The layers, lowest first:
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "chipcourse"

#: lowest first; a module belongs to the first layer with a prefix that matches its name
LAYERS = [
    ("base", ["chipcourse.units", "chipcourse.data", "chipcourse.syllabus", "chipcourse.answers",
              "chipcourse.language", "chipcourse.i18n"]),
    ("catalogue", ["chipcourse.misconceptions"]),
    ("machinery", ["chipcourse.checking", "chipcourse.charting", "chipcourse.chart_layout", "chipcourse.panel"]),
    ("lessons", ["chipcourse.lessons"]),
    ("notebook api", ["chipcourse.checks", "chipcourse.charts", "chipcourse.widgets", "chipcourse.ja"]),
    ("tooling", ["chipcourse.notebooks", "chipcourse.teaching", "chipcourse.editions", "chipcourse.doctor",
                 "chipcourse.labserver", "chipcourse.grading", "chipcourse.sandbox", "chipcourse.classroom",
                 "chipcourse.scaffold", "chipcourse.confinement", "chipcourse.replayer", "chipcourse.integrity",
                 "chipcourse.limits", "chipcourse.intake", "chipcourse.notes", "chipcourse.feedback_pages", "chipcourse.translations", "chipcourse.environment",
                 "chipcourse.hub", "chipcourse.sources"]),
]
#: the package itself: ``from chipcourse import nodes`` finds a lesson's model on demand
ROOT = "chipcourse"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The chipcourse modules that ``name`` imports, anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                       for alias in node.names]
        else:
            continue
        found |= {t for t in targets if t == ROOT or t.startswith(ROOT + ".")}
    return found - {name}


def layer_of(name: str) -> int:
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return index
    raise AssertionError(f"{name} is in no layer: add it to LAYERS in tests/test_layers.py")


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def test_every_module_has_a_layer():
    for name in modules():
        if name != ROOT:
            layer_of(name)


def test_no_import_runs_up_a_layer():
    upward = []
    for name, targets in graph().items():
        if name == ROOT:
            continue
        for target in targets:
            if target == ROOT:
                upward.append(f"{name} imports the package root (import the module it needs)")
            elif layer_of(target) > layer_of(name):
                upward.append(f"{name} ({LAYERS[layer_of(name)][0]}) imports {target} "
                              f"({LAYERS[layer_of(target)][0]})")
    assert not upward, "\n".join(upward)


def test_there_is_no_import_circle():
    edges = graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                raise AssertionError("import circle: " + " -> ".join(stack[stack.index(nxt):] + [nxt]))
            if nxt in edges and state.get(nxt) is None:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if state.get(node) is None:
            visit(node)


def test_low_layers_import_no_lesson(tmp_path):
    """The base, catalogue and machinery layers know lessons only as data (lesson.toml)."""
    for name, targets in graph().items():
        if layer_of(name) <= 2 if name != ROOT else False:
            assert not [t for t in targets if t.startswith("chipcourse.lessons")], name


def test_the_checker_catches_an_upward_import(tmp_path, monkeypatch):
    """The layer check itself can fail: a base module importing a lesson is reported."""
    fake = tmp_path / "chipcourse"
    (fake / "lessons").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "lessons" / "__init__.py").write_text("")
    (fake / "units.py").write_text("from .lessons import something\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake, raising=False)
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    with pytest.raises(AssertionError, match="chipcourse.units .base. imports chipcourse.lessons"):
        test_no_import_runs_up_a_layer()
