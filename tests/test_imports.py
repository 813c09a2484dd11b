"""Imports between chaingraph's modules flow one way and never in a circle.

The import graph is read from the source with ``ast`` (imports inside functions included: a
function-level import hides a circle from Python, not from a reader) and checked with networkx.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "chaingraph"

#: Layers, lowest first: a module imports from its own layer or the ones below, never above.
#: cli → report/viz → analysis, ingest, pool → project → store → namespaces.
LAYERS = (
    ("base", ("chaingraph.namespaces", "chaingraph.defaults", "chaingraph.errors", "chaingraph.progress", "chaingraph.normalize",
              "chaingraph.lookup", "chaingraph.fileio")),
    ("store", ("chaingraph.store",)),
    ("project", ("chaingraph.project",)),
    ("library", ("chaingraph.analysis", "chaingraph.ingest", "chaingraph.pool", "chaingraph.company",
                 "chaingraph.stats", "chaingraph.validate")),
    ("output", ("chaingraph.viz", "chaingraph.render", "chaingraph.tabletext", "chaingraph.excel", "chaingraph.target_list")),
    ("cli", ("chaingraph.cli", "chaingraph.__main__")),
)

#: Circles known when this test was written, to be dissolved by whoever works there next; the
#: test fails on any other circle, and once one of these is gone (so the list only shrinks).
#: None is left (the last, ingest.extract ↔ ingest.relations, went with ingest/model.py).
KNOWN_CIRCLES: set[frozenset[str]] = set()


#: Private names (``_x``) imported from another module, known when this test was written; each
#: should become public (it is used as such) or stay where it is used.  New ones fail the test.
#: None is left.
KNOWN_PRIVATE_IMPORTS: set[tuple[str, str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(node: ast.AST, module: str, is_package: bool, modules: set[str]) -> list[str]:
    """The chaingraph modules one import statement reads (``from pkg import mod`` is ``pkg.mod``)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            here = module.split(".") if is_package else module.split(".")[:-1]
            base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
    else:
        return []
    found = []
    for name in names:
        while name and name not in modules:  # chaingraph.store.files.GraphSource → chaingraph.store.files
            name = name.rpartition(".")[0]
        if name.startswith("chaingraph") and name != module:
            found.append(name)
    return found


def import_graph() -> nx.DiGraph:
    """``module → module it imports`` for every module of the package, with the line of the import."""
    paths = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    graph = nx.DiGraph()
    graph.add_nodes_from(paths)
    for module, path in paths.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            for target in _imported(node, module, path.name == "__init__.py", set(paths)):
                graph.add_edge(module, target, line=node.lineno)
    return graph


def layer_of(module: str) -> int | None:
    for i, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return i
    return None


@pytest.fixture(scope="module")
def graph():
    return import_graph()


def test_the_graph_is_read_from_the_source(graph):
    # known edges, both a top-level and a function-level import: the test cannot pass by finding nothing
    assert graph.has_edge("chaingraph.project.firms", "chaingraph.store")
    assert graph.has_edge("chaingraph.store", "chaingraph.store.disk")  # inside open_graph
    assert graph.has_edge("chaingraph.store.disk", "chaingraph.store.splitload")
    assert graph.number_of_nodes() > 50 and graph.number_of_edges() > 150


def test_no_new_import_circles(graph):
    found = {frozenset(c): c for c in nx.simple_cycles(graph)}
    circles = set(found)
    new = sorted(" → ".join(found[c] + found[c][:1]) for c in circles - KNOWN_CIRCLES)
    assert not new, "import circles: " + "; ".join(new)
    gone = KNOWN_CIRCLES - circles
    assert not gone, f"no longer circles, remove them from KNOWN_CIRCLES: {gone}"


def test_a_circle_is_found():
    g = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    assert {frozenset(c) for c in nx.simple_cycles(g)} == {frozenset("abc")}


def test_every_module_has_a_layer(graph):
    assert not [m for m in graph if m != "chaingraph" and layer_of(m) is None], \
        "place new top-level modules in LAYERS (tests/test_imports.py) and the README's 'Where things go'"


def test_imports_flow_one_way(graph):
    upward = [f"{a} → {b} (line {d['line']})" for a, b, d in graph.edges(data=True)
              if "chaingraph" not in (a, b) and layer_of(b) > layer_of(a)]
    assert not upward, "imports against the flow " + " → ".join(n for n, _ in reversed(LAYERS)) + ": " + "; ".join(upward)


def test_no_new_private_names_imported_across_modules():
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("chaingraph"):
                found |= {(module, node.module, a.name) for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__") and node.module != module}
    new = sorted(found - KNOWN_PRIVATE_IMPORTS)
    assert not new, "private names imported from another module (make them public): " + "; ".join(
        f"{m} imports {name} from {src}" for m, src, name in new)

