"""Where a problem is: the file and line that first state a node, and short names for nodes.

Each file's text is split into lines once and indexed on first use: the name (``<iri>`` or
``prefix:local``) that starts each line, and, only if a node is never found at a line start, every
name on every line.  Locating a problem is then a few dictionary look-ups, not a scan of the file
(the pool's 87,000 lines were scanned once per problem before).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import rdflib
from rdflib import BNode, URIRef

from chaingraph.namespaces import bind_prefixes

# a name as written in Turtle: an IRI in angle brackets, or a run of characters that can be part
# of a prefixed name (whitespace, punctuation of the syntax, quotes and brackets end it)
_NAME = re.compile(r"<[^<>\s]*>|[^\s<>\"'^;,()\[\]]+")
# what may follow a name for it to count (the end of a term): as the old scan's look-ahead
_AFTER = re.compile(r"[\s;,.\]\)]")


def _names_in(text: str, start_only: bool):
    """``(name, at_line_start)`` for every way a name can be read in ``text``: a whole run, and a
    run cut before each ``.`` in it (``company:x.`` ends a statement with ``company:x``)."""
    for m in _NAME.finditer(text):
        at_start = not text[: m.start()].strip()
        if start_only and not at_start:
            return
        run, end = m.group(), m.end()
        if end == len(text) or _AFTER.match(text, end):
            yield run, at_start
        if not run.startswith("<"):
            for k, ch in enumerate(run):
                if ch == "." and k:
                    yield run[:k], at_start
        if start_only:
            return


@dataclass
class _File:
    """One parsed file: its graph, its lines, and name → first line indexes built on demand."""

    name: str
    graph: rdflib.Graph
    lines: list[str]
    _starts: dict[str, int] | None = None      # name -> first line it starts (a statement's subject)
    _anywhere: dict[str, int] | None = None    # name -> first line it occurs on
    _spaces: list[tuple[str, str]] = field(default_factory=list)

    def _index(self, start_only: bool) -> dict[str, int]:
        out: dict[str, int] = {}
        for i, text in enumerate(self.lines, start=1):
            for name, _ in _names_in(text, start_only):
                out.setdefault(name, i)
        return out

    def tokens(self, node: URIRef) -> list[str]:
        """How ``node`` can be written in this file: ``<iri>`` and ``prefix:local`` per bound prefix."""
        if not self._spaces:
            self._spaces = [(prefix, str(ns)) for prefix, ns in self.graph.namespaces()]
        iri = str(node)
        return [f"<{iri}>"] + [f"{prefix}:{iri[len(ns):]}" for prefix, ns in self._spaces
                                if iri.startswith(ns) and len(iri) > len(ns)]

    def line(self, node) -> int | None:
        """The first line that starts with ``node``, else the first line mentioning it."""
        if not isinstance(node, URIRef):
            return None
        tokens = self.tokens(node)
        if self._starts is None:
            self._starts = self._index(start_only=True)
        found = [self._starts[t] for t in tokens if t in self._starts]
        if found:
            return min(found)
        if self._anywhere is None:
            self._anywhere = self._index(start_only=False)
        found = [self._anywhere[t] for t in tokens if t in self._anywhere]
        return min(found) if found else None


class Locator:
    """Maps nodes to the file and line that first state them (best effort)."""

    def __init__(self) -> None:
        self._files: list[_File] = []

    def add(self, name: str, graph: rdflib.Graph, text: str) -> None:
        self._files.append(_File(name, graph, text.splitlines()))

    def locate(self, node, merged: rdflib.Graph) -> tuple[str | None, int | None]:
        """``(file, line)`` of the first file stating ``node`` (a blank node: its nearest named
        owner in ``merged``), ``(None, None)`` when no file does."""
        anchor = named_anchor(node, merged)
        for f in self._files:
            if (node, None, None) in f.graph:
                return f.name, f.line(anchor if anchor is not None else node)
        for f in self._files:  # mentioned only as an object
            if anchor is not None and (anchor, None, None) in f.graph:
                return f.name, f.line(anchor)
        return None, None


def named_anchor(node, graph: rdflib.Graph, depth: int = 4):
    """The node itself if it is an IRI, else the nearest IRI that points to the blank node."""
    seen = set()
    while isinstance(node, BNode) and depth > 0 and node not in seen:
        seen.add(node)
        parent = next(iter(graph.subjects(None, node)), None)
        if parent is None:
            return None
        node, depth = parent, depth - 1
    return node if isinstance(node, URIRef) else None


# ----------------------------------------------------------------------------- short names


def prefixes_graph() -> rdflib.Graph:
    """An empty graph with the project's prefixes bound: what short names are written with."""
    g = rdflib.Graph()
    bind_prefixes(g)
    return g


def short(node, graph: rdflib.Graph) -> str | None:
    """``company:x`` for an IRI under a prefix of ``graph``, ``_:b0`` for a blank node."""
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # pragma: no cover - defensive: odd IRIs
            return str(node)
    return str(node)


def focus_text(node, data: rdflib.Graph, ns_graph: rdflib.Graph) -> str | None:
    """IRIs as ``company:x``; a blank node as ``company:x cg:evidence []`` (its owner)."""
    if isinstance(node, BNode):
        owner = next(iter(data.subject_predicates(node)), None)
        if owner is not None and isinstance(owner[0], URIRef):
            return f"{short(owner[0], ns_graph)} {short(owner[1], ns_graph)} []"
    return short(node, ns_graph)


def short_iri(iri: str) -> str:
    """``company:x`` for an IRI string (``<iri>`` when no prefix fits)."""
    try:
        return prefixes_graph().namespace_manager.normalizeUri(URIRef(iri))
    except Exception:  # pragma: no cover
        return f"<{iri}>"
