"""Relation facts between firms, parks and places, and the firm graph (a MultiDiGraph)."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, TYPE_CHECKING

import rdflib

from chaingraph.namespaces import CG
from chaingraph.project.firms import firms
from chaingraph.project.labels import evidence_by_subject, label_of, labels
from chaingraph.store import iri_term, select

if TYPE_CHECKING:
    import networkx as nx


EDGE_KINDS = ("supply", "referral", "relocation", "visit", "located")


_EDGE_ROLES = {  # kind: (class, a role, b role, {optional attribute: property})
    "referral": ("cg:Referral", "cg:referrer", "cg:referee",
                 {"referral_kind": "cg:referralKind", "stage": "cg:leadStage", "year": "cg:year"}),
    "supply": ("cg:Supply", "cg:supplier", "cg:customer", {"year": "cg:year"}),
    "relocation": ("cg:Relocation", "cg:firm", "cg:fromPlace", {"year": "cg:year"}),
    "visit": ("cg:Visit", "cg:visitor", "cg:target", {"year": "cg:date"}),
}


def relation_edges(graph: rdflib.Graph, kinds: Iterable[str] = ("referral", "supply", "relocation", "visit")) -> list[dict]:
    """Relation facts as plain edges, without evidence or firm attributes (by kind, then fact IRI).

    Each: ``kind``, ``fact``, ``a`` (supplier/referrer/firm/visitor park), ``b``
    (customer/referee/origin place/target), ``year``; referrals also ``referral_kind``, ``stage``.
    Three queries whatever the kinds: the facts of each class; the roles only these classes use,
    scanned whole (a store reads each property once instead of joining per fact: 2-3x faster on
    Oxigraph for large graphs); the shared ones (cg:firm, cg:target, cg:year …) joined with the
    classes, so a pool's segment links are not read.  One round trip each to a server.
    """
    kinds = [k for k in dict.fromkeys(kinds) if k in _EDGE_ROLES]
    if not kinds:
        return []
    roles = {(k, _curie_iri(p)): name for k in kinds
             for name, p in [("a", _EDGE_ROLES[k][1]), ("b", _EDGE_ROLES[k][2]), *_EDGE_ROLES[k][3].items()]}
    classes = " ".join(_EDGE_ROLES[k][0] for k in kinds)
    own = sorted({p for k, p in roles if p in _OWN_ROLES})
    shared = sorted({p for k, p in roles if p not in _OWN_ROLES})
    # a UNION, not VALUES ?c: Virtuoso plans "VALUES ?c … ?s a ?c" as a scan of every rdf:type (8x slower)
    typed = " UNION ".join(f"{{ ?s a {_EDGE_ROLES[k][0]} BIND({_EDGE_ROLES[k][0]} AS ?c) }}" for k in kinds)
    typed_rows = select(graph, f"SELECT ?s ?c WHERE {{ {typed} }}")
    rows = []
    if own:
        rows += select(graph, f"SELECT ?s ?p ?v WHERE {{ VALUES ?p {{ {' '.join(map(iri_term, own))} }} ?s ?p ?v }}")
    if shared:
        rows += select(graph, f"""SELECT ?s ?p ?v WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c .
                                    VALUES ?p {{ {' '.join(map(iri_term, shared))} }} ?s ?p ?v }}""")
    return edges_from_rows(kinds, typed_rows, rows)


def edge_properties(kinds: Iterable[str] = ("referral", "supply", "relocation", "visit")) -> tuple[set[str], set[str]]:
    """(the role properties only relation facts use, the shared ones) of ``kinds``:
    :func:`relation_edges` reads the first of every subject, the second of the facts only."""
    roles = {_curie_iri(p) for k in kinds if k in _EDGE_ROLES
             for p in (_EDGE_ROLES[k][1], _EDGE_ROLES[k][2], *_EDGE_ROLES[k][3].values())}
    return {p for p in roles if p in _OWN_ROLES}, {p for p in roles if p not in _OWN_ROLES}


def edges_from_rows(kinds: list[str], typed_rows: Iterable[dict], rows: Iterable[dict]) -> list[dict]:
    """:func:`relation_edges` of the rows of its queries: ``typed_rows`` (``s``, ``c``: a fact
    and its class among ``kinds``' classes) and ``rows`` (``s``, ``p``, ``v``: the role values)."""
    cls_kind = {_curie_iri(_EDGE_ROLES[k][0]): k for k in kinds}
    roles = {(k, _curie_iri(p)): name for k in kinds
             for name, p in [("a", _EDGE_ROLES[k][1]), ("b", _EDGE_ROLES[k][2]), *_EDGE_ROLES[k][3].items()]}
    kind_of = {r["s"]: cls_kind[r["c"]] for r in typed_rows}
    vals: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for r in rows:
        kind = kind_of.get(r["s"])
        name = roles.get((kind, r["p"]))
        if name is not None and r["v"] is not None:
            vals[r["s"]][name].add(r["v"])
    out = []
    for kind in kinds:
        optional = _EDGE_ROLES[kind][3]
        for fact in sorted(f for f, k in kind_of.items() if k == kind):
            v = vals.get(fact, {})
            extra = {k: min(v[k], key=lambda x: (str(type(x)), x)) if v.get(k) else None for k in optional}
            for x in sorted(v.get("a", ())):
                for y in sorted(v.get("b", ())):
                    e = {"kind": kind, "fact": fact, "a": x, "b": y, "year": extra.get("year")}
                    if kind == "referral":
                        e["referral_kind"] = extra["referral_kind"]
                        e["stage"] = extra["stage"]
                    out.append(e)
    return out


_OWN_ROLES = {str(CG[p]) for p in ("referrer", "referee", "referralKind", "supplier", "customer")}
"""Properties only relation facts use (rdfs:domain in the TBox): scanned without a class join."""


def _curie_iri(curie: str) -> str:
    return str(CG[curie.split(":", 1)[1]])


def firm_graph(graph: rdflib.Graph, *, with_evidence: bool = True) -> nx.MultiDiGraph:
    """Firms, parks and places with one edge per relation fact.

    Nodes: firms (``kind="company"`` plus the :func:`firms` attributes), parks
    (``kind="park"``), places (``kind="place"``).  Edges (``kind``):

    * ``supply`` supplier → customer; ``referral`` referrer → referee (``referral_kind``
      IRI, ``stage`` IRI); ``relocation`` firm → origin place; ``visit`` park → firm;
    * ``located`` firm → park (derived from cg:park, no fact node).

    Every fact edge carries ``fact`` (the n-ary node IRI), ``year`` and, when
    ``with_evidence``, ``evidence`` (list of dicts from :func:`evidence_by_subject`).
    """
    lab = labels(graph)
    ev = evidence_by_subject(graph, ("Referral", "Supply", "Relocation", "Visit")) if with_evidence else {}
    import networkx as nx  # start-up: see chain_dag

    g = nx.MultiDiGraph()
    for iri, attrs in firms(graph, labels_by_iri=lab).items():
        g.add_node(iri, kind="company", **attrs)

    def ensure(node: str, kind: str) -> None:
        if node not in g:
            g.add_node(node, kind=kind, label=label_of(lab.get(node), node))

    for e in relation_edges(graph):
        kind, a, b = e["kind"], e["a"], e["b"]
        ensure(a, "park" if kind == "visit" else "company")
        ensure(b, "place" if kind == "relocation" else "company")
        attrs = {"kind": kind, "fact": e["fact"], "year": e["year"], "evidence": ev.get(e["fact"], [])}
        if kind == "referral":
            attrs["referral_kind"] = e["referral_kind"]
            attrs["stage"] = e["stage"]
        g.add_edge(a, b, key=e["fact"], **attrs)
    for iri, d in list(g.nodes(data=True)):
        if d.get("kind") == "company" and d.get("park"):
            ensure(d["park"], "park")
            g.add_edge(iri, d["park"], key="located", kind="located", fact=None, year=None, evidence=[])
    return g
