"""What analyses read from the graph: firms, segments, relations and segment-link facts.

:class:`FirmSource` fetches firm data on demand through SPARQL (any backend), each piece once;
:class:`chaingraph.analysis.snapshot.SnapshotFirmSource` answers the same questions from an
embedded build's snapshot.  :func:`query_target_facts` reads the segment-link details and the
place hierarchy that ranking targets needs.
"""

from __future__ import annotations

from typing import Iterable

import networkx as nx
import rdflib

from chaingraph import project
from chaingraph.analysis.ties import from_edges
from chaingraph.lookup import name_key
from chaingraph.project import best_labels, label_of, labels, shown_label
from chaingraph.store import select, select_in


class FirmSource:
    """Firm data fetched from the graph on demand, each piece once (shared by a context and its what-ifs).

    Queries are bound to the firms or segments asked about (``VALUES`` lists), so the work follows
    the question — the focal park's firms, the candidates of the segments ranked — and not the size
    of the graph or of a candidate pool behind a SPARQL server.  :meth:`all_firms` and
    :meth:`full_graph` still project everything, for the analyses that need the whole firm graph
    (risk, matchmaking, referrals, the page).
    """

    in_memory = False
    """True when every answer comes from memory (the snapshot): nothing to push to a store."""

    def __init__(self, graph: rdflib.Graph):
        self.graph = graph
        self._attrs: dict[str, dict] = {}
        self._missing: set[str] = set()
        self._segments: dict[str, list[str]] = {}
        self._labels: dict[str, dict[str, str]] = {}
        self._by_segment: dict[str, list[str]] = {}
        self._all: dict[str, dict] | None = None
        self._graph: nx.MultiDiGraph | None = None
        self._all_segments: dict[str, list[str]] | None = None
        self._edges: list[dict] | None = None
        self._names: dict[str, dict] = {}
        self._done: set[str] = set()
        self.cache: dict = {}  # structures derived by the analyses (the targets tie graph)
        self._summary: dict[str, dict] = {}  # firm summaries from in_segments

    # firms
    def attrs(self, iris: Iterable[str]) -> dict[str, dict]:
        """``{firm: attributes}`` (see :func:`chaingraph.project.firms`) for the cg:Company among ``iris``."""
        iris = set(iris)
        if self._all is not None:
            return {f: self._all[f] for f in iris if f in self._all}
        todo = {f for f in iris if f not in self._attrs and f not in self._missing}
        if todo:
            got = project.firms(self.graph, todo)
            self._attrs.update(got)
            self._missing |= todo - got.keys()
        return {f: self._attrs[f] for f in iris if f in self._attrs}

    def segments(self, iris: Iterable[str]) -> dict[str, list[str]]:
        """Own segments of ``iris`` (cg:inSegment plus the segments of products made)."""
        iris = set(iris)
        if self._all_segments is not None:
            return {f: self._all_segments[f] for f in iris if f in self._all_segments}
        todo = {f for f in iris if f not in self._segments}
        if todo:
            got = project.firm_segments(self.graph, todo)
            for f in todo:
                self._segments[f] = got.get(f, [])
        return {f: self._segments[f] for f in iris if self._segments.get(f)}

    def in_segments(self, segments: Iterable[str]) -> dict[str, list[str]]:
        """``{segment: [firm…]}``: firms whose own segments include each of ``segments`` (sorted)."""
        segments = set(segments)
        todo = {s for s in segments if s not in self._by_segment}
        if todo:
            found = project.segment_members(self.graph, todo)
            for s in todo:
                self._by_segment[s] = []
            for f, d in found.items():
                self._summary[f] = d
                for s in d["segments"]:
                    self._by_segment[s].append(f)
        return {s: self._by_segment[s] for s in segments}

    def summaries(self, iris: Iterable[str]) -> dict[str, dict]:
        """``{firm: {SUMMARY_KEYS…}}`` (:data:`chaingraph.project.SUMMARY_KEYS`, the values of
        :meth:`attrs`) for the cg:Company among ``iris``: known from :meth:`in_segments` for the
        firms it returned, fetched in full for others."""
        iris = set(iris)
        out = {f: self._summary[f] for f in iris if f in self._summary}
        rest = iris - out.keys()
        if rest:
            out.update(self.attrs(rest))
        return out

    def count_members(self, segments: Iterable[str], *, head: int = 0) -> tuple[int, list[str]]:
        """(number of cg:Company in any of ``segments`` (own segments), the first ``head`` by IRI)."""
        segments = frozenset(segments)
        if segments <= self._by_segment.keys():  # already fetched
            members = sorted({f for s in segments for f in self._by_segment[s]})
            return len(members), members[:head]
        key = ("members", segments, head)  # gaps and targets count the same segments
        if key not in self.cache:
            self.cache[key] = project.count_segment_members(self.graph, segments, head=head)
        return self.cache[key]

    def parks_of(self, iris: Iterable[str]) -> dict[str, str | None]:
        """``{firm: smallest park or None}`` for the cg:Company among ``iris``."""
        return {f: d.get("park") for f, d in self.summaries(iris).items()}

    def names(self, iris: Iterable[str]) -> dict[str, dict]:
        """``{firm: {label, full_name, aliases}}`` (cheaper than :meth:`attrs` for many firms)."""
        iris = set(iris)
        if self._all is not None:
            return {f: self._all[f] for f in iris if f in self._all}
        todo = {f for f in iris if f not in self._names and f not in self._attrs}
        if todo:
            self._names.update(project.firm_names(self.graph, todo))
        return {f: self._attrs.get(f) or self._names[f] for f in iris if f in self._attrs or f in self._names}

    def label(self, iri: str) -> str:
        """Display label of any IRI (firm, park, place), fetched once."""
        if iri in self._attrs:
            return self._attrs[iri]["label"]
        if self._all is not None and iri in self._all:
            return self._all[iri]["label"]
        self.prefetch_labels([iri])
        return project.label_of(self._labels.get(iri), iri)

    def prefetch_labels(self, iris: Iterable[str], *, key: str | None = None) -> None:
        """Fetch in one go the labels of ``iris`` not known yet (only once per ``key``)."""
        if key is not None:
            if key in self._done:
                return
            self._done.add(key)
        todo = {i for i in iris if i not in self._labels and i not in self._attrs}
        if todo:
            got = project.labels(self.graph, todo)
            for i in todo:
                self._labels[i] = got.get(i, {})

    # whole projections
    def all_firms(self) -> dict[str, dict]:
        if self._all is None:
            self._all = {n: dict(d) for n, d in self.full_graph().nodes(data=True) if d.get("kind") == "company"}
        return self._all

    def full_graph(self) -> nx.MultiDiGraph:
        if self._graph is None:
            self._graph = project.firm_graph(self.graph)
        return self._graph

    def all_segments(self) -> dict[str, list[str]]:
        if self._all_segments is None:
            self._all_segments = project.firm_segments(self.graph)
        return self._all_segments

    def relation_edges(self) -> list[dict]:
        """Relation facts without evidence (:func:`chaingraph.project.relation_edges`), once."""
        if self._edges is None:
            self._edges = project.relation_edges(self.graph)
        return self._edges

    def firms_in_parks(self, parks: Iterable[str]) -> dict[str, str]:
        """``{firm: smallest park}`` of the firms with a ``cg:park`` among ``parks``."""
        return project.firms_in_parks(self.graph, parks)

    def name_keys(self, iris: Iterable[str]) -> dict[str, list[str]]:
        """``{firm: [name_key…]}`` of every name of each firm (label, full name, aliases)."""
        iris = set(iris)
        info = {f: self._summary[f] for f in iris if f in self._summary}
        info.update(self.names(iris - info.keys()))
        return {f: list(dict.fromkeys(name_key(n) for n in project.names_of(d))) for f, d in info.items()}

    def visited_by(self, parks: Iterable[str]) -> set[str]:
        """Firms (or other targets) visited by ``parks`` (cg:Visit facts)."""
        wanted = set(parks)
        return {e["b"] for e in self.relation_edges() if e["kind"] == "visit" and e["a"] in wanted}

    def relocation_origins(self, skip: Iterable[str] = ()) -> set[str]:
        """Origin places of the relocation facts (except the facts in ``skip``)."""
        skip = set(skip)
        return {e["b"] for e in self.relation_edges() if e["kind"] == "relocation" and e["fact"] not in skip}

    def tie_graph(self):
        """The tie graph of every relation edge (:func:`chaingraph.analysis.ties.from_edges`), new."""
        return from_edges(self.relation_edges())

    def leaders(self) -> list[str]:
        """Chain-leader firms (:func:`chaingraph.project.chain_leaders`)."""
        return project.chain_leaders(self.graph)


