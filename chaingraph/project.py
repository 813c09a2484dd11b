"""Project the RDF graph onto NetworkX graphs with plain attributes.

This is the only module that turns RDF terms into Python data for analysis.  Node ids are
IRI strings; attributes are ``str``/``int``/``float``/``bool``/``list``/``None``.  Labels are
Chinese first, English as fallback, the IRI's last segment last.

* :func:`chain_dag` — segments of one or all chains, ``feeds`` edges upstream → downstream.
* :func:`firm_graph` — firms, parks and places with ``supply``, ``referral``, ``relocation``,
  ``visit`` and ``located`` edges (a MultiDiGraph: one edge per fact, with its evidence).

Every query here uses standard SPARQL 1.1 only, so the same code runs against a remote
endpoint.

Examples
--------
>>> from chaingraph.store import load_files, ontology_files
>>> g = load_files(ontology_files())
>>> dag = chain_dag(g, "https://w3id.org/chaingraph/id/chain/electronic-devices")
>>> dag.number_of_nodes() >= 25
True
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Iterable

import rdflib

from chaingraph.lookup import local_name
from chaingraph.namespaces import CG, RDF
from chaingraph.store import iri_term, select, select_in

if TYPE_CHECKING:
    import networkx as nx


def labels(graph: rdflib.Graph, subjects: Iterable[str] | None = None) -> dict[str, dict[str, str]]:
    """``{iri: {"zh": …, "en": …}}`` for every subject with an rdfs:label.

    ``subjects`` restricts the answer (and the query, through a ``VALUES`` list) to those IRIs,
    so labelling a few firms does not fetch the labels of a whole candidate pool.
    """
    out: dict[str, dict[str, str]] = defaultdict(dict)
    query = "SELECT ?s ?l (LANG(?l) AS ?lang) WHERE { ?s rdfs:label ?l }"
    rows = select(graph, query) if subjects is None else select_in(graph, query, "s", subjects)
    for r in rows:
        lang = (r["lang"] or "zh").split("-")[0].lower()
        out[r["s"]].setdefault(lang, r["l"])
    return dict(out)


def label_of(labels_by_lang: dict[str, str] | None, iri: str) -> str:
    """Chinese label, else English, else the IRI's local name."""
    labels_by_lang = labels_by_lang or {}
    return labels_by_lang.get("zh") or labels_by_lang.get("en") or local_name(iri)


# ---------------------------------------------------------------- chains


def chains(graph: rdflib.Graph) -> dict[str, dict]:
    """``{chain_iri: {label, label_en, granularity}}`` for every cg:IndustryChain."""
    rows = select(
        graph,
        """SELECT ?c ?zh ?en ?gran WHERE { ?c a cg:IndustryChain .
             OPTIONAL { ?c rdfs:label ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }
             OPTIONAL { ?c rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }
             OPTIONAL { ?c cg:granularity ?gran } }""",
    )
    out = {}
    for r in rows:
        out.setdefault(
            r["c"],
            {"label": r["zh"] or r["en"] or local_name(r["c"]), "label_en": r["en"], "granularity": r["gran"]},
        )
    return dict(sorted(out.items()))


