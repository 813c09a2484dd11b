"""Company look-up and the company card (``chaingraph company``).

Queries are bound to one firm (a ``VALUES`` binding), so a card costs a few small queries whatever
the size of the graph.
"""

from __future__ import annotations

from typing import Iterable

import rdflib

from chaingraph.lookup import name_key, resolve
from chaingraph.project import best_labels, label_of, labels, local_name, shown_label
from chaingraph.store import select, select_in


def company_names(graph: rdflib.Graph, iris: Iterable[str] | None = None) -> dict[str, list[str]]:
    """``{iri: [label, full name, aliases…]}`` for every cg:Company (label first).

    ``iris`` restricts the answer (and the query, a ``VALUES`` list) to those firms.
    """
    query = """SELECT ?f ?n ?rank ?lang WHERE { ?f a cg:Company .
             { ?f rdfs:label ?n BIND(0 AS ?rank) BIND(LANG(?n) AS ?lang) } UNION { ?f cg:fullName ?n BIND(1 AS ?rank) }
             UNION { ?f cg:shortName ?n BIND(2 AS ?rank) } }"""
    if iris is None:
        rows = select(graph, query)
    else:
        rows = select_in(
            graph,
            """SELECT ?f ?n ?rank ?lang WHERE { { #VALUES
                 ?f rdfs:label ?n BIND(0 AS ?rank) BIND(LANG(?n) AS ?lang) } UNION { #VALUES
                 ?f cg:fullName ?n BIND(1 AS ?rank) } UNION { #VALUES
                 ?f cg:shortName ?n BIND(2 AS ?rank) } ?f a ?t FILTER(?t = cg:Company) }""",
            "f", iris,
        )
    # the display label (chaingraph.project.labels' rule) first, whatever order the rows come in
    shown = {f: label_of(best_labels(pairs), f) for f, pairs in _label_pairs(rows).items()}
    out: dict[str, list[str]] = {}
    for r in sorted(rows, key=lambda r: (r["f"], r["n"] != shown.get(r["f"]), int(r["rank"]), r["n"])):
        names = out.setdefault(r["f"], [])
        if r["n"] not in names:
            names.append(r["n"])
    return out


def _label_pairs(rows: list[dict]) -> dict[str, list[tuple[str, str | None]]]:
    out: dict[str, list] = {}
    for r in rows:
        if int(r["rank"]) == 0:
            out.setdefault(r["f"], []).append((r["n"], r["lang"]))
    return out


def exact_matches(graph: rdflib.Graph, name: str) -> list[str]:
    """Firms with a name (rdfs:label, cg:fullName or cg:shortName) equal to ``name`` or its
    :func:`~chaingraph.lookup.name_key`, with or without ``@zh`` (bound literals: index look-ups)."""
    forms = list(dict.fromkeys(x for x in (name, name.strip(), name_key(name)) if x))
    lits = " ".join(sparql_literal(x, lang) for x in forms for lang in ("zh", None))
    rows = select(
        graph,
        f"""SELECT DISTINCT ?f WHERE {{ VALUES ?n {{ {lits} }}
             {{ ?f rdfs:label ?n }} UNION {{ ?f cg:fullName ?n }} UNION {{ ?f cg:shortName ?n }}
             ?f a ?t FILTER(?t = cg:Company) }}""",
    )
    return sorted({r["f"] for r in rows})


def sparql_literal(text: str, lang: str | None = None) -> str:
    """A string literal in SPARQL syntax, escaped by rdflib."""
    return rdflib.Literal(text, lang=lang).n3()


def find_company(graph: rdflib.Graph, name: str) -> str:
    """IRI of the firm ``name`` denotes (full name, short name or alias; fuzzy).

    An exact name (as written, or in its normalised form) is looked up with one bound query;
    only when that finds no single firm are all firm names fetched for normalised and fuzzy
    matching (:func:`chaingraph.lookup.resolve`).
    """
    if name and name.strip():
        hits = exact_matches(graph, name)
        if len(hits) == 1:
            return hits[0]
    return resolve(name, company_names(graph), "company")


class _Labels:
    """Labels fetched on first use, one query per IRI (a card names a few dozen at most)."""

    def __init__(self, graph: rdflib.Graph):
        self.graph = graph
        self.known: dict[str, dict[str, str]] = {}

    def get(self, iri):
        if iri is None:
            return None
        if iri not in self.known:
            self.known[iri] = labels(self.graph, [iri]).get(iri, {})
        return self.known[iri]


def _lab(lab: dict, iri: str | None) -> str | None:
    return label_of(lab.get(iri), iri) if iri else None


