"""The embedded backend: Oxigraph in this process, in memory or over a build on disk.

oxrdflib's store gives rdflib graphs over a ``pyoxigraph.Store``; :class:`EmbeddedStore` keeps
that ``pyoxigraph.Store`` itself (oxrdflib only offers it as a private attribute) so a SELECT can
be answered as plain rows without building rdflib terms, and it knows the build directory it
reads, if any (the analysis snapshot is kept per build).

oxrdflib is loaded only when rdflib's own API is used on the graph (triples, ``graph.query``,
parsing into it, SHACL): importing it imports rdflib's SPARQL engine, 0.1 s of CPU that the
commands answering through :meth:`EmbeddedStore.select_plain` (every analysis query) never need.
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.store import Store

from chaingraph.store.query import Backend, plain_value

_HANDED_OVER = ("open", "destroy", "gc", "add", "addN", "remove", "triples", "contexts", "query", "update",
                "commit", "rollback", "add_graph", "remove_graph")
"""rdflib store methods answered by oxrdflib's ``OxigraphStore`` on the same pyoxigraph store."""


class EmbeddedStore(Store, Backend):
    """An rdflib store over ``oxigraph`` (a new in-memory one by default); ``build`` is the
    build directory of an on-disk store (None in memory).

    Plain rows come from pyoxigraph directly (:meth:`select_plain`); the rdflib store methods
    are oxrdflib's, on the same store, created on first use.  Prefixes are kept here (oxrdflib
    keeps them in memory too), so binding them loads nothing."""

    context_aware = True
    formula_aware = False
    transaction_aware = False
    graph_aware = True

    oxigraph: ox.Store

    def __init__(self, oxigraph: ox.Store | None = None, *, build: str | None = None):
        self.oxigraph = oxigraph if oxigraph is not None else ox.Store()
        self.build = build
        self._oxrdflib = None
        self._namespace_for_prefix: dict = {}
        self._prefix_for_namespace: dict = {}
        super().__init__()

    @property
    def _inner(self) -> ox.Store:  # where oxrdflib's parser and serializer look for the store
        return self.oxigraph

    def rdflib_store(self):
        """oxrdflib's ``OxigraphStore`` over the same pyoxigraph store (made on first use; its
        methods then answer this store's calls directly)."""
        if self._oxrdflib is None:
            from oxrdflib import OxigraphStore  # start-up: see the module docstring

            self._oxrdflib = OxigraphStore(store=self.oxigraph)
            for name in _HANDED_OVER:
                setattr(self, name, getattr(self._oxrdflib, name))
        return self._oxrdflib

    def __len__(self, context=None) -> int:
        return self.rdflib_store().__len__(context)

    def close(self, commit_pending_transaction: bool = False) -> None:
        pass  # the pyoxigraph store is closed when nothing holds it any more

    def bind(self, prefix, namespace, override: bool = True) -> None:
        if not override and (prefix in self._namespace_for_prefix or namespace in self._prefix_for_namespace):
            return
        self._prefix_for_namespace.pop(self._namespace_for_prefix.pop(prefix, None), None)
        self._namespace_for_prefix.pop(self._prefix_for_namespace.pop(namespace, None), None)
        self._namespace_for_prefix[prefix] = namespace
        self._prefix_for_namespace[namespace] = prefix

    def prefix(self, namespace):
        return self._prefix_for_namespace.get(namespace)

    def namespace(self, prefix):
        return self._namespace_for_prefix.get(prefix)

    def namespaces(self):
        yield from list(self._namespace_for_prefix.items())

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


def _handed_over(name):
    def method(self, *args, **kwargs):
        return getattr(self.rdflib_store(), name)(*args, **kwargs)

    method.__name__ = name
    return method


for _name in _HANDED_OVER:
    setattr(EmbeddedStore, _name, _handed_over(_name))


def _plain(term):
    """A pyoxigraph term as the plain value :func:`chaingraph.store.select` returns."""
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    if datatype is None:  # NamedNode, BlankNode
        return term.value
    return plain_value(term.value, datatype.value)
