"""Building an analysis context: :func:`build_context` and its steps, in the order it takes them.

Resolve the park and chain, choose the focal parks (scope), rebuild the chain DAG from the
whole-graph facts (stored per build: :mod:`chaingraph.analysis.snapshot.context`), pick the
firm source (the build's index or SPARQL), find the local firms, and keep the statements,
counts and leader evidence that concern the focal parks.
"""

from __future__ import annotations

import networkx as nx
import rdflib

from chaingraph import project
from chaingraph.analysis import snapshot
from chaingraph.analysis import statements as stmts
from chaingraph.analysis.context.model import AnalysisContext
from chaingraph.analysis.snapshot import fresh
from chaingraph.analysis.source import FirmSource
from chaingraph.defaults import DEFAULT_PARK
from chaingraph.errors import ChaingraphError, NotFoundError
from chaingraph.lookup import chain_names, park_names, resolve
from chaingraph.store import build_of, derived

SCOPES = ("park", "city")


def firm_source(graph: rdflib.Graph) -> FirmSource:
    """The firm source for ``graph``: its build's snapshot when it is an embedded store, else SPARQL.

    The snapshot-backed source is kept with the open store (:func:`chaingraph.store.derived`), so
    contexts built on the same open graph share what it has loaded and derived.
    """
    if build_of(graph) is None:
        return FirmSource(graph)
    kept = derived(graph)
    if "firm_source" not in kept:
        kept["firm_source"] = snapshot.SnapshotFirmSource(graph, snapshot.ensure(graph))
    return kept["firm_source"]


def build_context(graph: rdflib.Graph, *, park: str = DEFAULT_PARK, scope: str = "park",
                  chain: str | None = None) -> AnalysisContext:
    """Project ``graph`` once for the chain analyses of one park (or its whole city).

    Parameters
    ----------
    graph : rdflib.Graph
        The knowledge graph (ontology, chain templates and data).
    park : str
        Park name, alias, slug or IRI (fuzzy; default 永州经开区).
    scope : {"park", "city"}
        ``park``: the park's own firms; ``city``: firms of every park in the park's city
        (plus city firms with no park recorded).
    chain : str, optional
        Chain IRI or exact name (label, English label or slug, either script; as
        :func:`resolve_chain`) to restrict the DAG to; default every chain with segments.

    Returns
    -------
    AnalysisContext

    Raises
    ------
    NotFoundError
        When ``park`` or ``chain`` names nothing; the message lists the closest matches.

    Examples
    --------
    >>> from chaingraph.analysis.context import example_graph
    >>> g = example_graph()
    >>> build_context(g, park="demo-park", chain="示范链").dag.number_of_nodes()
    5
    >>> build_context(g, park="Nowhere Park")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    chaingraph.errors.NotFoundError: unknown park: 'Nowhere Park'
    closest matches: ...
    """
    if scope not in SCOPES:
        raise ChaingraphError(f"unknown scope {scope!r}; choose one of {', '.join(SCOPES)}")
    facts = graph_facts(graph)
    park_info = fresh(facts["parks"])
    if not park_info:
        raise NotFoundError("park", park, [])
    park_iri = resolve(park, park_names(park_info), "park")
    chain_iri = resolve(chain, chain_names(facts["chains"]), "chain", exact=True) if chain else None
    city = park_info[park_iri]["city"]
    focal = _focal_parks(park_info, park_iri, scope)
    dag = _dag(facts, chain_iri)
    source = firm_source(graph)
    local = _local_firms(graph, source, focal, city if scope == "city" else None)
    return AnalysisContext(
        focus_chains=_focus_chains(park_info, focal, dag, chain_iri), dag=dag, park=park_iri,
        park_label=park_info[park_iri]["label"], parks=focal, scope=scope, chain=chain_iri,
        chains=dict(dag.graph.get("chains", {})), local_firms=frozenset(local), source=source,
        leaders=frozenset(source.leaders()),
        **_about_focus(facts, park_info, set(focal), local, city, scope),
        park_info=park_info, city=city,
    )


def graph_facts(graph: rdflib.Graph) -> dict:
    """The whole-graph reads a context starts from (:func:`chaingraph.analysis.snapshot.compute_context`):
    from the build's stored copy on an embedded store (shared: copy what you keep), else queried."""
    stored = snapshot.context_facts(graph)
    return stored if stored is not None else snapshot.compute_context(graph)