def chain_dag(graph: rdflib.Graph, chain: str | None = None) -> nx.DiGraph:
    """Segments as a DAG with ``feeds`` edges (upstream → downstream).

    Node attributes: ``kind="segment"``, ``label``, ``label_en``, ``chain``, ``chain_label``,
    ``stage`` (上游/中游/下游), ``stage_order`` (1–3), ``leader_expected``, ``broader``
    (parent segment IRI or None), ``product_terms`` and ``industry_codes`` (sorted lists).
    ``chain`` restricts to one chain's IRI.
    """
    chain_info = chains(graph)
    rows = select(
        graph,
        f"""SELECT ?s ?chain ?stageLabel ?order ?zh ?en ?leader ?broader WHERE {{
              ?s a cg:Segment . ?s cg:chain ?chain .
              ?s cg:stage ?stage . ?stage cg:order ?order .
              OPTIONAL {{ ?stage rdfs:label ?stageLabel FILTER(LANGMATCHES(LANG(?stageLabel), "zh")) }}
              OPTIONAL {{ ?s rdfs:label ?zh FILTER(LANGMATCHES(LANG(?zh), "zh")) }}
              OPTIONAL {{ ?s rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }}
              OPTIONAL {{ ?s cg:leaderExpected ?leader }}
              OPTIONAL {{ ?s skos:broader ?broader }} }}""",
    )
    if chain is not None:  # filtered here, not in SPARQL: initBindings inside FILTER is not portable
        rows = [r for r in rows if r["chain"] == chain]
    import networkx as nx  # here, not at start-up: `company`, `stats`, `query` never build a graph

    dag = nx.DiGraph()
    for r in sorted(rows, key=lambda r: r["s"]):
        if r["s"] in dag:
            continue
        dag.add_node(
            r["s"],
            kind="segment",
            label=r["zh"] or r["en"] or local_name(r["s"]),
            label_en=r["en"],
            chain=r["chain"],
            chain_label=chain_info.get(r["chain"], {}).get("label", local_name(r["chain"])),
            stage=r["stageLabel"],
            stage_order=int(r["order"]),
            leader_expected=bool(r["leader"]),
            broader=r["broader"],
            product_terms=[],
            process_terms=[],
            exclude_terms=[],
            industry_codes=[],
        )
    for r in select(graph, "SELECT ?s ?t WHERE { ?s a cg:Segment ; cg:productTerm ?t }"):
        if r["s"] in dag:
            dag.nodes[r["s"]]["product_terms"].append(r["t"])
    # matching vocabulary (chaingraph.pool.matching): process/form words and look-alikes excluded
    for r in select(graph, "SELECT ?s ?p ?t WHERE { ?s a cg:Segment ; ?p ?t FILTER(?p IN (cg:processTerm, cg:excludeTerm)) }"):
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
    for r in select(graph, "SELECT ?a ?b ?p WHERE { ?a ?p ?b FILTER(?p IN (cg:feeds, cg:feedsAcross)) }"):
        if r["a"] in dag and r["b"] in dag:  # feedsAcross: a feed from another chain's segment
            dag.add_edge(r["a"], r["b"], kind="feeds" if r["p"].endswith("#feeds") else "feeds_across")
    dag.graph["chains"] = {c: chain_info[c] for c in sorted({d["chain"] for _, d in dag.nodes(data=True)}) if c in chain_info}
    return dag


def segments_in_order(dag: nx.DiGraph) -> list[str]:
    """Segments sorted upstream → downstream: by stage, then topological order, then label."""
    import networkx as nx

    topo = {n: i for i, n in enumerate(nx.lexicographical_topological_sort(dag, key=lambda n: dag.nodes[n]["label"]))}
    return sorted(dag.nodes, key=lambda n: (dag.nodes[n]["stage_order"], topo[n]))


# ---------------------------------------------------------------- firms


def evidence_by_subject(graph: rdflib.Graph, classes: Iterable[str] | None = None, *,
                        subjects: Iterable[str] | None = None) -> dict[str, list[dict]]:
    """``{subject_iri: [{source, title, quote, start, end, confidence}]}`` sorted by source, start.

    ``classes`` (``cg:`` local names such as ``"Referral"``) restricts the subjects to
    instances of those classes, so a large candidate pool's evidence is not fetched when only
    relation facts are needed.  ``subjects`` restricts to those IRIs (a ``VALUES`` list).
    """
    restrict = ""
    if classes is not None:
        restrict = "VALUES ?cls { " + " ".join(CG[c].n3() for c in classes) + " } ?s a ?cls ."
    run = (lambda q: select(graph, q)) if subjects is None else (lambda q: select_in(graph, q, "s", subjects))
    rows = run(
        f"""SELECT ?s ?src ?title ?file ?quote ?start ?end ?conf WHERE {{ {restrict}
             ?s cg:evidence ?e . ?e cg:source ?src .
             OPTIONAL {{ ?e cg:quote ?quote }} OPTIONAL {{ ?e cg:start ?start }} OPTIONAL {{ ?e cg:end ?end }}
             OPTIONAL {{ ?e cg:confidence ?conf }}
             OPTIONAL {{ ?src dcterms:title ?title }} OPTIONAL {{ ?src cg:fileName ?file }} }}""",
    )
    out: dict[str, list[dict]] = defaultdict(list)
    seen = set()
    for r in rows:
        key = (r["s"], r["src"], r["start"], r["end"], r["quote"])
        if key in seen:
            continue
        seen.add(key)
        out[r["s"]].append(
            {
                "source": r["src"],
                "title": r["title"] or r["file"] or local_name(r["src"]),
                "quote": r["quote"],
                "start": r["start"],
                "end": r["end"],
                "confidence": r["conf"],
            }
        )
    for v in out.values():
        v.sort(key=lambda e: (e["source"], e["start"] if e["start"] is not None else -1, e["quote"] or ""))
    return dict(out)


