"""The embedded backend: Oxigraph in this process, in memory or over a build on disk.

oxrdflib's store gives rdflib graphs over a ``pyoxigraph.Store``; :class:`EmbeddedStore` keeps
that ``pyoxigraph.Store`` itself (oxrdflib only offers it as a private attribute) so a SELECT can
be answered as plain rows without building rdflib terms, and it knows the build directory it
reads, if any (the analysis snapshot is kept per build).
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from oxrdflib import OxigraphStore
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from chaingraph.store.query import Backend, plain_value


class EmbeddedStore(OxigraphStore, Backend):
    """oxrdflib's store over ``oxigraph`` (a new in-memory one by default); ``build`` is the
    build directory of an on-disk store (None in memory)."""

    oxigraph: ox.Store

    def __init__(self, oxigraph: ox.Store | None = None, *, build: str | None = None):
        self.oxigraph = oxigraph if oxigraph is not None else ox.Store()
        self.build = build
        super().__init__(store=self.oxigraph)

    def select_plain(self, query: str, graph: rdflib.Graph) -> tuple[list[str], list[tuple]] | None:
        ident = graph.identifier
        kwargs: dict = {}
        if isinstance(graph, rdflib.ConjunctiveGraph) or getattr(graph, "default_union", False):
            kwargs["use_default_graph_as_union"] = True
        elif ident == DATASET_DEFAULT_GRAPH_ID:
            kwargs["default_graph"] = ox.DefaultGraph()
        elif isinstance(ident, rdflib.BNode):
            kwargs["default_graph"] = ox.BlankNode(str(ident))
        else:
            kwargs["default_graph"] = ox.NamedNode(str(ident))
        result = self.oxigraph.query(query, **kwargs)
        if not isinstance(result, ox.QuerySolutions):
            return None
        names = [v.value for v in result.variables]
        return names, [tuple(_plain(t) for t in solution) for solution in result]


def _plain(term):
    """A pyoxigraph term as the plain value :func:`chaingraph.store.select` returns."""
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    if datatype is None:  # NamedNode, BlankNode
        return term.value
    return plain_value(term.value, datatype.value)
