"""Turn extraction results into a staging graph, and merge staging graphs into user data.

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
from pathlib import Path
from typing import Iterable, Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from chaingraph.ingest.extract import Extraction, Span
from chaingraph.ingest.names import parse_name, valid_trade
from chaingraph.namespaces import CG, COMPANY, FACT, PLACE, PRODUCT, SOURCE, bind_prefixes
from chaingraph.normalize import normalize

INGESTED_FILE = "ingested.ttl"

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

_NAME_PROPS = (RDFS.label, CG.fullName, CG.shortName)


def _sha1(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def company_iri(key: str) -> URIRef:
    """IRI of a new firm from its canonical key (normalised trade name)."""
    return COMPANY["x-" + _sha1(normalize(key).text)[:10]]


def source_iri(sha256: str) -> URIRef:
    """IRI of an article from the SHA-256 of its bytes."""
    return SOURCE["sha-" + sha256[:12]]


def place_iri(name: str, places: Mapping[str, str] | None = None) -> URIRef:
    """IRI of a place name: from ``places``, the built-in slugs, or a hash."""
    name = name.rstrip("市省")
    if places and name in places:
        return URIRef(places[name])
    slug = PLACE_SLUGS.get(name)
    return PLACE[slug] if slug else PLACE["x-" + _sha1(name)[:8]]


def _evidence(g: Graph, src: URIRef, span: Span, confidence: float, what: str, prop=None) -> URIRef:
    ev = FACT["ev-" + _sha1(src, span.start, span.end, what)[:12]]
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
    return FACT[f"{prefix}-" + _sha1(*parts)[:12]]


def remint_facts(g: Graph) -> None:
    """Give every n-ary fact node the IRI computed from its role values (in place)."""
    for cls in FACT_ROLES:
        for node in list(g.subjects(RDF.type, cls)):
            new = _fact_iri(g, node, cls)
            if new != node:
                _rename(g, node, new)


def _rename(g: Graph, old, new) -> None:
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

    Returns
    -------
    rdflib.Graph
    """
    g = Graph()
    bind_prefixes(g)
    src = source_iri(sha256)
    g.add((src, RDF.type, CG.Source))
    g.add((src, CG.fileName, Literal(file_name)))
    g.add((src, CG.sha256, Literal(sha256)))
    park = URIRef(park_iri) if park_iri else None
    iri: dict[str, URIRef] = {}
    for f in extraction.firms:
        c = URIRef(f.known_iri) if f.known_iri else company_iri(f.key)
        iri[f.key] = c
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
            g.add((c, CG.evidence, _evidence(g, src, m.span, m.confidence, "name")))
        if f.in_park and park is not None:
            g.add((c, CG.park, park))
        for t in f.tiers:
            g.add((c, CG.tier, CG[t.tier]))
            g.add((c, CG.evidence, _evidence(g, src, t.span, t.confidence, "tier", CG.tier)))
        for p in f.products:
            prod = PRODUCT["x-" + _sha1(normalize(p.name).text)[:10]]
            g.add((prod, RDF.type, CG.Product))
            g.add((prod, RDFS.label, Literal(p.name, lang="zh")))
            g.add((c, CG.makes, prod))
            g.add((c, CG.evidence, _evidence(g, src, p.span, p.confidence, "makes", CG.makes)))
            for s in p.segments:
                seg = URIRef(s)
                g.add((c, CG.inSegment, seg))
                link = BNode()
                g.add((link, RDF.type, CG.SegmentLink))
                g.add((link, CG.firm, c))
                g.add((link, CG.segment, seg))
                g.add((link, CG.basis, CG.StatedProduct))
                g.add((link, CG.product, prod))
                g.add((link, CG.evidence, _evidence(g, src, p.span, p.confidence, "seglink")))
        for fig in f.figures:
            node = BNode()
            g.add((node, RDF.type, CG.Figure))
            g.add((node, CG.about, c))
            g.add((node, CG.metric, CG[fig.metric]))
            g.add((node, CG.value, Literal(f"{fig.value:g}", datatype=XSD.decimal)))
            g.add((node, CG.unit, Literal(fig.unit, lang="zh")))
            if fig.year:
                g.add((node, CG.year, Literal(str(fig.year), datatype=XSD.gYear)))
            g.add((node, CG.evidence, _evidence(g, src, fig.span, fig.confidence, "figure")))
    for r in extraction.relations:
        node = BNode()
        ev = _evidence(g, src, r.evidence, r.confidence, r.type)
        g.add((node, CG.evidence, ev))
        if r.type == "referral":
            a, b = iri[r.source], iri[r.target]
            g.add((node, RDF.type, CG.Referral))
            g.add((node, CG.referrer, a))
            g.add((node, CG.referee, b))
            g.add((node, CG.referralKind, CG[r.kind or "PeerReferral"]))
            g.add((node, CG.leadStage, CG[r.stage or "Introduced"]))
            g.add((a, CG.referred, b))
        elif r.type == "supply":
            a, b = iri[r.source], iri[r.target]
            g.add((node, RDF.type, CG.Supply))
            g.add((node, CG.supplier, a))
            g.add((node, CG.customer, b))
            g.add((a, CG.supplies, b))
        elif r.type == "investment":
            a, b = iri[r.source], iri[r.target]
            g.add((node, RDF.type, CG.Investment))
            g.add((node, CG.investor, a))
            g.add((node, CG.investee, b))
            g.add((a, CG.invested, b))
        elif r.type == "relocation":
            a, pl = iri[r.source], place_iri(r.place or r.target, places)
            g.add((pl, RDF.type, CG.Place))
            g.add((pl, RDFS.label, Literal((r.place or r.target).rstrip("市省"), lang="zh")))
            g.add((node, RDF.type, CG.Relocation))
            g.add((node, CG.firm, a))
            g.add((node, CG.fromPlace, pl))
            if park is not None:
                g.add((node, CG.toPark, park))
            if r.year:
                g.add((node, CG.year, Literal(str(r.year), datatype=XSD.gYear)))
            g.add((a, CG.origin, pl))
        elif r.type == "visit":
            b = iri[r.target]
            g.add((node, RDF.type, CG.Visit))
            g.add((node, CG.target, b))
            if park is not None:
                g.add((node, CG.visitor, park))
                g.add((b, CG.visitedBy, park))
            if r.note:
                g.add((node, CG.visitorNote, Literal(r.note, lang="zh")))
        elif r.type == "project":
            a = iri[r.source]
            g.add((node, RDF.type, CG.Project))
            g.add((node, CG.firm, a))
            g.add((node, RDFS.label, Literal(extraction.firm(r.source).name + "项目", lang="zh")))
            if park is not None:
                g.add((node, CG.park, park))
            g.add((node, CG.leadStage, CG[r.stage or "Signed"]))
            if r.year:
                g.add((node, CG.year, Literal(str(r.year), datatype=XSD.gYear)))
            if r.amount is not None:
                fig = BNode()
                g.add((fig, RDF.type, CG.Figure))
                g.add((fig, CG.about, a))
                g.add((fig, CG.metric, CG.InvestmentAmount))
                g.add((fig, CG.value, Literal(f"{r.amount:g}", datatype=XSD.decimal)))
                g.add((fig, CG.unit, Literal(r.unit or "", lang="zh")))
                g.add((fig, CG.evidence, ev))
    remint_facts(g)
    return g


