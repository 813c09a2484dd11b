"""Firms: attributes, parks, cities, segments and the summaries ranking reads."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import rdflib

from chaingraph.namespaces import CG, RDF
from chaingraph.project.labels import best_labels, label_of, labels
from chaingraph.store import select, select_in


FIRM_PROPERTIES = {
    "full": "cg:fullName", "park": "cg:park", "city": "cg:city", "origin": "cg:origin",
    "xs": "cg:xiangshang", "code": "cg:stockCode", "aliases": "cg:shortName", "tiers": "cg:tier",
    "segments": "cg:inSegment", "products": "cg:makes",
}
"""The firm properties :func:`firm_reads` reads (key -> CURIE)."""
_FIRM_PROPS = FIRM_PROPERTIES


def _firm_values(rows: list[dict], companies: set[str]) -> dict[str, list]:
    """``{firm: [values…]}`` of one property's ``(?s, ?v)`` rows (the cg:Company among the subjects)."""
    out: dict[str, list] = defaultdict(list)
    for r in rows:
        if r["s"] in companies and r["v"] not in out[r["s"]]:
            out[r["s"]].append(r["v"])
    return out


def firm_reads(graph: rdflib.Graph) -> dict:
    """The whole-graph reads :func:`firms`, :func:`firm_segments` and :func:`firm_parks` start
    from, to share between them (``reads=``): ``companies`` (every cg:Company) and ``rows``
    (``{key of _FIRM_PROPS: [{"s", "v"}…]}``, every subject's values of each firm property; the
    cg:makes rows also say whether the value is a literal, ``lit``).  Each property is read once,
    one narrow query each, no OPTIONAL joins: on the on-disk store every value read costs, and
    :func:`firm_segments`' own query read every firm's segments and products again (1.5 s of 8
    for the 10k-firm synthetic snapshot)."""
    companies = {r["f"] for r in select(graph, "SELECT ?f WHERE { ?f a cg:Company }")}
    rows = {}
    for key, prop in _FIRM_PROPS.items():
        lit = " (isLiteral(?v) AS ?lit)" if key == "products" else ""
        rows[key] = select(graph, f"SELECT ?s ?v{lit} WHERE {{ ?s {prop} ?v }}")
    return {"companies": companies, "rows": rows}


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
          labels_by_iri: dict[str, dict[str, str]] | None = None, reads: dict | None = None) -> dict[str, dict]:
    """Every cg:Company with its plain attributes, keyed by IRI (sorted).

    Keys: ``label``, ``full_name``, ``aliases`` (short names, sorted), ``park``, ``park_label``,
    ``city``, ``city_label``, ``origin``, ``origin_label``, ``tiers`` (Chinese labels),
    ``tier_iris``, ``segments`` (IRIs), ``products`` (Chinese labels), ``stock_code``,
    ``xiangshang`` (bool).  A firm with several parks, cities, origins or full names keeps the
    smallest (stable whatever the store's row order).

    ``iris`` restricts the answer to those firms: every query then carries them as a ``VALUES``
    list, so the cost follows the firms asked about, not the size of the graph.  Labels come from
    ``labels_by_iri`` when given (it must cover the firms and the IRIs they point to).  ``reads``
    (:func:`firm_reads` of ``graph``, whole graph only) saves reading the properties again.
    """
    wanted = None if iris is None else sorted(set(iris))
    if wanted is None:
        reads = reads or firm_reads(graph)
        companies = reads["companies"]
        vals = {k: _firm_values(reads["rows"][k], companies) for k in _FIRM_PROPS}
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


def firm_parks(graph: rdflib.Graph, *, reads: dict | None = None) -> dict[str, list[str]]:
    """``{firm: [park…]}``: every ``cg:park`` of every cg:Company (sorted lists); from
    ``reads`` (:func:`firm_reads` of ``graph``) when given."""
    out: dict[str, set[str]] = defaultdict(set)
    if reads is not None:
        companies = reads["companies"]
        for r in reads["rows"]["park"]:
            if r["s"] in companies:
                out[r["s"]].add(r["v"])
        return {f: sorted(v) for f, v in sorted(out.items())}
    for r in select(graph, "SELECT ?f ?p WHERE { ?f cg:park ?p . ?f a cg:Company }"):
        out[r["f"]].add(r["p"])
    return {f: sorted(v) for f, v in sorted(out.items())}


def firm_names(graph: rdflib.Graph, iris: Iterable[str]) -> dict[str, dict]:
    """``{firm: {label, full_name, aliases}}`` for every IRI in ``iris`` (the same values as
    :func:`firms` for a cg:Company; an unknown IRI gets its last segment as label).  Three narrow
    queries instead of :func:`firms`' ten."""
    wanted = sorted(set(iris))
    lab = labels(graph, wanted)
    full = _firm_values(select_in(graph, "SELECT ?s ?v WHERE { ?s cg:fullName ?v }", "s", wanted), set(wanted))
    short = _firm_values(select_in(graph, "SELECT ?s ?v WHERE { ?s cg:shortName ?v }", "s", wanted), set(wanted))
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
    names: dict[str, list] = defaultdict(list)
    for r in rows:
        v = vals[r["f"]]
        if r["s"] not in v["segments"]:
            v["segments"].append(r["s"])
        if r["k"] == "label":
            names[r["f"]].append((r["v"], r["lang"]))
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
            "label": label_of(best_labels(names.get(f, ())), f),
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


def firm_segments(graph: rdflib.Graph, iris: Iterable[str] | None = None, *,
                  reads: dict | None = None) -> dict[str, list[str]]:
    """``{firm_iri: [segment_iri, …]}``: a firm's cg:inSegment plus the segments of the products it makes.

    A firm whose source names only a product (``cg:makes``, the product ``cg:inSegment``) still
    counts in that product's segments.  Lists are sorted; firms without segments are absent.
    ``iris`` restricts the query to those firms (a ``VALUES`` list).  ``reads`` (:func:`firm_reads`
    of ``graph``, whole graph only) gives the same answer joined here, without another query.
    """
    if iris is None and reads is not None:
        return _segments_from_reads(reads)
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


def _segments_from_reads(reads: dict) -> dict[str, list[str]]:
    """:func:`firm_segments` of the whole graph joined from :func:`firm_reads`: each firm's
    cg:inSegment values plus those of the products (IRIs or blank nodes, never literals) it makes."""
    companies = reads["companies"]
    seg_of: dict[str, set] = defaultdict(set)
    for r in reads["rows"]["segments"]:  # every subject's cg:inSegment: firms and products
        seg_of[r["s"]].add(r["v"])
    out: dict[str, set[str]] = defaultdict(set)
    for f in companies:
        if f in seg_of:
            out[f].update(seg_of[f])
    for r in reads["rows"]["products"]:
        if r["s"] in companies and not r["lit"] and r["v"] in seg_of:
            out[r["s"]].update(seg_of[r["v"]])
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