def _every_link_row(graph, branches: tuple[str, ...]) -> list[dict]:
    """The rows of :func:`query_target_facts`'s ``UNION`` over every segment link, each pattern
    read whole and joined here: the links (``?l a cg:SegmentLink``), their firms and segments,
    and each branch without the link's type, kept only for the links that have a firm and a
    segment.  On the on-disk store every value read costs, and Oxigraph's joins with the link
    pattern read it again per branch (the 10k-firm synthetic build with the shipped pool, 10,329
    links: 3.5 s as joins, 1.2 s this way; one query over the whole UNION took longer still)."""
    links = {r["l"] for r in select(graph, "SELECT ?l WHERE { ?l a cg:SegmentLink }")}
    return join_link_rows(links, select(graph, "SELECT ?l ?f WHERE { ?l cg:firm ?f }"),
                          select(graph, "SELECT ?l ?s WHERE { ?l cg:segment ?s }"),
                          [select(graph, "SELECT ?l ?k ?p ?v ?lang WHERE { " + branch + " }") for branch in branches])


def join_link_rows(links: set, firm_rows: Iterable[dict], segment_rows: Iterable[dict],
                   branch_rows: Iterable[Iterable[dict]]) -> list[dict]:
    """:func:`_every_link_row` of the rows of its queries: the links, their ``?l cg:firm ?f``
    and ``?l cg:segment ?s`` rows, and each branch's rows (``l``, ``k``, ``p``, ``v``, ``lang``)."""
    firms: dict[str, list] = {}
    for r in firm_rows:
        if r["l"] in links:
            firms.setdefault(r["l"], []).append(r["f"])
    pairs: dict[str, list[tuple[str, str]]] = {}
    for r in segment_rows:
        if r["l"] in firms:
            pairs.setdefault(r["l"], []).extend((f, r["s"]) for f in firms[r["l"]])
    rows = [{"l": l, "f": f, "s": s, "k": "link", "p": None, "v": None} for l, fs in pairs.items() for f, s in fs]
    for branch in branch_rows:
        for r in branch:
            rows += [dict(r, f=f, s=s) for f, s in pairs.get(r["l"], ())]
    return rows