# ---------------------------------------------------------------- linking and merging

def firm_names(graph: Graph, firm) -> list[str]:
    """All names of a firm in a graph (label, full name, short names), normalised, sorted."""
    return sorted({normalize(str(o)).text for p in _NAME_PROPS for o in graph.objects(firm, p)})


def known_firms(graph: Graph) -> list[tuple[str, list[str]]]:
    """``(iri, names)`` of every ``cg:Company`` in ``graph``: the input ``extract`` links to.

    Examples
    --------
    >>> g = Graph(); _ = g.parse(data='@prefix cg: <https://w3id.org/chaingraph/ns#> . '
    ...     '<urn:x> a cg:Company ; cg:shortName "星河电子"@zh .', format="turtle")
    >>> known_firms(g)
    [('urn:x', ['星河电子'])]
    """
    return [(str(c), firm_names(graph, c)) for c in sorted(set(graph.subjects(RDF.type, CG.Company)))]


def _match(names: Iterable[str], index: dict[str, URIRef], trades: dict[str, URIRef]):
    names = list(names)
    for n in names:
        if n in index:
            return index[n]
    for n in names:
        t = parse_name(n).trade
        if valid_trade(t) and t in trades:
            return trades[t]
    return None


def merge_staging(target: Graph | str | Path, staging: Graph, *, known: Graph | None = None) -> dict:
    """Add a staging graph's facts to a graph or to a user data folder, without duplicates.

    A staging firm that matches a firm of the target (or of ``known``, e.g. the bundled data)
    by a normalised name or trade name is rewritten to that firm's IRI; its names the target
    lacks become ``cg:shortName`` (a firm keeps one ``rdfs:label`` and one ``cg:fullName``).
    Fact nodes are re-minted from their (rewritten) roles, so a fact already merged is not
    added again.

    Parameters
    ----------
    target : rdflib.Graph or path
        A graph (changed in place) or a directory whose ``ingested.ttl`` is read and rewritten
        atomically (temporary file, then ``os.replace``).
    staging : rdflib.Graph
        From :func:`to_staging` (not modified).
    known : rdflib.Graph, optional
        Further firms to link to (not written).

    Returns
    -------
    dict
        ``{"path", "added", "new_firms", "linked_firms", "new_aliases", "skipped"}``; ``skipped``
        lists the staging statements left out because they would break the SHACL shapes
        (:func:`drop_invalid`).
    """
    if isinstance(target, Graph):
        return _merge(target, None, staging, known)
    from chaingraph.fileio import folder_lock

    d = Path(target)
    with folder_lock(d):  # concurrent merges: each reads the file the previous one wrote
        path = d / INGESTED_FILE
        g = Graph()
        if path.exists():
            from chaingraph.store import parse_file

            parse_file(g, path)
            stable_bnodes(g)  # blank nodes merged by an older version
        return _merge(g, path, staging, known)