def company_card(graph: rdflib.Graph, iri: str) -> dict:
    """Everything the graph says about one firm, as plain data.

    Keys: ``iri, name, full_name, aliases, park, city, origin, tiers, xiangshang, stock_code,
    products, segments, segment_links, referred, referred_by, supplies, supplied_by, visits,
    relocations, projects, figures, sources``.  Related firms are given by display name; every
    source entry is ``{source, title, quote, start, end}``.
    """
    f = rdflib.URIRef(iri)
    lab = _Labels(graph)
    one = lambda q: select(graph, q, f=f)  # noqa: E731 - every query is about this firm (?f bound)

    def labelled(query: str, var: str) -> list[str]:
        return sorted(_lab(lab, r[var]) for r in one(query))

    def related(query: str) -> list[str]:
        return sorted({_lab(lab, r["o"]) for r in one(query)})

    names = company_names(graph, [iri]).get(iri, [local_name(iri)])
    basics = _basics(one, lab)
    return {
        "iri": iri,
        "name": names[0],
        **{k: basics[k] for k in ("full_name", "aliases", "park", "city", "origin")},
        "tiers": labelled("SELECT ?t WHERE { ?f cg:tier ?t }", "t"),
        "xiangshang": basics["xiangshang"],
        "stock_code": basics["stock_code"],
        "products": labelled("SELECT ?p WHERE { ?f cg:makes ?p }", "p"),
        "segments": _segments(one, lab),
        "segment_links": _segment_links(one, lab),
        "referred": related("SELECT ?o WHERE { ?f cg:referred ?o }"),
        "referred_by": related("SELECT ?o WHERE { ?o cg:referred ?f }"),
        "supplies": related("SELECT ?o WHERE { ?f cg:supplies ?o }"),
        "supplied_by": related("SELECT ?o WHERE { ?o cg:supplies ?f }"),
        "visits": _visits(one, lab),
        "relocations": _relocations(one, lab),
        "projects": _projects(one, lab),
        "figures": _figures(one, lab),
        "sources": _sources(one),
    }


def _basics(one, lab) -> dict:
    """``full_name, aliases, park, city, origin, xiangshang, stock_code`` of the firm."""
    base = one(
        """SELECT ?full ?park ?city ?origin ?xs ?code WHERE { OPTIONAL { ?f cg:fullName ?full }
             OPTIONAL { ?f cg:park ?park } OPTIONAL { ?f cg:city ?city } OPTIONAL { ?f cg:origin ?origin }
             OPTIONAL { ?f cg:xiangshang ?xs } OPTIONAL { ?f cg:stockCode ?code } }"""
    )
    # one value per property whatever order the store returns rows in (as project.firms: the
    # smallest; a user file giving a bundled firm a second value is warned about when loading)
    b = {k: min((r[k] for r in base if r[k] is not None), key=lambda v: (str(type(v)), str(v)), default=None)
         for k in ("full", "park", "city", "origin", "xs", "code")}
    return {
        "full_name": b.get("full"),
        "aliases": sorted(r["n"] for r in one("SELECT ?n WHERE { ?f cg:shortName ?n }")),
        "park": _lab(lab, b.get("park")),
        "city": _lab(lab, b.get("city")),
        "origin": _lab(lab, b.get("origin")),
        "xiangshang": bool(b.get("xs")),
        "stock_code": b.get("code"),
    }


EQUIPMENT_ONLY = "（设备供应：为该环节供应设备，非从事该环节）"


def _segments(one, lab) -> list[str]:
    """The firm's segments (``cg:inSegment``) by label; a segment the firm is linked to only as an
    equipment supplier (every link ``cg:basis cg:EquipmentForSegment``) says so (:data:`EQUIPMENT_ONLY`)."""
    equipment = {r["s"] for r in one(
        """SELECT ?s WHERE { ?l a cg:SegmentLink ; cg:firm ?f ; cg:segment ?s ; cg:basis cg:EquipmentForSegment .
             FILTER NOT EXISTS { ?m a cg:SegmentLink ; cg:firm ?f ; cg:segment ?s ; cg:basis ?b
                                 FILTER(?b != cg:EquipmentForSegment) } }""")}
    return sorted(_lab(lab, r["s"]) + (EQUIPMENT_ONLY if r["s"] in equipment else "")
                  for r in one("SELECT ?s WHERE { ?f cg:inSegment ?s }"))