def _multi(graph, query: str) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for r in select(graph, query):
        if r["v"] not in out[r["s"]]:
            out[r["s"]].append(r["v"])
    return out


_FIRM_PROPS = {
    "full": "cg:fullName", "park": "cg:park", "city": "cg:city", "origin": "cg:origin",
    "xs": "cg:xiangshang", "code": "cg:stockCode", "aliases": "cg:shortName", "tiers": "cg:tier",
    "segments": "cg:inSegment", "products": "cg:makes",
}


def _firm_values(graph, prop: str, iris: list[str] | None, companies: set[str]) -> dict[str, list]:
    """``{firm: [values…]}`` of one property: one narrow query, no OPTIONAL joins."""
    query = f"SELECT ?s ?v WHERE {{ ?s {prop} ?v }}"
    rows = select(graph, query) if iris is None else select_in(graph, query, "s", iris)
    out: dict[str, list] = defaultdict(list)
    for r in rows:
        if r["s"] in companies and r["v"] not in out[r["s"]]:
            out[r["s"]].append(r["v"])
    return out


def _bound_firm_values(graph, iris: list[str]) -> tuple[set[str], dict[str, dict[str, list]]]:
    """(the cg:Company among ``iris``, ``{key: {firm: [values…]}}`` for :data:`_FIRM_PROPS`) from
    one query per chunk of firms: the subjects and the properties are both ``VALUES`` lists, so a
    server answers with index lookups and one round trip instead of one per property."""
    iri_of = {str(CG[p[3:]]): k for k, p in _FIRM_PROPS.items()}
    props = " ".join(["rdf:type", *_FIRM_PROPS.values()])
    rows = select_in(graph, f"SELECT ?s ?p ?v WHERE {{ VALUES ?p {{ {props} }} ?s ?p ?v }}", "s", iris)
    companies = {r["s"] for r in rows if r["p"] == RDF_TYPE and r["v"] == str(CG.Company)}
    vals: dict[str, dict[str, list]] = {k: defaultdict(list) for k in _FIRM_PROPS}
    for r in rows:
        key = iri_of.get(r["p"])
        if key is not None and r["s"] in companies and r["v"] not in vals[key][r["s"]]:
            vals[key][r["s"]].append(r["v"])
    return companies, vals


RDF_TYPE = str(RDF.type)


