"""Turn extraction results into a staging graph (:mod:`chaingraph.ingest.merging` adds it to user data).

IRIs are deterministic, so the same article always yields the same triples:

* a firm linked to a known firm keeps that firm's IRI; a new firm gets
  ``company:x-<sha1(key)[:10]>`` where ``key`` is its normalised trade name;
* n-ary facts get ``fact:<kind>-<sha1(roles)[:12]>`` from their role values (the same
  referral stated by two articles is one node with two evidences);
* evidence nodes get ``fact:ev-<sha1(source, start, end, what)[:12]>``;
* the article is ``src:sha-<sha256[:12]>``.

Examples
--------
>>> from chaingraph.ingest.extract import extract
>>> g1 = to_staging(extract("通过星河电子带动，引进了蓝鲸、白鹭等企业。"), file_name="a.txt", sha256="0" * 64)
>>> g2 = to_staging(extract("通过星河电子带动，引进了蓝鲸、白鹭等企业。"), file_name="a.txt", sha256="0" * 64)
>>> from rdflib.compare import isomorphic
>>> isomorphic(g1, g2) and len(g1) == len(g2 | g1)
True
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from chaingraph.ingest.model import Extraction, Firm, ProductFact, Relation, Span
from chaingraph.namespaces import CG, COMPANY, FACT, PLACE, PRODUCT, SOURCE, bind_prefixes
from chaingraph.normalize import normalize

#: Slugs for places often named as origins; others get ``place:x-<sha1>``.
PLACE_SLUGS = {
    "东莞": "dongguan", "深圳": "shenzhen", "广州": "guangzhou", "佛山": "foshan", "惠州": "huizhou",
    "中山": "zhongshan", "珠海": "zhuhai", "江门": "jiangmen", "上海": "shanghai", "北京": "beijing",
    "苏州": "suzhou", "杭州": "hangzhou", "宁波": "ningbo", "温州": "wenzhou", "厦门": "xiamen",
    "长沙": "changsha", "武汉": "wuhan", "永州": "yongzhou", "香港": "hongkong", "广东": "guangdong",
    "浙江": "zhejiang", "江苏": "jiangsu", "福建": "fujian", "湖南": "hunan",
    "粤港澳大湾区": "gba", "大湾区": "gba", "长三角": "yrd", "珠三角": "prd", "沿海": "coastal",
}

#: Role properties that identify each kind of n-ary fact (used to mint its IRI).
FACT_ROLES = {
    CG.Referral: ("referral", (CG.referrer, CG.referee)),
    CG.Supply: ("supply", (CG.supplier, CG.customer)),
    CG.Investment: ("investment", (CG.investor, CG.investee)),
    CG.Relocation: ("relocation", (CG.firm, CG.fromPlace)),
    CG.Visit: ("visit", (CG.target, CG.visitor, CG.visitorNote)),
    CG.Project: ("project", (CG.firm, CG.park)),
    CG.SegmentLink: ("seglink", (CG.firm, CG.segment)),
    CG.Figure: ("figure", (CG.about, CG.metric, CG.value, CG.unit)),
}

def sha1_hex(*parts: object) -> str:
    """SHA-1 (hex) of the parts joined by a unit separator: the stable part of minted IRIs."""
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def company_iri(key: str) -> URIRef:
    """IRI of a new firm from its canonical key (normalised trade name)."""
    return COMPANY["x-" + sha1_hex(normalize(key).text)[:10]]


def source_iri(sha256: str) -> URIRef:
    """IRI of an article from the SHA-256 of its bytes."""
    return SOURCE["sha-" + sha256[:12]]


def place_iri(name: str, places: Mapping[str, str] | None = None) -> URIRef:
    """IRI of a place name: from ``places``, the built-in slugs, or a hash."""
    name = name.rstrip("市省")
    if places and name in places:
        return URIRef(places[name])
    slug = PLACE_SLUGS.get(name)
    return PLACE[slug] if slug else PLACE["x-" + sha1_hex(name)[:8]]


def _evidence(g: Graph, src: URIRef, span: Span, confidence: float, what: str, prop=None) -> URIRef:
    ev = FACT["ev-" + sha1_hex(src, span.start, span.end, what)[:12]]
    g.add((ev, RDF.type, CG.Evidence))
    g.add((ev, CG.source, src))
    g.add((ev, CG.quote, Literal(span.quote, lang="zh")))
    g.add((ev, CG.start, Literal(span.start, datatype=XSD.integer)))
    g.add((ev, CG.end, Literal(span.end, datatype=XSD.integer)))
    g.add((ev, CG.confidence, Literal(f"{confidence:.2f}", datatype=XSD.decimal)))
    if prop is not None:
        g.add((ev, CG.supportsProperty, prop))
    return ev


def _fact_iri(g: Graph, node, cls) -> URIRef:
    prefix, roles = FACT_ROLES[cls]
    parts = []
    for p in roles:
        parts += sorted(str(o) for o in g.objects(node, p))
    return FACT[f"{prefix}-" + sha1_hex(*parts)[:12]]


def remint_facts(g: Graph) -> None:
    """Give every n-ary fact node the IRI computed from its role values (in place)."""
    for cls in FACT_ROLES:
        for node in list(g.subjects(RDF.type, cls)):
            new = _fact_iri(g, node, cls)
            if new != node:
                rename_node(g, node, new)


def rename_node(g: Graph, old, new) -> None:
    """Replace node ``old`` by ``new`` in every statement of ``g`` (in place)."""
    for s, p, o in list(g.triples((old, None, None))):
        g.remove((s, p, o))
        g.add((new, p, o))
    for s, p, o in list(g.triples((None, None, old))):
        g.remove((s, p, o))
        g.add((s, p, new))



def to_staging(
    extraction: Extraction,
    *,
    file_name: str,
    sha256: str,
    park_iri: str | None = None,
    places: Mapping[str, str] | None = None,
    source: str | None = None,
    title: str | None = None,
) -> Graph:
    """Build the staging graph of one article's extraction.

    Parameters
    ----------
    extraction : Extraction
        From :func:`chaingraph.ingest.extract.extract`.
    file_name, sha256 : str
        The article's file name and the SHA-256 of its bytes (:class:`~chaingraph.ingest.reading.SourceText`).
    park_iri : str, optional
        IRI of the park the article is about (resolved by the caller, e.g. from ``--park``);
        without it, facts that need a park omit that role.
    places : mapping of str to str, optional
        Place name → IRI for origins.
    source : str, optional
        IRI of the source already in the graph with this SHA-256: the evidence cites it, and
        the staging graph restates only its type (its title, file name and checksum are known).
    title : str, optional
        The article's title (``rdfs:label`` and ``dcterms:title`` of a new source).

    Returns
    -------
    rdflib.Graph
    """
    g = Graph()
    bind_prefixes(g)
    src = URIRef(source) if source else source_iri(sha256)
    g.add((src, RDF.type, CG.Source))
    if not source:
        g.add((src, CG.fileName, Literal(file_name)))
        g.add((src, CG.sha256, Literal(sha256)))
        if title and title.strip():
            g.add((src, RDFS.label, Literal(title.strip(), lang="zh")))
            g.add((src, DCTERMS.title, Literal(title.strip(), lang="zh")))
    st = _Staging(g, src, URIRef(park_iri) if park_iri else None, places, {f.key: f.name for f in extraction.firms})
    for f in extraction.firms:
        st.add_firm(f)
    for r in extraction.relations:
        st.add_relation(r)
    remint_facts(g)
    return g


@dataclass
class _Staging:
    """The staging graph of one article while it is built."""

    g: Graph
    src: URIRef  # the article
    park: URIRef | None
    places: Mapping[str, str] | None
    names: dict[str, str]  # firm key → display name
    iri: dict[str, URIRef] = field(default_factory=dict)  # firm key → IRI

    def evidence(self, span: Span, confidence: float, what: str, prop=None) -> URIRef:
        return _evidence(self.g, self.src, span, confidence, what, prop)

    # ------------------------------------------------------------ firms

    def add_firm(self, f: Firm) -> None:
        """The firm, its names (each with the evidence of its first mention), park, tiers,
        products and figures."""
        g = self.g
        c = URIRef(f.known_iri) if f.known_iri else company_iri(f.key)
        self.iri[f.key] = c
        g.add((c, RDF.type, CG.Company))
        if not f.known_iri:
            g.add((c, RDFS.label, Literal(f.name, lang="zh")))
            if f.full_name:
                g.add((c, CG.fullName, Literal(f.full_name, lang="zh")))
        for a in f.names:
            if a != f.full_name or f.known_iri:
                g.add((c, CG.shortName, Literal(a, lang="zh")))
        first: dict[str, object] = {}
        for m in f.mentions:
            if m.kind != "anaphor" and m.text not in first:
                first[m.text] = m
        for m in first.values():
            g.add((c, CG.evidence, self.evidence(m.span, m.confidence, "name")))
        if f.in_park and self.park is not None:
            g.add((c, CG.park, self.park))
        for t in f.tiers:
            g.add((c, CG.tier, CG[t.tier]))
            g.add((c, CG.evidence, self.evidence(t.span, t.confidence, "tier", CG.tier)))
        for p in f.products:
            self._add_product(c, p)
        for fig in f.figures:
            self._add_figure(c, fig.metric, fig.value, fig.unit, fig.year,
                             self.evidence(fig.span, fig.confidence, "figure"))

    def _add_product(self, c: URIRef, p: ProductFact) -> None:
        """``c makes product``, and a segment link per segment the product's words map to."""
        g = self.g
        prod = PRODUCT["x-" + sha1_hex(normalize(p.name).text)[:10]]
        g.add((prod, RDF.type, CG.Product))
        g.add((prod, RDFS.label, Literal(p.name, lang="zh")))
        g.add((c, CG.makes, prod))
        g.add((c, CG.evidence, self.evidence(p.span, p.confidence, "makes", CG.makes)))
        for s in p.segments:
            seg = URIRef(s)
            g.add((c, CG.inSegment, seg))
            link = BNode()
            g.add((link, RDF.type, CG.SegmentLink))
            g.add((link, CG.firm, c))
            g.add((link, CG.segment, seg))
            g.add((link, CG.basis, CG.StatedProduct))
            g.add((link, CG.product, prod))
            g.add((link, CG.evidence, self.evidence(p.span, p.confidence, "seglink")))

    def _add_figure(self, c: URIRef, metric: str, value: float, unit: str, year: int | None, ev: URIRef) -> None:
        g = self.g
        node = BNode()
        g.add((node, RDF.type, CG.Figure))
        g.add((node, CG.about, c))
        g.add((node, CG.metric, CG[metric]))
        g.add((node, CG.value, Literal(f"{value:g}", datatype=XSD.decimal)))
        g.add((node, CG.unit, Literal(unit, lang="zh")))
        if year:
            g.add((node, CG.year, Literal(str(year), datatype=XSD.gYear)))
        g.add((node, CG.evidence, ev))

    # ------------------------------------------------------------ relations

    def add_relation(self, r: Relation) -> None:
        """An n-ary fact node for ``r`` with its evidence, by the relation's type."""
        node = BNode()
        ev = self.evidence(r.evidence, r.confidence, r.type)
        self.g.add((node, CG.evidence, ev))
        _RELATION_WRITERS[r.type](self, node, r, ev)

    def _pair(self, node, r: Relation, cls, source_role, target_role, direct) -> None:
        """A firm → firm fact (referral, supply, investment) and its direct edge."""
        a, b = self.iri[r.source], self.iri[r.target]
        self.g.add((node, RDF.type, cls))
        self.g.add((node, source_role, a))
        self.g.add((node, target_role, b))
        self.g.add((a, direct, b))

    def _referral(self, node, r: Relation, ev: URIRef) -> None:
        self._pair(node, r, CG.Referral, CG.referrer, CG.referee, CG.referred)
        self.g.add((node, CG.referralKind, CG[r.kind or "PeerReferral"]))
        self.g.add((node, CG.leadStage, CG[r.stage or "Introduced"]))

    def _supply(self, node, r: Relation, ev: URIRef) -> None:
        self._pair(node, r, CG.Supply, CG.supplier, CG.customer, CG.supplies)

    def _investment(self, node, r: Relation, ev: URIRef) -> None:
        self._pair(node, r, CG.Investment, CG.investor, CG.investee, CG.invested)

    def _relocation(self, node, r: Relation, ev: URIRef) -> None:
        g = self.g
        a, pl = self.iri[r.source], place_iri(r.place or r.target, self.places)
        g.add((pl, RDF.type, CG.Place))
        g.add((pl, RDFS.label, Literal((r.place or r.target).rstrip("市省"), lang="zh")))
        g.add((node, RDF.type, CG.Relocation))
        g.add((node, CG.firm, a))
        g.add((node, CG.fromPlace, pl))
        if self.park is not None:
            g.add((node, CG.toPark, self.park))
        if r.year:
            g.add((node, CG.year, Literal(str(r.year), datatype=XSD.gYear)))
        g.add((a, CG.origin, pl))

    def _visit(self, node, r: Relation, ev: URIRef) -> None:
        g = self.g
        b = self.iri[r.target]
        g.add((node, RDF.type, CG.Visit))
        g.add((node, CG.target, b))
        if self.park is not None:
            g.add((node, CG.visitor, self.park))
            g.add((b, CG.visitedBy, self.park))
        if r.note:
            g.add((node, CG.visitorNote, Literal(r.note, lang="zh")))

    def _project(self, node, r: Relation, ev: URIRef) -> None:
        """A firm's project in the park; its amount is a figure on the firm, with the same evidence."""
        g = self.g
        a = self.iri[r.source]
        g.add((node, RDF.type, CG.Project))
        g.add((node, CG.firm, a))
        g.add((node, RDFS.label, Literal(self.names[r.source] + "项目", lang="zh")))
        if self.park is not None:
            g.add((node, CG.park, self.park))
        g.add((node, CG.leadStage, CG[r.stage or "Signed"]))
        if r.year:
            g.add((node, CG.year, Literal(str(r.year), datatype=XSD.gYear)))
        if r.amount is not None:
            self._add_figure(a, "InvestmentAmount", r.amount, r.unit or "", None, ev)


#: relation type → how its fact node is written
_RELATION_WRITERS = {
    "referral": _Staging._referral, "supply": _Staging._supply, "investment": _Staging._investment,
    "relocation": _Staging._relocation, "visit": _Staging._visit, "project": _Staging._project,
}