def _segment_links(one, lab) -> list[dict]:
    """The firm's segment links: ``{segment, segment_iri, basis, product, revenue_share}``."""
    links = one(
        """SELECT ?s ?basis ?prod ?share WHERE { ?l a cg:SegmentLink ; cg:firm ?f ; cg:segment ?s .
             OPTIONAL { ?l cg:basis ?basis } OPTIONAL { ?l cg:product ?prod } OPTIONAL { ?l cg:revenueShare ?share } }"""
    )
    return sorted(
        ({"segment": _lab(lab, r["s"]), "segment_iri": r["s"], "basis": _lab(lab, r["basis"]),
          "product": _lab(lab, r["prod"]), "revenue_share": r["share"]} for r in links),
        key=lambda d: (d["segment"], d["product"] or ""),
    )


def _visits(one, lab) -> list[dict]:
    """Visits to the firm: ``{visitor, note, date}``, by date."""
    rows = one("""SELECT ?v ?note ?date WHERE { ?x a cg:Visit ; cg:target ?f ; cg:visitor ?v .
                    OPTIONAL { ?x cg:visitorNote ?note } OPTIONAL { ?x cg:date ?date } }""")
    return sorted(({"visitor": _lab(lab, r["v"]), "note": r["note"], "date": r["date"]} for r in rows),
                  key=lambda d: (str(d["date"] or ""), d["visitor"] or ""))


def _relocations(one, lab) -> list[dict]:
    """The firm's moves: ``{from, to, year}``."""
    rows = one("""SELECT ?p ?park ?year WHERE { ?x a cg:Relocation ; cg:firm ?f ; cg:fromPlace ?p .
                    OPTIONAL { ?x cg:toPark ?park } OPTIONAL { ?x cg:year ?year } }""")
    return sorted(({"from": _lab(lab, r["p"]), "to": _lab(lab, r["park"]), "year": r["year"]} for r in rows),
                  key=lambda d: (d["from"] or "", str(d["year"] or "")))


def _projects(one, lab) -> list[dict]:
    """The firm's projects: ``{project, park, stage, year}``."""
    rows = one("""SELECT ?x ?park ?stage ?year WHERE { ?x a cg:Project ; cg:firm ?f .
                    OPTIONAL { ?x cg:park ?park }
                    OPTIONAL { ?x cg:leadStage ?stage } OPTIONAL { ?x cg:year ?year } }""")
    names = labels(lab.graph, {r["x"] for r in rows}) if rows else {}  # one name per project (project.labels' rule)
    found = {(shown_label(names.get(r["x"])), _lab(lab, r["park"]), _lab(lab, r["stage"]), r["year"]) for r in rows}
    return sorted(({"project": n, "park": park, "stage": stage, "year": year} for n, park, stage, year in found),
                  key=lambda d: (d["project"] or "", str(d["year"] or ""), d["park"] or "", d["stage"] or ""))


def _figures(one, lab) -> list[dict]:
    """Figures about the firm: ``{metric, value, unit, year, note}``."""
    rows = one("""SELECT ?m ?v ?u ?y ?c WHERE { ?x a cg:Figure ; cg:about ?f ; cg:metric ?m ; cg:value ?v .
                    OPTIONAL { ?x cg:unit ?u } OPTIONAL { ?x cg:year ?y } OPTIONAL { ?x rdfs:comment ?c } }""")
    return sorted(({"metric": _lab(lab, r["m"]), "value": r["v"], "unit": r["u"], "year": r["y"], "note": r["c"]}
                   for r in rows),
                  key=lambda d: (d["metric"] or "", str(d["year"] or ""), d["value"] or 0))


def _sources(one) -> list[dict]:
    """Every quote about the firm or a fact it takes part in: ``{source, title, quote, start, end}``."""
    rows = one(
        """SELECT DISTINCT ?src ?title ?file ?quote ?start ?end WHERE {
             { ?f cg:evidence ?e } UNION { ?x cg:evidence ?e . ?x ?role ?f .
               FILTER(?role IN (cg:referrer, cg:referee, cg:supplier, cg:customer, cg:firm, cg:target, cg:about)) }
             ?e cg:source ?src . OPTIONAL { ?e cg:quote ?quote } OPTIONAL { ?e cg:start ?start }
             OPTIONAL { ?e cg:end ?end } OPTIONAL { ?src dcterms:title ?title } OPTIONAL { ?src cg:fileName ?file } }"""
    )
    return sorted(
        ({"source": r["src"], "title": r["title"] or r["file"] or local_name(r["src"]), "quote": r["quote"],
          "start": r["start"], "end": r["end"]} for r in rows),
        key=lambda d: (d["source"], d["start"] if d["start"] is not None else -1, d["end"] or -1, d["quote"] or ""),
    )