def firms(graph: rdflib.Graph, iris: Iterable[str] | None = None, *,
          labels_by_iri: dict[str, dict[str, str]] | None = None) -> dict[str, dict]:
    """Every cg:Company with its plain attributes, keyed by IRI (sorted).

    Keys: ``label``, ``full_name``, ``aliases`` (short names, sorted), ``park``, ``park_label``,
    ``city``, ``city_label``, ``origin``, ``origin_label``, ``tiers`` (Chinese labels),
    ``tier_iris``, ``segments`` (IRIs), ``products`` (Chinese labels), ``stock_code``,
    ``xiangshang`` (bool).  A firm with several parks, cities, origins or full names keeps the
    smallest (stable whatever the store's row order).

    ``iris`` restricts the answer to those firms: every query then carries them as a ``VALUES``
    list, so the cost follows the firms asked about, not the size of the graph.  Labels come from
    ``labels_by_iri`` when given (it must cover the firms and the IRIs they point to).
    """
    wanted = None if iris is None else sorted(set(iris))
    if wanted is None:
        companies = {r["f"] for r in select(graph, "SELECT ?f WHERE { ?f a cg:Company }")}
        vals = {k: _firm_values(graph, prop, wanted, companies) for k, prop in _FIRM_PROPS.items()}
    else:
        companies, vals = _bound_firm_values(graph, wanted)

    def first(key: str, f: str):
        v = vals[key].get(f)
        return min(v, key=lambda x: (str(type(x)), x)) if v else None

    lab = labels_by_iri
    if lab is None:
        if wanted is None:
            lab = labels(graph)
        else:
            need = set(companies)
            for key in ("park", "city", "origin", "tiers", "products"):
                for v in vals[key].values():
                    need.update(x for x in v if isinstance(x, str))
            lab = labels(graph, need)
    out: dict[str, dict] = {}
    for f in sorted(companies):
        park, city, origin = first("park", f), first("city", f), first("origin", f)
        tiers = vals["tiers"].get(f, [])
        out[f] = {
            "label": label_of(lab.get(f), f),
            "full_name": first("full", f),
            "aliases": sorted(vals["aliases"].get(f, [])),
            "park": park,
            "park_label": label_of(lab.get(park), park) if park else None,
            "city": city,
            "city_label": label_of(lab.get(city), city) if city else None,
            "origin": origin,
            "origin_label": label_of(lab.get(origin), origin) if origin else None,
            "tiers": sorted(label_of(lab.get(t), t) for t in tiers),
            "tier_iris": sorted(tiers),
            "segments": sorted(vals["segments"].get(f, [])),
            "products": sorted(label_of(lab.get(p), p) for p in vals["products"].get(f, [])),
            "stock_code": first("code", f),
            "xiangshang": bool(first("xs", f)),
        }
    return out


def firms_in_parks(graph: rdflib.Graph, parks_: Iterable[str]) -> dict[str, str]:
    """``{firm: park}`` for the cg:Company whose ``cg:park`` is one of ``parks_``.

    ``park`` is the firm's smallest park IRI (as in :func:`firms`), which may be outside ``parks_``.
    """
    rows = select_in(graph, "SELECT ?f ?q WHERE { ?f cg:park ?p . ?f a ?t FILTER(?t = cg:Company) ?f cg:park ?q }", "p", parks_)
    out: dict[str, str] = {}
    for r in rows:
        if r["f"] not in out or r["q"] < out[r["f"]]:
            out[r["f"]] = r["q"]
    return dict(sorted(out.items()))


def firm_parks(graph: rdflib.Graph) -> dict[str, list[str]]:
    """``{firm: [park…]}``: every ``cg:park`` of every cg:Company (sorted lists)."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in select(graph, "SELECT ?f ?p WHERE { ?f cg:park ?p . ?f a cg:Company }"):
        out[r["f"]].add(r["p"])
    return {f: sorted(v) for f, v in sorted(out.items())}


def firm_names(graph: rdflib.Graph, iris: Iterable[str]) -> dict[str, dict]:
    """``{firm: {label, full_name, aliases}}`` for every IRI in ``iris`` (the same values as
    :func:`firms` for a cg:Company; an unknown IRI gets its last segment as label).  Three narrow
    queries instead of :func:`firms`' ten."""
    wanted = sorted(set(iris))
    lab = labels(graph, wanted)
    full = _firm_values(graph, "cg:fullName", wanted, set(wanted))
    short = _firm_values(graph, "cg:shortName", wanted, set(wanted))
    return {f: {"label": label_of(lab.get(f), f), "full_name": min(full[f]) if full.get(f) else None,
                "aliases": sorted(short.get(f, []))} for f in wanted}


def firms_in_cities(graph: rdflib.Graph, cities: Iterable[str], *, without_park: bool = False) -> list[str]:
    """cg:Company IRIs whose ``cg:city`` is one of ``cities`` (only those with no park: ``without_park``)."""
    rows = select_in(graph, "SELECT ?f WHERE { ?f cg:city ?c . ?f a ?t FILTER(?t = cg:Company) }", "c", cities)
    found = {r["f"] for r in rows}
    if without_park and found:
        parked = {r["s"] for r in select_in(graph, "SELECT ?s WHERE { ?s cg:park ?p }", "s", found)}
        found -= parked
    return sorted(found)