def query_target_facts(graph, segments: Iterable[str] | None = None) -> dict:
    """:func:`chaingraph.analysis.targets.target_facts` read from the graph by SPARQL
    (``segments``: a ``VALUES`` list, so a pool's other links stay in the store)."""
    links: dict[tuple[str, str], list[dict]] = {}
    # one row per fact, not OPTIONALs (see chaingraph.analysis.targets.bounds: Virtuoso 7.2 drops
    # OPTIONAL matches over thousands of rows); the combinations are formed here
    # The link pattern is repeated inside each branch (with the VALUES list, see
    # chaingraph.store.VALUES_MARK): outside the UNION, Oxigraph evaluates every branch over
    # the whole graph before joining (10.4 s instead of 1.3 s for the 2,338-firm pool).
    link = "#VALUES\n ?l a cg:SegmentLink ; cg:firm ?f ; cg:segment ?s ."
    conf = '?l cg:evidence ?e . ?e cg:confidence ?v BIND("conf" AS ?k)'
    branches = ('?l cg:basis ?v BIND("basis" AS ?k)',
                '?l cg:product ?p BIND("product" AS ?k)',
                '?l cg:product ?p . ?p rdfs:label ?v BIND("label" AS ?k) BIND(LANG(?v) AS ?lang)',
                '?l cg:revenueShare ?v BIND("share" AS ?k)',
                conf,
                '?l cg:sameRevenueLineAs ?v BIND("same" AS ?k)')
    if segments is None:
        # confidences first: Oxigraph follows the written order, and a few thousand confidences
        # joined to their links read 4x less than every subject's evidence joined to confidences
        conf_first = '?e cg:confidence ?v . ?l cg:evidence ?e BIND("conf" AS ?k)'
        rows = _every_link_row(graph, tuple(conf_first if b == conf else b for b in branches))
    else:
        query = ("SELECT ?l ?f ?s ?k ?p ?v ?lang WHERE { "
                 + " UNION ".join("{ " + link + " " + branch + " }" for branch in (*branches, 'BIND("link" AS ?k)'))
                 + " }")
        rows = select_in(graph, query, "s", segments)
    all_places = sorted(project.place_iris(graph))
    lab = labels(graph, all_places)
    parts = {"partOf": select(graph, "SELECT ?a ?b WHERE { ?a cg:partOf ?b }"),
             "inRegion": select(graph, "SELECT ?a ?b WHERE { ?a cg:inRegion ?b }")}
    return target_facts_from_rows(rows, all_places, lab, parts)