def _merge(g: Graph, path: Path | None, staging: Graph, known: Graph | None) -> dict:
    bind_prefixes(g)
    pool = Graph()
    pool += g
    if known is not None:
        pool += known
    index: dict[str, URIRef] = {}
    trades: dict[str, URIRef] = {}
    for c in sorted(set(pool.subjects(RDF.type, CG.Company))):
        for n in firm_names(pool, c):
            index.setdefault(n, c)
            t = parse_name(n).trade
            if valid_trade(t):
                trades.setdefault(t, c)
    st = Graph()
    st += staging
    new_firms = linked = new_aliases = 0
    for c in sorted(set(st.subjects(RDF.type, CG.Company))):
        names = firm_names(st, c)
        if (c, RDF.type, CG.Company) in pool:
            tgt = c
        else:
            tgt = _match(names, index, trades)
        if tgt is None:
            new_firms += 1
            continue
        linked += 1
        if tgt != c:
            _rename(st, c, tgt)
        existing = set(firm_names(pool, tgt))
        has_label = any(pool.objects(tgt, RDFS.label))
        has_full = any(pool.objects(tgt, CG.fullName))
        fresh = set()
        for p in _NAME_PROPS:
            for o in list(st.objects(tgt, p)):
                n = normalize(str(o)).text
                keep_prop = (p is RDFS.label and not has_label) or (p is CG.fullName and not has_full)
                if keep_prop:
                    continue
                st.remove((tgt, p, o))
                if n not in existing:
                    st.add((tgt, CG.shortName, o))
                    fresh.add(n)
        new_aliases += len(fresh)
    remint_facts(st)
    stable_bnodes(st)
    skipped, left = drop_invalid(st, pool)
    before = len(g)
    for t in st:
        g.add(t)
    added = len(g) - before
    if path is not None and (added or not path.exists()):
        _write_atomic(g, path)
    return {"path": str(path) if path else None, "added": added, "new_firms": new_firms,
            "linked_firms": linked, "new_aliases": new_aliases, "skipped": skipped, "problems_left": left}