#: Graph pattern binding ``?f`` to the cg:Company of segment ``?s`` (own segment or a product's);
#: ``#VALUES`` marks where each branch takes the ``VALUES ?s`` list.
SEGMENT_MEMBERS = """{ #VALUES
             ?f cg:inSegment ?s . ?f a ?t FILTER(?t = cg:Company) } UNION { #VALUES
             ?q cg:inSegment ?s . ?f cg:makes ?q . ?f a ?t FILTER(?t = cg:Company) }"""


def firms_in_segments(graph: rdflib.Graph, segments: Iterable[str]) -> dict[str, list[str]]:
    """``{firm: [segment…]}``: firms whose own segments (:func:`firm_segments`) include one of
    ``segments`` — only those segments are listed.  Filtered on the server with ``VALUES``."""
    rows = select_in(
        graph,
        f"SELECT ?f ?s WHERE {{ {SEGMENT_MEMBERS} }}",
        "s", segments,
    )
    out: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        out[r["f"]].add(r["s"])
    return {f: sorted(v) for f, v in sorted(out.items())}


def count_segment_members(graph: rdflib.Graph, segments: Iterable[str], *, head: int = 0) -> tuple[int, list[str]]:
    """(number of firms of :func:`firms_in_segments` for ``segments``, the first ``head`` by IRI).

    Counted by the store (``COUNT(DISTINCT ?f)``), so a pool's members are not transferred.
    """
    segments = sorted(set(segments))
    if not segments:
        return 0, []
    rows = select_in(graph, f"SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {{ {SEGMENT_MEMBERS} }}", "s", segments, chunk=len(segments))
    count = int(rows[0]["n"]) if rows else 0
    first: list[str] = []
    if head and count:
        rows = select_in(graph, f"SELECT DISTINCT ?f WHERE {{ {SEGMENT_MEMBERS} }} ORDER BY STR(?f) LIMIT {int(head)}",
                         "s", segments, chunk=len(segments))
        first = sorted(r["f"] for r in rows)
    return count, first


#: The firm attributes ranking reads for every candidate (see :func:`segment_members`).
SUMMARY_KEYS = ("label", "full_name", "aliases", "park", "city", "tier_iris", "tiers", "products", "xiangshang")


_SUMMARY_PROPS = {"park": "cg:park", "full": "cg:fullName", "aliases": "cg:shortName", "city": "cg:city",
                  "tiers": "cg:tier", "xs": "cg:xiangshang", "products": "cg:makes"}


def segment_members(graph: rdflib.Graph, segments: Iterable[str]) -> dict[str, dict]:
    """The firms of :func:`firms_in_segments` with a summary of each, from one query per chunk.

    ``{firm: {"segments": [...], <SUMMARY_KEYS>}}``; the summary values equal those of
    :func:`firms` (a pool's candidates are scored without fetching every attribute of each:
    the query is bound to the segments, not to thousands of firm IRIs).  One row per fact (a
    UNION of plain patterns), not a row per firm from OPTIONALs: Debian's Virtuoso 7.2 drops
    OPTIONAL matches when it hash-joins several of them over many firms.
    """
    facts = " UNION ".join(f'{{ ?f {p} ?v BIND("{k}" AS ?k) }}' for k, p in _SUMMARY_PROPS.items())
    rows = select_in(
        graph,
        f"""SELECT ?f ?s ?k ?v ?lang WHERE {{ {SEGMENT_MEMBERS}
             {facts} UNION {{ ?f rdfs:label ?v BIND("label" AS ?k) BIND(LANG(?v) AS ?lang) }}
             UNION {{ BIND("member" AS ?k) }} }}""",
        "s", segments,
    )
    vals: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, dict[str, str]] = defaultdict(dict)
    for r in rows:
        v = vals[r["f"]]
        if r["s"] not in v["segments"]:
            v["segments"].append(r["s"])
        if r["k"] == "label":
            names[r["f"]].setdefault((r["lang"] or "zh").split("-")[0].lower(), r["v"])
        elif r["k"] in _SUMMARY_PROPS and r["v"] is not None and r["v"] not in v[r["k"]]:
            v[r["k"]].append(r["v"])
    lab = labels(graph, {x for v in vals.values() for k in ("tiers", "products") for x in v[k]})

    def first(values: list):
        return min(values, key=lambda x: (str(type(x)), x)) if values else None

    out = {}
    for f in sorted(vals):
        v = vals[f]
        out[f] = {
            "segments": sorted(v["segments"]),
            "label": label_of(names.get(f), f),
            "full_name": first(v["full"]),
            "aliases": sorted(v["aliases"]),
            "park": first(v["park"]),
            "city": first(v["city"]),
            "tier_iris": sorted(v["tiers"]),
            "tiers": sorted(label_of(lab.get(t), t) for t in v["tiers"]),
            "products": sorted(label_of(lab.get(p), p) for p in v["products"]),
            "xiangshang": bool(first(v["xs"])),
        }
    return out