def target_facts_from_rows(rows: Iterable[dict], all_places: list[str], lab: dict, parts: dict) -> dict:
    """:func:`query_target_facts` of the rows of its queries: the link rows (``l``, ``f``, ``s``,
    ``k``, ``p``, ``v``, ``lang``), every cg:Place (sorted) with their labels (:func:`chaingraph.project.labels`)
    and the ``partOf`` and ``inRegion`` rows (``a``, ``b``)."""
    links: dict[tuple[str, str], list[dict]] = {}
    found: dict[tuple[str, str, str], dict[str, list]] = {}
    product_labels: dict[str, list] = {}
    for r in rows:
        d = found.setdefault((r["f"], r["s"], r["l"]), {"basis": [], "product": [], "share": [], "conf": [], "same": []})
        if r["k"] in ("product", "label"):
            if r["k"] == "label":
                product_labels.setdefault(r["p"], []).append((r["v"], r["lang"]))
            if (r["p"], None) not in d["product"]:
                d["product"].append((r["p"], None))
        elif r["k"] in d and r["v"] not in d[r["k"]]:
            d[r["k"]].append(r["v"])
    # one label per product, by the rule every projection uses (not one link per label)
    shown = {p: shown_label(best_labels(v)) for p, v in product_labels.items()}
    for d in found.values():
        d["product"] = [(p, shown.get(p)) for p, _ in d["product"]]
    for (f, s_, _), d in sorted(found.items()):
        for k in d:  # the same order from every store (rows come in the engine's order)
            d[k].sort(key=lambda v: tuple("" if x is None else str(x) for x in v) if isinstance(v, tuple) else str(v))
        conf = min((float(c) for c in d["conf"]), default=None)
        labelled = {p for p, pl in d["product"] if pl is not None}  # (product, None) only when unlabelled
        products = [(p, pl) for p, pl in d["product"] if pl is not None or p not in labelled] or [(None, None)]
        for basis in d["basis"] or [None]:
            for _, pl in products:
                for share in d["share"] or [None]:
                    links.setdefault((f, s_), []).append(
                        {"product": pl, "share": float(share) if share is not None else None,
                         "basis": basis, "confidence": conf, "same_line": [str(v) for v in d["same"]]})
    parent: dict[str, set[str]] = {}
    region: dict[str, set[str]] = {}
    for r in parts["partOf"]:
        parent.setdefault(r["a"], set()).add(r["b"])
    for r in parts["inRegion"]:
        region.setdefault(r["a"], set()).add(r["b"])
    places = {}
    for p in all_places:
        anc, todo = set(), [p]
        while todo:
            for q in parent.get(todo.pop(), ()):
                if q not in anc:
                    anc.add(q)
                    todo.append(q)
        regs = set()
        for q in {p} | anc:
            regs |= region.get(q, set())
        places[p] = {"label": label_of(lab.get(p), p), "ancestors": sorted(anc), "regions": sorted(regs)}
    return {"links": links, "places": places}