def _focal_parks(park_info: dict, park: str, scope: str) -> tuple[str, ...]:
    """The focal parks: ``park`` itself, or (city scope, when it has a city) every park of its city, sorted."""
    city = park_info[park]["city"]
    if scope == "city" and city:
        return tuple(sorted(p for p, d in park_info.items() if d["city"] == city))
    return (park,)


def _dag(facts: dict, chain: str | None) -> nx.DiGraph:
    """:func:`chaingraph.project.chain_dag` (``chain``: that chain's segments only) rebuilt from
    the stored nodes and edges, in the order it adds them."""
    dag = nx.DiGraph()
    dag.add_nodes_from((n, fresh(d)) for n, d in facts["dag_nodes"] if chain is None or d["chain"] == chain)
    dag.add_edges_from((a, b, fresh(d)) for a, b, d in facts["dag_edges"] if a in dag and b in dag)
    chain_info = fresh(facts["chains"])
    dag.graph["chains"] = {c: chain_info[c] for c in sorted({d["chain"] for _, d in dag.nodes(data=True)}) if c in chain_info}
    return dag


def _local_firms(graph, source: FirmSource, focal: tuple[str, ...], city: str | None) -> set[str]:
    """Firms settled in a focal park (each firm keeps its smallest park, as in project.firms),
    plus, when ``city`` is given (city scope), the city's firms with no park recorded."""
    local = {f for f, p in source.firms_in_parks(focal).items() if p in focal}
    if city:
        city_firms = project.firms_in_cities(graph, [city], without_park=True)
        if city_firms:  # the smallest city counts, as in project.firms
            local |= {f for f, d in source.attrs(city_firms).items() if d.get("city") == city}
    return local


def _about_focus(facts: dict, park_info: dict, focal: set[str], local: set[str], city: str | None,
                 scope: str) -> dict:
    """The context fields taken from the whole-graph facts that concern the focal parks and their
    local firms: reported counts and shares, planning and segment statements, leader evidence
    (copies: the stored facts are shared)."""
    return {
        "reported_counts": fresh([c for c in facts["reported_counts"] if c["park"] in focal]),
        "reported_shares": fresh([s for s in facts["reported_shares"] if s["park"] in focal]),
        "planning": fresh(_planning(facts, park_info, focal, city, scope)),
        "statements": fresh(_statements(facts, park_info, focal, local, city, scope)),
        "leader_info": {f: fresh(v) for f, v in facts["leader_evidence"].items() if f in local},
    }


def _planning(facts: dict, park_info: dict, focal: set[str], city: str | None, scope: str) -> list[dict]:
    """Planning statements about the focal parks, no park in particular, or (city scope) a
    park of the city; each with ``scope`` and its host park's evidence left out."""
    hosts = facts["host_parks"]
    return [
        dict(stmts.without_host_evidence(p, hosts.get(p["fact"])), scope="city" if p["park"] is None else "park")
        for p in facts["planning"]
        if p["park"] is None or p["park"] in focal
        or (city and park_info.get(p["park"], {}).get("city") == city and scope == "city")
    ]


def _statements(facts: dict, park_info: dict, focal: set[str], local: set[str], city: str | None,
                scope: str) -> list[dict]:
    """Segment statements about the focal parks, their local firms, or (city scope) the city."""
    return [
        s for s in facts["segment_statements"]
        if (s["park"] in focal) or (s["firm"] is not None and s["firm"] in local)
        or (scope == "city" and city and (s["city"] == city or park_info.get(s["park"], {}).get("city") == city))
    ]


def _focus_chains(park_info: dict, focal: tuple[str, ...], dag: nx.DiGraph, chain: str | None) -> tuple[str, ...]:
    """``chain`` when given, else the focal parks' leading and characteristic chains that have
    a template, else every chain in the DAG."""
    if chain:
        return (chain,)
    in_dag = set(dag.graph.get("chains", {}))
    assigned = {c for p in focal for c in park_info[p]["leading_chains"] + park_info[p]["characteristic_chains"]}
    return tuple(sorted(assigned & in_dag)) or tuple(sorted(in_dag))

