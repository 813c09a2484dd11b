"""Chains and their segments: the chain DAG (``feeds`` edges upstream → downstream)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rdflib

from chaingraph.lookup import local_name
from chaingraph.project.labels import label_of, labels
from chaingraph.store import select

if TYPE_CHECKING:
    import networkx as nx


def chains(graph: rdflib.Graph) -> dict[str, dict]:
    """``{chain_iri: {label, label_en, granularity}}`` for every cg:IndustryChain."""
    rows = select(graph, "SELECT ?c ?gran WHERE { ?c a cg:IndustryChain . OPTIONAL { ?c cg:granularity ?gran } }")
    lab = labels(graph, {r["c"] for r in rows})
    out = {}
    for r in sorted(rows, key=lambda r: (r["c"], r["gran"] is None, str(r["gran"]))):
        c = r["c"]
        out.setdefault(c, {"label": label_of(lab.get(c), c), "label_en": lab.get(c, {}).get("en"), "granularity": r["gran"]})
    return dict(sorted(out.items()))


def chain_dag(graph: rdflib.Graph, chain: str | None = None) -> nx.DiGraph:
    """Segments as a DAG with ``feeds`` edges (upstream → downstream).

    Node attributes: ``kind="segment"``, ``label``, ``label_en``, ``chain``, ``chain_label``,
    ``stage`` (上游/中游/下游), ``stage_order`` (1–3), ``leader_expected``, ``broader``
    (parent segment IRI or None), ``product_terms`` and ``industry_codes`` (sorted lists),
    ``same_activity`` (segments of other chains declared ``cg:sameActivityAs`` it, see
    :func:`_same_activity`).
    ``chain`` restricts to one chain's IRI.
    """
    chain_info = chains(graph)
    rows = select(
        graph,
        f"""SELECT ?s ?chain ?stage ?order ?leader ?broader WHERE {{
              ?s a cg:Segment . ?s cg:chain ?chain .
              ?s cg:stage ?stage . ?stage cg:order ?order .
              OPTIONAL {{ ?s cg:leaderExpected ?leader }}
              OPTIONAL {{ ?s skos:broader ?broader }} }}""",
    )
    every = rows  # the equivalent of a segment may lie outside ``chain``
    if chain is not None:  # filtered here, not in SPARQL: initBindings inside FILTER is not portable
        rows = [r for r in rows if r["chain"] == chain]
    import networkx as nx  # here, not at start-up: `company`, `stats`, `query` never build a graph

    # labels by the one rule (chaingraph.project.labels), not the first row the store returns
    lab = labels(graph, {x for r in every for x in (r["s"], r["stage"])})
    dag = nx.DiGraph()
    for r in sorted(rows, key=lambda r: tuple("" if r[k] is None else str(r[k]) for k in ("s", "chain", "stage", "order", "leader", "broader"))):
        if r["s"] in dag:
            continue
        dag.add_node(
            r["s"],
            kind="segment",
            label=label_of(lab.get(r["s"]), r["s"]),
            label_en=lab.get(r["s"], {}).get("en"),
            chain=r["chain"],
            chain_label=chain_info.get(r["chain"], {}).get("label", local_name(r["chain"])),
            stage=lab.get(r["stage"], {}).get("zh"),
            stage_order=int(r["order"]),
            leader_expected=bool(r["leader"]),
            broader=r["broader"],
            product_terms=[],
            process_terms=[],
            exclude_terms=[],
            industry_codes=[],
            same_activity=[],
        )
    _same_activity(graph, dag, every, lab, chain_info)
    for r in select(graph, "SELECT ?s ?t WHERE { ?s a cg:Segment ; cg:productTerm ?t }"):
        if r["s"] in dag:
            dag.nodes[r["s"]]["product_terms"].append(r["t"])
    # matching vocabulary (chaingraph.pool.matching): process/form words and look-alikes excluded
    for r in select(graph, "SELECT ?s ?p ?t WHERE { VALUES ?p { cg:processTerm cg:excludeTerm } ?s a cg:Segment ; ?p ?t }"):
        if r["s"] in dag:
            dag.nodes[r["s"]]["process_terms" if r["p"].endswith("processTerm") else "exclude_terms"].append(r["t"])
    for r in select(graph, "SELECT ?s ?c WHERE { ?s a cg:Segment ; cg:industryCode ?c }"):
        if r["s"] in dag:
            dag.nodes[r["s"]]["industry_codes"].append(str(r["c"]))
    for n in dag.nodes:
        dag.nodes[n]["product_terms"].sort()
        dag.nodes[n]["process_terms"].sort()
        dag.nodes[n]["exclude_terms"].sort()
        dag.nodes[n]["industry_codes"].sort()
    # the predicates as VALUES, not a FILTER over ?p: that read every triple (2 s at 100k firms)
    for r in select(graph, "SELECT ?a ?b ?p WHERE { VALUES ?p { cg:feeds cg:feedsAcross } ?a ?p ?b }"):
        if r["a"] in dag and r["b"] in dag:  # feedsAcross: a feed from another chain's segment
            dag.add_edge(r["a"], r["b"], kind="feeds" if r["p"].endswith("#feeds") else "feeds_across")
    dag.graph["chains"] = {c: chain_info[c] for c in sorted({d["chain"] for _, d in dag.nodes(data=True)}) if c in chain_info}
    return dag


def _same_activity(graph, dag, rows: list[dict], lab: dict, chain_info: dict) -> None:
    """Fill each node's ``same_activity``: the segments of other chains declared to name the same
    activity (``cg:sameActivityAs``, either direction; ``relation`` "same") or a part of its
    activity (``cg:includesActivityOf``, from the including segment only; ``relation``
    "includes"), each ``{segment, label, chain, chain_label, covers, relation}`` (``covers``: it
    and its sub-segments, sorted), so that a context restricted to one chain still finds the
    firms of an equivalent outside it."""
    seg_chain = {r["s"]: r["chain"] for r in rows}
    narrower: dict[str, set[str]] = {}
    for r in rows:
        if r["broader"]:
            narrower.setdefault(r["broader"], set()).add(r["s"])

    def covers(s: str) -> list[str]:
        out, todo = set(), [s]
        while todo:
            t = todo.pop()
            if t not in out:
                out.add(t)
                todo.extend(narrower.get(t, ()))
        return sorted(out)

    pairs: dict[tuple[str, str], str] = {}
    for r in select(graph, "SELECT ?a ?b ?p WHERE { VALUES ?p { cg:sameActivityAs cg:includesActivityOf } ?a ?p ?b }"):
        a, b = r["a"], r["b"]
        if a in seg_chain and b in seg_chain and seg_chain[a] != seg_chain[b]:
            if r["p"].endswith("#sameActivityAs"):
                pairs[(a, b)] = pairs[(b, a)] = "same"
            else:
                pairs.setdefault((a, b), "includes")
    for (a, b), relation in sorted(pairs.items()):
        if a in dag:
            dag.nodes[a]["same_activity"].append({
                "segment": b, "label": label_of(lab.get(b), b), "chain": seg_chain[b],
                "chain_label": chain_info.get(seg_chain[b], {}).get("label", local_name(seg_chain[b])),
                "covers": covers(b), "relation": relation})


def segments_in_order(dag: nx.DiGraph) -> list[str]:
    """Segments sorted upstream → downstream: by stage, then topological order, then label."""
    import networkx as nx  # start-up: see chain_dag

    topo = {n: i for i, n in enumerate(nx.lexicographical_topological_sort(dag, key=lambda n: dag.nodes[n]["label"]))}
    return sorted(dag.nodes, key=lambda n: (dag.nodes[n]["stage_order"], topo[n]))