def names_of(firm: dict) -> list[str]:
    """All names a firm goes by: label, full name, aliases (deduplicated, stable order)."""
    names = [firm["label"], firm.get("full_name"), *firm.get("aliases", [])]
    return list(dict.fromkeys(n for n in names if n))


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
    cls_kind = {_curie_iri(_EDGE_ROLES[k][0]): k for k in kinds}
    roles = {(k, _curie_iri(p)): name for k in kinds
             for name, p in [("a", _EDGE_ROLES[k][1]), ("b", _EDGE_ROLES[k][2]), *_EDGE_ROLES[k][3].items()]}
    classes = " ".join(_EDGE_ROLES[k][0] for k in kinds)
    own = sorted({p for k, p in roles if p in _OWN_ROLES})
    shared = sorted({p for k, p in roles if p not in _OWN_ROLES})
    # a UNION, not VALUES ?c: Virtuoso plans "VALUES ?c … ?s a ?c" as a scan of every rdf:type (8x slower)
    typed = " UNION ".join(f"{{ ?s a {_EDGE_ROLES[k][0]} BIND({_EDGE_ROLES[k][0]} AS ?c) }}" for k in kinds)
    kind_of = {r["s"]: cls_kind[r["c"]] for r in select(graph, f"SELECT ?s ?c WHERE {{ {typed} }}")}
    rows = []
    if own:
        rows += select(graph, f"SELECT ?s ?p ?v WHERE {{ VALUES ?p {{ {' '.join(map(iri_term, own))} }} ?s ?p ?v }}")
    if shared:
        rows += select(graph, f"""SELECT ?s ?p ?v WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c .
                                    VALUES ?p {{ {' '.join(map(iri_term, shared))} }} ?s ?p ?v }}""")
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


# ---------------------------------------------------------------- segments of firms


def firm_segments(graph: rdflib.Graph, iris: Iterable[str] | None = None) -> dict[str, list[str]]:
    """``{firm_iri: [segment_iri, …]}``: a firm's cg:inSegment plus the segments of the products it makes.

    A firm whose source names only a product (``cg:makes``, the product ``cg:inSegment``) still
    counts in that product's segments.  Lists are sorted; firms without segments are absent.
    ``iris`` restricts the query to those firms (a ``VALUES`` list).
    """
    if iris is None:
        rows = select(graph, """SELECT ?f ?s WHERE { ?f a cg:Company .
             { ?f cg:inSegment ?s } UNION { ?f cg:makes ?p . ?p cg:inSegment ?s } }""")
    else:  # two plain joins, the bound firm's type first: Virtuoso plans other shapes badly (4 s vs 0.01 s)
        iris = list(iris)
        rows = select_in(graph, "SELECT ?f ?s WHERE { ?f a ?t FILTER(?t = cg:Company) ?f cg:inSegment ?s }", "f", iris)
        rows += select_in(graph, """SELECT ?f ?s WHERE { ?f a ?t FILTER(?t = cg:Company)
             ?f cg:makes ?p . ?p cg:inSegment ?s }""", "f", iris)
    out: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        out[r["f"]].add(r["s"])
    return {f: sorted(s) for f, s in sorted(out.items())}


