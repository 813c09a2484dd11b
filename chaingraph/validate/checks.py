"""Rules SHACL cannot express well: the SPARQL checks (``ontology/checks/*-violation.rq``, each
row a problem) and cycles of ``cg:feeds`` inside a chain (networkx)."""

from __future__ import annotations

import networkx as nx
import rdflib
from rdflib import URIRef

from chaingraph.namespaces import CG
from chaingraph.validate.locate import Locator, focus_text, prefixes_graph, short
from chaingraph.validate.problems import Problem
from chaingraph.validate.rules import check_queries

_MAX_CYCLES_PER_CHAIN = 20


def run_checks(graph: rdflib.Graph) -> list[Problem]:
    """Run every ``ontology/checks/*-violation.rq`` on ``graph``; each row is a problem.

    Works on any rdflib graph (in memory, Oxigraph or a SPARQL endpoint store).
    """
    return check_problems(graph, None, graph)


def check_problems(graph: rdflib.Graph, locator: Locator | None, merged: rdflib.Graph) -> list[Problem]:
    """The rows of every check on ``graph``, located in the files of ``locator``."""
    ns_graph = prefixes_graph()
    problems = []
    for name, query in check_queries().items():
        fallback = query_title(query) or name
        for row in graph.query(query):
            focus = row.get("focus") if hasattr(row, "get") else row[0]
            message = row.get("message") if hasattr(row, "get") else row[1]
            file, line = locator.locate(focus, merged) if (locator and focus is not None) else (None, None)
            problems.append(
                Problem(
                    kind="check",
                    file=file,
                    line=line,
                    focus=focus_text(focus, merged, ns_graph),
                    message=str(message) if message is not None else fallback,
                    rule=name,
                )
            )
    return problems


def query_title(query: str) -> str | None:
    """The first comment line of a query (its message when a row has none)."""
    for ln in query.splitlines():
        if ln.startswith("#") and ln.strip("# ").strip():
            return ln.strip("# ").strip()
    return None


def feeds_cycles(graph: rdflib.Graph, *, max_per_chain: int = _MAX_CYCLES_PER_CHAIN) -> dict[str, list[list[str]]]:
    """Cycles of ``cg:feeds`` inside each chain, as ``{chain IRI: [[segment IRI, ...], ...]}``.

    Self-loops are left to the ``feeds-self-loop`` check and edges between chains to
    ``feeds-cross-chain``.  Each reported cycle has one of its edges removed before searching
    again, so every cycle structure is reported (at most ``max_per_chain`` per chain).
    """
    chain_of: dict[str, str] = {}
    for seg, chain in graph.subject_objects(CG.chain):
        chain_of.setdefault(str(seg), str(chain))
    per_chain: dict[str, nx.DiGraph] = {}
    for a, b in graph.subject_objects(CG.feeds):
        a, b = str(a), str(b)
        ca = chain_of.get(a)
        if a == b or ca is None or chain_of.get(b) != ca:
            continue
        per_chain.setdefault(ca, nx.DiGraph()).add_edge(a, b)
    out: dict[str, list[list[str]]] = {}
    for chain in sorted(per_chain):
        g = per_chain[chain]
        found = []
        while len(found) < max_per_chain:
            try:
                edges = nx.find_cycle(g)
            except nx.NetworkXNoCycle:
                break
            cycle = [u for u, _v in edges]
            k = cycle.index(min(cycle))  # rotate to a canonical start
            found.append(cycle[k:] + cycle[:k])
            g.remove_edge(*edges[-1][:2])
        if found:
            out[chain] = sorted(found)
    return out


def cycle_problems(graph: rdflib.Graph, locator: Locator | None) -> list[Problem]:
    """One problem per ``cg:feeds`` cycle, located at its first segment."""
    ns_graph = prefixes_graph()
    problems = []
    for chain, cycles in feeds_cycles(graph).items():
        for cycle in cycles:
            names = [short(URIRef(s), ns_graph) for s in cycle]
            loop = " -> ".join(names + names[:1])
            file, line = locator.locate(URIRef(cycle[0]), graph) if locator else (None, None)
            problems.append(
                Problem(
                    kind="cycle",
                    file=file,
                    line=line,
                    focus=names[0],
                    path="cg:feeds",
                    message=(
                        f"cg:feeds cycle in chain {short(URIRef(chain), ns_graph)}: {loop}"
                        f" / 产业链环节供给关系成环：{loop}"
                    ),
                    rule="cg:feeds",
                )
            )
    return problems
