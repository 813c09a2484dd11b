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


def run_query(graph: rdflib.Graph, text: str) -> QueryResult:
    """Run ``text`` against ``graph``; a syntax or evaluation error becomes ChaingraphError.

    Examples
    --------
    >>> from chaingraph.store import load_files, ontology_files
    >>> r = run_query(load_files(ontology_files()), "SELECT ?l WHERE { cg:Upstream rdfs:label ?l FILTER(LANG(?l)='zh') }")
    >>> r.rows
    [{'l': '上游'}]
    """
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
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        shift = sparql_prologue().count("\n")
        msg = re.sub(r"(\d+):(\d+)", lambda m: f"line {int(m.group(1)) - shift}, column {m.group(2)}", msg, count=1)
        raise ChaingraphError(f"bad SPARQL query: {msg}") from None
    return QueryResult("select", vars=names, rows=rows)