def chain_leaders(graph: rdflib.Graph) -> list[str]:
    """Firms that lead a chain: tier cg:ChainLeader, or referrer of a cg:LeaderPull referral (sorted)."""
    rows = select(
        graph,
        """SELECT DISTINCT ?f WHERE {
             { ?f cg:tier cg:ChainLeader } UNION
             { ?r a cg:Referral ; cg:referrer ?f ; cg:referralKind cg:LeaderPull } }""",
    )
    return sorted({r["f"] for r in rows})


# ---------------------------------------------------------------- parks


def parks(graph: rdflib.Graph) -> dict[str, dict]:
    """Every cg:Park with plain attributes, keyed by IRI (sorted).

    Keys: ``label``, ``label_en``, ``full_name``, ``aliases`` (sorted), ``city``, ``city_label``,
    ``level`` (IRI), ``level_label``, ``leading_chains`` and ``characteristic_chains`` (sorted IRIs).
    """
    rows = select(
        graph,
        """SELECT ?p ?full ?city ?level WHERE { ?p a cg:Park .
             OPTIONAL { ?p cg:fullName ?full } OPTIONAL { ?p cg:city ?city }
             OPTIONAL { ?p cg:parkLevel ?level } }""",
    )
    aliases = _multi(graph, "SELECT ?s ?v WHERE { ?s a cg:Park ; cg:shortName ?v }")
    leading = _multi(graph, "SELECT ?s ?v WHERE { ?s a cg:Park ; cg:leadingChain ?v }")
    charact = _multi(graph, "SELECT ?s ?v WHERE { ?s a cg:Park ; cg:characteristicChain ?v }")
    lab = labels(graph, {x for r in rows for x in (r["p"], r["city"], r["level"]) if x})
    out: dict[str, dict] = {}
    for r in sorted(rows, key=lambda r: (r["p"], r["city"] or "", r["level"] or "")):
        p = r["p"]
        if p in out:
            continue
        out[p] = {
            "label": label_of(lab.get(p), p),
            "label_en": lab.get(p, {}).get("en"),
            "full_name": r["full"],
            "aliases": sorted(aliases.get(p, [])),
            "city": r["city"],
            "city_label": label_of(lab.get(r["city"]), r["city"]) if r["city"] else None,
            "level": r["level"],
            "level_label": label_of(lab.get(r["level"]), r["level"]) if r["level"] else None,
            "leading_chains": sorted(leading.get(p, [])),
            "characteristic_chains": sorted(charact.get(p, [])),
        }
    return out


# ---------------------------------------------------------------- places


def place_iris(graph: rdflib.Graph) -> set[str]:
    """Every cg:Place (cities, provinces, regions)."""
    return {r["p"] for r in select(graph, "SELECT DISTINCT ?p WHERE { ?p a cg:Place }")}


def place_names(graph: rdflib.Graph) -> dict[str, str]:
    """``{place name: place IRI}`` for every cg:Place label or short name."""
    rows = select(
        graph,
        "SELECT ?p ?n WHERE { ?p a cg:Place . { ?p rdfs:label ?n } UNION { ?p cg:shortName ?n } }",
    )
    return {r["n"]: r["p"] for r in sorted(rows, key=lambda r: (r["n"], r["p"]))}


# ---------------------------------------------------------------- aggregates and planning


def _evidence_brief(ev: dict[str, list[dict]], subject: str) -> list[dict]:
    return [{"source": e["source"], "title": e["title"], "quote": e["quote"]} for e in ev.get(subject, [])]


