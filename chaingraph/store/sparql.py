"""Run user SPARQL with the project prefixes predeclared; results as plain data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import rdflib

from chaingraph.errors import ChaingraphError
from chaingraph.namespaces import bind_prefixes, sparql_prologue
from chaingraph.store.query import plain_term


@dataclass
class QueryResult:
    """``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE)."""

    kind: str
    vars: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    boolean: bool | None = None
    turtle: str | None = None


_UPDATE_REFUSED = ("`query` is read-only: SPARQL Update ({}) is refused on every backend; "
                   "change data with `import`, `merge` or `build`")
_SERVER_FUNCTIONS = ("bif:", "sql:")  # Virtuoso built-ins that reach its SQL engine


def _parse_error(exc: Exception) -> ChaingraphError:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    shift = sparql_prologue().count("\n")
    msg = re.sub(r"\s*\(at char \d+\),?", "", msg)
    msg = re.sub(r"line:(\d+), col:(\d+)", lambda m: f"line {int(m.group(1)) - shift}, column {m.group(2)}", msg, count=1)
    msg = re.sub(r"(?<![\w:])(\d+):(\d+)", lambda m: f"line {int(m.group(1)) - shift}, column {m.group(2)}", msg, count=1)
    return ChaingraphError(f"bad SPARQL query: {msg}")


def _walk(node, seen: set[int]):
    """Every CompValue below ``node`` (the algebra shares sub-trees, so each is visited once)."""
    from rdflib.plugins.sparql.parserutils import CompValue  # start-up: rdflib's SPARQL engine, for `query` only

    stack = [node]
    while stack:
        x = stack.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        if isinstance(x, CompValue):
            yield x
            stack.extend(x.values())
        elif isinstance(x, dict):
            stack.extend(x.values())
        elif isinstance(x, (list, tuple)):
            stack.extend(x)


def check_read_only(text: str, *, allow_service: bool = False) -> None:
    """Refuse anything but a read-only query before it reaches any backend.

    Updates (``INSERT``, ``DELETE``, ``CLEAR``, ``DROP``, ``LOAD`` …) are refused with a plain
    message, so is ``SERVICE`` (the query would make the store or server call another endpoint)
    unless ``allow_service``, and so are Virtuoso's ``bif:``/``sql:`` functions.  Only standard
    SPARQL 1.1 query syntax passes: a server dialect the local parser cannot read is refused
    rather than sent.

    >>> check_read_only("CLEAR GRAPH <https://w3id.org/chaingraph/graph>")
    Traceback (most recent call last):
    ...
    chaingraph.errors.ChaingraphError: `query` is read-only: SPARQL Update (CLEAR) is refused on every backend; change data with `import`, `merge` or `build`
    >>> check_read_only("SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    chaingraph.errors.ChaingraphError: SERVICE <http://evil.example/sparql> is refused: the query would call another endpoint (allow it with --allow-service)
    """
    # start-up: rdflib's SPARQL parser loads only for `query` (analysis answers through select_plain)
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    full = sparql_prologue() + text
    try:
        parsed = parseQuery(full)
    except Exception as exc:  # pyparsing and rdflib raise many types
        try:
            update = parseUpdate(full)
        except Exception:
            raise _parse_error(exc) from None
        kinds = sorted({part.name.replace("Data", " DATA").replace("Where", "").upper()
                        for part in update.request if getattr(part, "name", None)} if update.request else [])
        raise ChaingraphError(_UPDATE_REFUSED.format(", ".join(kinds) or "empty update")) from None
    try:
        algebra = translateQuery(parsed).algebra
    except Exception as exc:
        raise _parse_error(exc) from None
    for node in _walk(algebra, set()):
        if node.name == "ServiceGraphPattern" and not allow_service:
            raise ChaingraphError(f"SERVICE <{node.get('term')}> is refused: the query would call another "
                                  "endpoint (allow it with --allow-service)")
        if node.name == "Function" and str(node.get("iri", "")).startswith(_SERVER_FUNCTIONS):
            raise ChaingraphError(f"server built-in function <{node.get('iri')}> is refused: `query` is read-only")


def run_query(graph: rdflib.Graph, text: str, *, allow_service: bool = False) -> QueryResult:
    """Run the read-only query ``text`` against ``graph`` (see :func:`check_read_only`); a syntax
    or evaluation error becomes ChaingraphError.

    Examples
    --------
    >>> from chaingraph.store import load_files, ontology_files
    >>> r = run_query(load_files(ontology_files()), "SELECT ?l WHERE { cg:Upstream rdfs:label ?l FILTER(LANG(?l)='zh') }")
    >>> r.rows
    [{'l': '上游'}]
    """
    check_read_only(text, allow_service=allow_service)
    try:
        result = graph.query(sparql_prologue() + text)
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            g = rdflib.Graph()
            bind_prefixes(g)
            for t in result:
                g.add(t)
            return QueryResult("graph", turtle=g.serialize(format="turtle"))
        names = [str(v) for v in result.vars]
        rows = [{n: plain_term(r[i]) for i, n in enumerate(names)} for r in result]
    except ChaingraphError:
        raise
    except Exception as exc:  # parser and evaluation errors come in many types
        raise _parse_error(exc) from None
    return QueryResult("select", vars=names, rows=rows)
