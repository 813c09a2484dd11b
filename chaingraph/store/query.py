"""Running SELECT queries: bound terms, ``VALUES`` lists, rows of plain Python values.

Every query chaingraph sends goes through :func:`select` or :func:`select_in`: the project
prefixes are predeclared, untrusted values are bound as terms (never spliced in as text), and
rows come back as dicts of ``str``/``int``/``float``/``bool``/``None``.  On an Oxigraph-backed
graph or a SPARQL endpoint the rows are read without building rdflib terms (:func:`fast_select`).
All of it is standard SPARQL 1.1, so the same query runs on every backend.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable

import rdflib

from chaingraph.namespaces import sparql_prologue

PROLOGUE = sparql_prologue()


def select(graph: rdflib.Graph, query: str, **bindings) -> list[dict]:
    """Run a SELECT with the project prefixes; rows as dicts of plain Python values.

    ``bindings`` are bound with a ``VALUES`` block opening the WHERE group (see
    :func:`values_clause`, :func:`with_values`), which every SPARQL 1.1 engine supports —
    Oxigraph's ``initBindings`` would require the variable to be projected, remote stores
    ignore them, and a trailing VALUES is applied after projection by some servers (Virtuoso).
    IRIs become ``str``, literals their Python value (``str``/``int``/``float``/``bool``).
    """
    return _run(graph, with_values(PROLOGUE + query, bindings))


def _run(graph: rdflib.Graph, text: str) -> list[dict]:
    fast = fast_select(graph, text)
    if fast is not None:  # Oxigraph-backed: plain values without building rdflib terms
        names, tuples = fast
        return [dict(zip(names, t)) for t in tuples]
    result = graph.query(text)
    names = [str(v) for v in result.vars]
    rows = []
    for r in result:
        rows.append({n: plain_term(r[i]) for i, n in enumerate(names)})
    return rows


_IRI_FORBIDDEN = set('<>"{}|^`\\ \n\r\t')


def _bound_term(value) -> str:
    """A value as a SPARQL term: IRIs checked, literals escaped by rdflib (never raw text)."""
    term = value if isinstance(value, rdflib.term.Node) else rdflib.URIRef(value)
    if isinstance(term, rdflib.URIRef) and (_IRI_FORBIDDEN & set(str(term)) or not str(term)):
        raise ValueError(f"not a valid IRI to bind: {str(term)!r}")
    if isinstance(term, rdflib.BNode):
        raise ValueError("blank nodes cannot be bound in a query")
    return term.n3()


def values_clause(bindings: dict) -> str:
    """``VALUES (?a ?b) { (<…> "…"@zh) }`` binding each variable to one term, or ``""``.

    Examples
    --------
    >>> print(values_clause({"f": "https://example.org/a", "n": rdflib.Literal('say "hi"', lang="zh")}))
    <BLANKLINE>
    VALUES (?f ?n) { (<https://example.org/a> "say \\"hi\\""@zh) }
    """
    if not bindings:
        return ""
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(_bound_term(v) for v in bindings.values())
    return f"\nVALUES ({names}) {{ ({terms}) }}"


_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<open>\{) | (?P<close>\}) | (?P<word>[A-Za-z_]+) | (?P<other>.)""",
    re.X | re.S,
)


def where_start(query: str) -> int | None:
    """Index just after the ``{`` opening the outermost WHERE group (None if not found).

    Skips IRIs, strings, comments and a CONSTRUCT template.

    >>> q = 'PREFIX x: <http://x/{}> SELECT ?n WHERE { ?f x:n "{" }'
    >>> q[where_start(q):]
    ' ?f x:n "{" }'
    """
    depth = 0
    form = None
    template_done = False
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup
        if kind == "word" and depth == 0:
            w = m.group().upper()
            if form is None and w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = w
            elif form == "CONSTRUCT" and w == "WHERE":
                template_done = True
        elif kind == "open":
            if depth == 0 and form is not None and (form != "CONSTRUCT" or template_done):
                return m.end()
            depth += 1
        elif kind == "close":
            depth -= 1
            if depth == 0 and form == "CONSTRUCT":
                template_done = True
    return None


def with_values(query: str, bindings: dict) -> str:
    """``query`` with :func:`values_clause` placed first in its WHERE group (FILTERs see it).

    >>> print(with_values("SELECT ?n WHERE { ?f <http://x/n> ?n }", {"f": "http://x/a"}))
    SELECT ?n WHERE {
    VALUES (?f) { (<http://x/a>) } ?f <http://x/n> ?n }
    """
    clause = values_clause(bindings)
    if not clause:
        return query
    at = where_start(query)
    if at is None:
        return query + clause
    return query[:at] + clause + query[at:]


def plain_term(term):
    """An rdflib term as the plain value :func:`select` returns (IRIs and dates as ``str``)."""
    if term is None:
        return None
    if isinstance(term, rdflib.Literal):
        v = term.toPython()
        if isinstance(v, rdflib.Literal):
            return str(v)
        if isinstance(v, Decimal):
            return float(v)
        if hasattr(v, "year") and not isinstance(v, (int, float)):
            return str(term)
        return v
    return str(term)


VALUES_CHUNK = 2000
"""IRIs per ``VALUES`` list in :func:`select_in` (queries stay small enough for any server)."""


def select_in(graph: rdflib.Graph, query: str, var: str, values: Iterable, *, chunk: int = VALUES_CHUNK) -> list[dict]:
    """:func:`select` with ``?var`` restricted to ``values`` by a ``VALUES`` list opening the WHERE group.

    Runs one query per ``chunk`` values (none when ``values`` is empty); rows are concatenated.
    Standard SPARQL 1.1, so the filtering happens on the server for a remote graph. A value that
    is no absolute IRI (a blank node's id, which no query can name) matches nothing and is left
    out of the list, as it would be of the answer.

    Examples
    --------
    >>> g = rdflib.Graph().parse(data='''@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...     <https://example.org/a> rdfs:label "整机链主"@zh . <https://example.org/b> rdfs:label "配套"@zh .''',
    ...     format="turtle")
    >>> rows = select_in(g, "SELECT ?f ?l WHERE { ?f rdfs:label ?l }", "f", ["https://example.org/a"])
    >>> [r["l"] for r in rows]
    ['整机链主']
    """
    items = sorted({str(v) for v in values if v and ":" in str(v)})
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", var):
        raise ValueError(f"not a valid variable name: {var!r}")
    rows: list[dict] = []
    text = PROLOGUE + query
    marked = VALUES_MARK in text
    at = where_start(text)
    if at is None and not marked:
        raise ValueError("select_in needs a query with a WHERE group")
    for i in range(0, len(items), chunk):
        block = f"\nVALUES ?{var} {{ " + " ".join(iri_term(v) for v in items[i:i + chunk]) + " }\n"
        rows += _run(graph, text.replace(VALUES_MARK, block) if marked else text[:at] + block + text[at:])
    return rows


VALUES_MARK = "#VALUES\n"
"""Where :func:`select_in` puts its ``VALUES`` list when the query has it (once per UNION branch:
engines such as Oxigraph do not push an outer VALUES into a UNION).

Bound queries test the type as ``?f a ?t FILTER(?t = cg:Company)``: with a constant class,
Oxigraph scans every instance of the class and hash-joins (0.6 s for 2,000 firms of 10k); with a
variable it looks up each bound subject (0.03 s).  Both are plain SPARQL 1.1."""


def iri_term(value: str) -> str:
    """An IRI string as a SPARQL term ``<…>`` (validated; quick for the common case)."""
    if _IRI_FORBIDDEN.isdisjoint(value) and value and ":" in value:
        return f"<{value}>"
    return _bound_term(value)


# ----------------------------------------------------------------------------- plain values, fast

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                            "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
                            "unsignedShort", "unsignedByte")}