def reported_counts(graph: rdflib.Graph) -> list[dict]:
    """Every cg:ReportedCount, sorted by park, chain, segment, fact.

    Keys: ``fact``, ``park``, ``segment`` (IRI or None), ``chain`` (the cg:aboutChain, or the
    segment's chain, or None), ``metric``, ``count`` (int), ``population``, ``year``,
    ``whole`` (``cg:wholePopulation``: the count covers every firm of the park in that chain or
    segment, not a subset such as returning firms), ``evidence`` (list of ``{source, title, quote}``).
    """
    rows = select(
        graph,
        """SELECT ?fact ?park ?seg ?about ?segchain ?metric ?count ?pop ?year ?whole WHERE {
             ?fact a cg:ReportedCount ; cg:count ?count . OPTIONAL { ?fact cg:wholePopulation ?whole }
             OPTIONAL { ?fact cg:park ?park } OPTIONAL { ?fact cg:metric ?metric }
             OPTIONAL { ?fact cg:segment ?seg OPTIONAL { ?seg cg:chain ?segchain } }
             OPTIONAL { ?fact cg:aboutChain ?about }
             OPTIONAL { ?fact cg:population ?pop } OPTIONAL { ?fact cg:year ?year } }""",
    )
    ev = evidence_by_subject(graph, ("ReportedCount",))
    out, seen = [], set()
    for r in rows:
        key = (r["fact"], r["seg"], r["about"])
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {
                "fact": r["fact"],
                "park": r["park"],
                "segment": r["seg"],
                "chain": r["about"] or r["segchain"],
                "metric": r["metric"],
                "count": int(r["count"]),
                "population": r["pop"],
                "year": r["year"],
                "whole": r["whole"] in (True, "true", "1"),
                "evidence": _evidence_brief(ev, r["fact"]),
            }
        )
    out.sort(key=lambda c: (c["park"] or "", c["chain"] or "", c["segment"] or "", c["fact"]))
    return out


def reported_shares(graph: rdflib.Graph) -> list[dict]:
    """Every cg:ReportedShare: ``fact``, ``park``, ``metric``, ``share`` (float), ``population``, ``evidence``."""
    rows = select(
        graph,
        """SELECT ?fact ?park ?metric ?share ?pop WHERE { ?fact a cg:ReportedShare ; cg:share ?share .
             OPTIONAL { ?fact cg:park ?park } OPTIONAL { ?fact cg:metric ?metric }
             OPTIONAL { ?fact cg:population ?pop } }""",
    )
    ev = evidence_by_subject(graph, ("ReportedShare",))
    out = {}
    for r in sorted(rows, key=lambda r: r["fact"]):
        out.setdefault(
            r["fact"],
            {
                "fact": r["fact"],
                "park": r["park"],
                "metric": r["metric"],
                "share": float(r["share"]),
                "population": r["pop"],
                "evidence": _evidence_brief(ev, r["fact"]),
            },
        )
    return list(out.values())


def planning_statements(graph: rdflib.Graph) -> list[dict]:
    """Every cg:PlanningStatement, sorted by fact IRI.

    Keys: ``fact``, ``intent`` (IRI), ``intent_label`` (补链/延链/强链/缺乏), ``segments`` (sorted
    IRIs), ``chain``, ``park``, ``topic``, ``evidence`` (list of ``{source, title, quote}``),
    ``source_title`` and ``quote`` (of the first evidence, for display).
    """
    rows = select(
        graph,
        """SELECT ?fact ?intent ?seg ?chain ?park ?topic WHERE { ?fact a cg:PlanningStatement .
             OPTIONAL { ?fact cg:intent ?intent } OPTIONAL { ?fact cg:segment ?seg }
             OPTIONAL { ?fact cg:aboutChain ?chain } OPTIONAL { ?fact cg:park ?park }
             OPTIONAL { ?fact cg:topic ?topic } }""",
    )
    ev = evidence_by_subject(graph, ("PlanningStatement",))
    lab = labels(graph, {r["intent"] for r in rows if r["intent"]})
    out: dict[str, dict] = {}
    for r in sorted(rows, key=lambda r: (r["fact"], r["intent"] or "", r["seg"] or "", r["topic"] or "")):
        st = out.get(r["fact"])
        if st is None:
            evidence = _evidence_brief(ev, r["fact"])
            st = out[r["fact"]] = {
                "fact": r["fact"],
                "intent": r["intent"],
                "intent_label": label_of(lab.get(r["intent"]), r["intent"]) if r["intent"] else None,
                "segments": [],
                "chain": r["chain"],
                "park": r["park"],
                "topic": r["topic"],
                "evidence": evidence,
                "source_title": evidence[0]["title"] if evidence else None,
                "quote": evidence[0]["quote"] if evidence else None,
            }
        if r["seg"] and r["seg"] not in st["segments"]:
            st["segments"].append(r["seg"])
    for st in out.values():
        st["segments"].sort()
    return list(out.values())