def stable_bnodes(g: Graph) -> None:
    """Name every blank node by a hash of what it says (innermost first), in place.

    A blank node read from a file is a new node each time, so merging the same staging graph
    twice used to add its evidence nodes twice; named by content, the second merge adds nothing.
    Blank nodes in a cycle keep their blank identity.
    """
    names: dict[BNode, URIRef] = {}
    pending = {n for n in set(g.subjects()) if isinstance(n, BNode)}
    while pending:
        ready = []
        for b in pending:
            outs = list(g.predicate_objects(b))
            if all(not isinstance(o, BNode) or o in names for _, o in outs):
                key = sorted((p.n3(), names.get(o, o).n3()) for p, o in outs)
                ready.append((b, FACT["node-" + _sha1(*[f"{p} {o}" for p, o in key])[:16]]))
        if not ready:
            break
        for b, iri in ready:
            names[b] = iri
            pending.discard(b)
    for b, iri in names.items():
        _rename(g, b, iri)


def drop_invalid(st: Graph, pool: Graph, *, rounds: int = 3) -> tuple[list[dict], list[dict]]:
    """Remove from ``st`` what would break the SHACL shapes once merged; what was removed.

    Validates the staging facts together with what the graph already says about the nodes they
    touch.  A fact (referral, supply, visit, project, segment link, figure …) that violates a
    shape is left out whole (with the links to it); extra values (a second Chinese label, a
    second park) are left out, keeping the graph's own; for a node the graph already has, the
    staging's statements on the violated property are left out.  Firms, sources and places the
    facts rest on are never dropped: their problems are returned as ``left``.  Returns
    ``(skipped, left)``, each ``[{"node", "property", "message"}]``.
    """
    from chaingraph.validate import shapes_graph, tbox_graph

    import pyshacl
    from rdflib.namespace import SH

    skipped: list[dict] = []
    left: list[dict] = []
    for _ in range(rounds):
        left = []
        data = Graph()
        data += tbox_graph()
        data += st
        nodes = set(st.subjects()) | {o for o in st.objects() if isinstance(o, (URIRef, BNode))}
        for n in nodes:
            for p, o in pool.predicate_objects(n):
                data.add((n, p, o))
                if isinstance(o, BNode):
                    for t in pool.triples((o, None, None)):
                        data.add(t)
                elif isinstance(o, URIRef):
                    for t in pool.triples((o, RDF.type, None)):
                        data.add(t)
        conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), inference="none",
                                                advanced=True, inplace=True, allow_warnings=False)
        if conforms:
            break
        found = False
        for r in results.subjects(RDF.type, SH.ValidationResult):
            focus, path = results.value(r, SH.focusNode), results.value(r, SH.resultPath)
            if focus not in set(st.subjects()):
                continue  # not the staging's doing
            message = " / ".join(str(m) for m in results.objects(r, SH.resultMessage)) or "violates a shape"
            component = str(results.value(r, SH.sourceConstraintComponent) or "")
            known = (focus, None, None) in pool
            if isinstance(path, URIRef) and component.endswith(("MaxCountConstraintComponent", "UniqueLangConstraintComponent")):
                # too many values: keep what the graph has, else the first of the staging's per language
                have = {getattr(o, "language", None) for o in pool.objects(focus, path)}
                removed = []
                for o in sorted(st.objects(focus, path), key=lambda x: x.n3()):
                    lang = getattr(o, "language", None)
                    if (focus, path, o) in pool:
                        continue
                    if lang in have or component.endswith("MaxCountConstraintComponent") and have:
                        removed.append((focus, path, o))
                    have.add(lang)
            elif any((focus, RDF.type, cls) in st for cls in FACT_ROLES):
                # a new fact missing what it needs (a park, a visitor, evidence): left out whole
                removed = list(st.triples((focus, None, None))) + list(st.triples((None, None, focus)))
            elif known and isinstance(path, URIRef):
                removed = [t for t in st.triples((focus, path, None)) if t not in pool]
            else:  # a firm, source or place the facts rest on: kept, and reported
                removed = []
                left.append({"node": str(focus), "property": str(path) if path else None,
                             "message": message.split(" / ")[0]})
            for t in removed:
                st.remove(t)
            if removed:
                found = True
                skipped.append({"node": str(focus), "property": str(path) if path else None,
                                "message": message.split(" / ")[0]})
        if not found:
            break
    return skipped, left


def _write_atomic(g: Graph, path: Path) -> None:
    from chaingraph.fileio import write_text_atomically

    write_text_atomically(path, g.serialize(format="turtle"))