_FLOATS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}


def plain_value(value: str, datatype: str | None):
    """A literal's lexical form and datatype IRI as the plain value :func:`select`
    returns: numbers and booleans converted, anything else (or ill-typed) the lexical form."""
    try:
        if datatype in _INTS:
            return int(value)
        if datatype in _FLOATS:
            return float(value)
        if datatype == _XSD + "boolean":
            if value in ("true", "1"):
                return True
            if value in ("false", "0"):
                return False
    except ValueError:
        pass
    return value


class Backend:
    """What chaingraph's own rdflib stores add: a fast row path and their query plans.

    Analysis code never asks which backend it has; it calls :func:`select` (which uses
    :meth:`select_plain`) and :func:`background_executor`, and each backend answers for itself.
    Plain rdflib stores (a ``rdflib.Graph()`` a test builds) are not backends: they get the
    generic path.
    """

    build: str | None = None
    """The build directory of an on-disk store (what is derived from it is kept per build)."""

    def select_plain(self, query: str, graph: rdflib.Graph) -> tuple[list[str], list[tuple]] | None:
        """A SELECT's ``(variables, rows of plain values)`` without rdflib terms; None for
        another kind of answer."""
        raise NotImplementedError

    @property
    def derived(self) -> dict:
        """What callers derive from this open store (the analysis firm source), kept as long as
        the store is open and shared by every caller using it."""
        try:
            return self._chaingraph_derived
        except AttributeError:
            self._chaingraph_derived: dict = {}
            return self._chaingraph_derived

    def background_executor(self):
        """A :class:`concurrent.futures.Executor` for queries this backend can answer while the
        caller works on, or None when a query should simply run when asked (the default: an
        embedded store answers on the caller's own cores)."""
        return None


def fast_select(graph: rdflib.Graph, query: str) -> tuple[list[str], list[tuple]] | None:
    """Run a SELECT through ``graph``'s backend: ``(variables, rows of plain values)``.

    Skips building rdflib terms (the costly part of large answers).  None when ``graph`` is a
    plain rdflib graph: the caller then uses ``graph.query``.
    """
    store = graph.store
    return store.select_plain(query, graph) if isinstance(store, Backend) else None


def build_of(graph: rdflib.Graph) -> str | None:
    """The build directory ``graph`` reads (None for an in-memory or remote graph)."""
    store = graph.store
    return store.build if isinstance(store, Backend) else None


def derived(graph: rdflib.Graph) -> dict:
    """A dict for what callers derive from ``graph``'s open store, shared while it stays open
    (:attr:`Backend.derived`); a new empty dict, kept by nobody, for a plain rdflib graph."""
    store = graph.store
    return store.derived if isinstance(store, Backend) else {}


def background_executor(graph: rdflib.Graph):
    """An executor for queries ``graph``'s backend answers while the caller works on (a SPARQL
    server: one worker thread), or None (run queries when asked).  The caller shuts it down."""
    store = graph.store
    return store.background_executor() if isinstance(store, Backend) else None
