"""Build the chain map as plain data: the poster (全景图谱) and the network, ready for the page.

:func:`build_view` reads the chain analysis (:mod:`chaingraph.analysis`: panorama, gaps,
targets) and returns plain dicts of ``str``/``int``/``float``/``bool``/``list``/``dict``:

* ``meta["poster"]`` — per chain, stage columns (上游/中游/下游) of segment ids in the
  panorama's order, with the chain's counts exactly as ``chaingraph chain``/``report`` print them;
* ``nodes``/``edges`` — the same segments plus local firms, the top candidates of each gap and
  the firms, places and parks related to them, positioned in a layered layout (upstream →
  downstream, one band per chain) so the network view needs no physics.

Every card the page shows is built here, in Chinese: names (never IRIs), each status with its
reason, each score with its components, evidence as the quoted sentence with its article title
(the text pieces in :mod:`chaingraph.viz.cards`, the positions in :mod:`chaingraph.viz.layout`).
Evidence is read only for what is drawn.  Strings are kept verbatim — they are untrusted and the
page shows them with ``textContent``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from chaingraph.analysis.context import AnalysisContext, build_context, resolve_chain
from chaingraph.analysis.gaps import find_gaps
from chaingraph.analysis.panorama import panorama
from chaingraph.analysis.status import STATUS_INFO, STATUSES  # one set of status words and colours (#14)
from chaingraph.analysis.targets import rank_targets
from chaingraph.analysis.targets.explain import pool_notice
from chaingraph.defaults import DEFAULT_PARK
from chaingraph.errors import ChaingraphError
from chaingraph.project import evidence_by_subject, names_of
from chaingraph.viz.cards import candidate_card, evidence_lines, gap_lines, search_keys
from chaingraph.viz.layout import COL_W, FIRM_DX, FIRM_ROW, Point, chain_bands, member_position, poster_order
from chaingraph.viz.styles import (EDGE_STYLES, NODE_KINDS, OTHER_STATUS_COLOR, RELATED_STYLES, STATUS_COLORS, Link,
                                   vis_edge)

DEFAULT_THRESHOLD = 300
LISTED = 10          # candidates per gap listed in its card (``targets`` of them drawn)
URGENT = 5           # gaps per chain numbered on the poster (as ``report`` lists them)
ALL_CHAINS = ("all", "全部", "*")


# ---------------------------------------------------------------- which chains


def view_chains(ctx: AnalysisContext, chain) -> list[str]:
    """Chain IRIs of the view: names, ``"all"``, default the park's focus chains."""
    if chain is None:
        return sorted(ctx.focus_chains)
    names = [chain] if isinstance(chain, str) else list(chain)
    if any(n in ALL_CHAINS for n in names):
        return sorted(ctx.chains)
    return list(dict.fromkeys(resolve_chain(ctx, n) for n in names))


# ---------------------------------------------------------------- the view, step by step
#
# build_view runs five steps, each a function below: what the analysis says (Analysis), who is
# drawn (Cast), where the segments sit (Layout), the nodes and edges, then the poster and meta.


@dataclass
class Analysis:
    """What the chain analysis says about the chains of the view (step 1)."""

    chain_iris: list[str]                # the chains asked for, in that order
    dag: Any                             # networkx.DiGraph: the chain DAG cut to those chains
    panos: dict[str, dict]               # chain -> panorama()
    rows_by_seg: dict[str, dict]         # segment -> its panorama row
    gap_by_seg: dict[str, dict]          # segment -> its find_gaps row
    cards_by_seg: dict[str, list[dict]]  # segment -> candidate cards (the first ``listed``)
    cand_total: dict[str, int]           # segment -> candidates ranked
    gap_segs: list[str]                  # gap segments, highest priority first
    urgent: dict[str, int]               # gap segment -> its number on the poster (1..URGENT per chain)


@dataclass
class Cast:
    """Who is drawn (step 2): local firms, the gaps' top candidates and what relates to them."""

    firm_home: dict[str, str]   # local firm -> the most specific segment it is drawn under
    cand_home: dict[str, str]   # candidate -> the gap segment it is drawn under
    cand_row: dict[str, dict]   # candidate -> its candidate card
    relations: list[dict]       # relation edges touching a drawn firm
    related: list[str]          # the other ends of those relations (firms, places, parks)
    attrs: dict[str, dict]      # firm -> AnalysisContext.firm_info
    ev: dict[str, list[dict]]   # subject (firm, fact) -> its evidence
    seg_label: dict[str, str]   # segment -> its label
    source: Any                 # the context's source (labels of anything else)

    def label(self, x: str) -> str:
        return (self.attrs.get(x) or {}).get("label") or self.source.label(x)

    def names(self, f: str) -> list[str]:
        return names_of(self.attrs[f]) if f in self.attrs else [self.label(f)]

    def firm_card(self, f: str, kind: str) -> dict:
        a = self.attrs.get(f) or {}
        return {
            "name": self.label(f), "kind": NODE_KINDS[kind], "full_name": a.get("full_name"),
            "aliases": [x for x in a.get("aliases", []) if x not in (a.get("label"), a.get("full_name"))],
            "park": a.get("park_label"), "city": a.get("city_label"), "origin": a.get("origin_label"),
            "products": list(a.get("products", [])),
            "segments": [self.seg_label[s] for s in a.get("segments", []) if s in self.seg_label],
            "tiers": list(a.get("tiers", [])), "stock_code": a.get("stock_code"), "xiangshang": bool(a.get("xiangshang")),
            "evidence": evidence_lines(self.ev.get(f)),
        }


@dataclass
class Layout:
    """Where the chains and segments sit (step 3): one band per chain, layers left → right."""

    chains_in_view: list[str]   # detailed chains first, then by IRI
    seg_pos: dict[str, Point]
    band_top: dict[str, float]  # chain -> y of its band


def build_view(
    source,
    *,
    chain: str | list[str] | None = None,
    scope: str = "park",
    park: str = DEFAULT_PARK,
    targets: int = 3,
    listed: int = LISTED,
    threshold: int = DEFAULT_THRESHOLD,
    collapsed: bool | None = None,
    gaps: list[dict] | None = None,
    candidates: dict[str, list[dict]] | None = None,
    candidate_counts: dict[str, int] | None = None,
    title: str | None = None,
) -> dict:
    """The chain map of ``source`` as ``{"nodes": [...], "edges": [...], "meta": {...}}``.

    Parameters
    ----------
    source : rdflib.Graph or AnalysisContext
        The graph (an analysis context is built from it) or a ready context.
    chain : str or list of str, optional
        A chain name (先进电子器件, ``equipment``, …) or several; ``"all"`` for every chain;
        default the park's focus chains.
    scope : {"park", "city"}
        Local firms are those settled in ``park`` or anywhere in its city.
    park : str
        The park whose map this is.
    targets : int
        Candidate targets drawn for each gap (缺失/薄弱) segment.
    listed : int
        Candidates listed in a gap's card (the first ``targets`` shown, the rest on demand).
    threshold : int
        Above this many firm nodes the network view starts at segment level (``collapsed``).
    collapsed : bool, optional
        Force the start level; default from ``threshold``.
    gaps, candidates : optional
        Precomputed :func:`~chaingraph.analysis.gaps.find_gaps` rows and ``{segment_iri:
        rank_targets rows}``; computed when omitted.
    candidate_counts : dict, optional
        ``{segment_iri: candidates ranked}`` with precomputed ``candidates`` (the cards say how
        many there are beyond those listed).
    title : str, optional
        Page heading; default "<park> · 产业链全景图谱".

    Returns
    -------
    dict
        ``nodes``: ``id``, ``kind``, ``label``, ``x``, ``y``, vis style keys, ``home`` (segment
        a firm is drawn under), ``lazy`` (loaded once its segment is expanded), ``card`` (what
        the panels show) and ``search`` (name keys).  ``edges``: ``id``, ``from``, ``to``,
        ``kind``, vis style keys and ``card``.  ``meta``: ``poster`` (per chain: counts as the
        CLI prints them, stage columns of segment ids), legend, statuses and node/edge counts.

    Examples
    --------
    >>> from chaingraph.analysis.context import example_graph
    >>> v = build_view(example_graph(), park="示范园")
    >>> v["meta"]["counts"]["segment"], v["meta"]["counts"]["firm"], v["nodes"][0]["kind"]
    (5, 3, 'chain')
    >>> p = v["meta"]["poster"][0]
    >>> [(s["stage"], len(s["segments"])) for s in p["stages"]], p["local_firm_count"]
    ([('上游', 1), ('中游', 2), ('下游', 2)], 3)
    """
    if scope not in ("park", "city"):
        raise ChaingraphError(f"unknown scope {scope!r}; choose park or city")
    ctx = source if isinstance(source, AnalysisContext) else build_context(source, park=park, scope=scope)
    an = _analyse(ctx, chain, targets=targets, listed=listed, gaps=gaps, candidates=candidates,
                  candidate_counts=candidate_counts)
    cast = _cast(ctx, an, targets)
    layout = _layout(ctx, an, cast)
    nodes = (_chain_nodes(ctx, an, layout) + _segment_nodes(ctx, an, cast, layout) + _member_nodes(an, cast, layout)
             + _related_nodes(cast))
    name_by_node = {n["id"]: n["card"]["name"] for n in nodes}
    edges = [vis_edge(i, link, name_by_node) for i, link in enumerate(_links(an, cast, layout, targets))]
    is_collapsed = _start_level(nodes, threshold, collapsed)
    meta = _meta(ctx, layout, nodes, edges, title=title, poster=_poster(an), targets=targets, listed=listed,
                 threshold=threshold, collapsed=is_collapsed)
    # where the candidates' product facts come from and how old they are, beside every list of them
    meta["candidate_note"] = pool_notice(c["id"] for cards in an.cards_by_seg.values() for c in cards)
    return {"nodes": nodes, "edges": edges, "meta": meta}


def _ranked_candidates(ctx: AnalysisContext, chain_iris: list[str], gaps: list[dict], top: int
                       ) -> tuple[dict[str, list[dict]], dict[str, int]]:
    """``rank_targets`` per chain: ``({segment: rows}, {segment: candidates ranked})``."""
    candidates: dict[str, list[dict]] = defaultdict(list)
    totals: dict[str, int] = {}
    for c in chain_iris:
        res = rank_targets(ctx, chain=c, top=top, gaps=[r for r in gaps if r.get("chain") == c])
        for r in res["rows"]:
            candidates[r["segment"]].append(r)
        totals.update({s["segment"]: s["candidates"] for s in res["segments"]})
    return candidates, totals


def _analyse(ctx: AnalysisContext, chain, *, targets: int, listed: int, gaps: list[dict] | None,
             candidates: dict[str, list[dict]] | None, candidate_counts: dict[str, int] | None) -> Analysis:
    """Step 1: panorama, gaps and ranked candidates of the view's chains (given ones are used)."""
    chain_iris = view_chains(ctx, chain)
    dag = ctx.dag.subgraph(s for s in ctx.dag if ctx.dag.nodes[s]["chain"] in chain_iris).copy()
    panos = {c: panorama(ctx, c) for c in chain_iris}
    if gaps is None:
        gaps = [r for c in chain_iris for r in find_gaps(ctx, chain=c)]
    gap_by_seg = {r["segment"]: r for r in gaps if r["segment"] in dag}
    cand_total: dict[str, int] = dict(candidate_counts or {})
    if candidates is None:
        candidates = {}
        if targets > 0:
            candidates, totals = _ranked_candidates(ctx, chain_iris, gaps, max(targets, listed))
            cand_total.update(totals)
    gap_segs = sorted(gap_by_seg, key=lambda s: (-float(gap_by_seg[s].get("priority") or 0), s))
    urgent: dict[str, int] = {}
    for c in chain_iris:
        for i, s in enumerate([s for s in gap_segs if dag.nodes[s]["chain"] == c][:URGENT], 1):
            urgent[s] = i
    return Analysis(
        chain_iris=chain_iris, dag=dag, panos=panos,
        rows_by_seg={r["segment"]: r for p in panos.values() for r in p["rows"]}, gap_by_seg=gap_by_seg,
        cards_by_seg={s: [candidate_card(r) for r in rows[:listed]] for s, rows in candidates.items() if s in dag},
        cand_total=cand_total, gap_segs=gap_segs, urgent=urgent,
    )


def _cast(ctx: AnalysisContext, an: Analysis, targets: int) -> Cast:
    """Step 2: local firms under their most specific segment, the gaps' top ``targets``
    candidates (each under its most urgent gap), and the firms, places and parks related to them
    with the evidence of what is drawn."""
    firm_home: dict[str, str] = {}
    for s in ctx.chain_segments(None):
        if s not in an.dag:
            continue
        for f in an.rows_by_seg[s]["local_firm_iris"]:
            home = firm_home.get(f)
            if home is None or an.dag.nodes[s].get("broader") == home:
                firm_home[f] = s
    local = set(firm_home)
    cand_home: dict[str, str] = {}
    cand_row: dict[str, dict] = {}
    for s in an.gap_segs + sorted(set(an.cards_by_seg) - set(an.gap_segs)):
        for card in an.cards_by_seg.get(s, [])[:max(targets, 0)]:
            if card["id"] not in local and card["id"] not in cand_home:
                cand_home[card["id"]] = s
                cand_row[card["id"]] = card
    shown = local | set(cand_home)
    relations = [e for e in ctx.source.relation_edges()
                 if (e["a"] in shown or e["b"] in shown) and e["a"] != e["b"]]
    related = sorted({x for e in relations for x in (e["a"], e["b"])} - shown)
    subjects = shown | set(related) | {e["fact"] for e in relations}
    return Cast(
        firm_home=firm_home, cand_home=cand_home, cand_row=cand_row, relations=relations, related=related,
        attrs=ctx.firm_info(sorted(shown | set(related))),
        ev=evidence_by_subject(ctx.source.graph, subjects=sorted(x for x in subjects if x.startswith("http"))),
        seg_label={s: an.dag.nodes[s]["label"] for s in an.dag}, source=ctx.source,
    )


def _layout(ctx: AnalysisContext, an: Analysis, cast: Cast) -> Layout:
    """Step 3: the chain bands one under another (detailed chains first), segments layered within each."""
    chains_in_view = sorted(an.chain_iris, key=lambda c: (ctx.chains[c].get("granularity") != "detailed", c))
    at_seg: dict[str, int] = defaultdict(int)
    for s in list(cast.firm_home.values()) + list(cast.cand_home.values()):
        at_seg[s] += 1
    seg_pos, band_top = chain_bands(an.dag, chains_in_view, at_seg)
    return Layout(chains_in_view=chains_in_view, seg_pos=seg_pos, band_top=band_top)


def _chain_nodes(ctx: AnalysisContext, an: Analysis, layout: Layout) -> list[dict]:
    """Step 4a: a title box at the left of each chain band."""
    return [{
        "id": c, "kind": "chain", "label": ctx.chains[c]["label"], "chain": c,
        "x": float(-COL_W * 0.9), "y": layout.band_top[c], "shape": "box",
        "color": {"background": "#2d3a4f", "border": "#2d3a4f"},
        "font": {"size": 22, "color": "#ffffff"}, "margin": 12, "lazy": False, "home": None,
        "card": {"name": ctx.chains[c]["label"], "kind": NODE_KINDS["chain"], "segments_count": len(an.panos[c]["rows"]),
                 "local_firm_count": an.panos[c]["local_firm_count"]},
        "search": search_keys([ctx.chains[c]["label"], ctx.chains[c].get("label_en")]),
    } for c in layout.chains_in_view]


def _segment_card(ctx: AnalysisContext, an: Analysis, s: str) -> dict:
    """What a segment's card says: status with its reason, gap priority with its parts, candidates."""
    d, row, g = an.dag.nodes[s], an.rows_by_seg[s], an.gap_by_seg.get(s, {})
    status = row["status"]
    return {
        "name": d["label"], "kind": NODE_KINDS["segment"], "chain": ctx.chains[d["chain"]]["label"],
        "stage": row["stage"], "status": status, "status_reason": row["status_reason"],
        "status_explanation": row.get("status_explanation") or f"{status}：{row['status_reason']}",
        "broader": row["broader"], "leader_expected": row["leader_expected"], "leaders": row["leaders"],
        "local_firms": [{"id": f, "name": n} for f, n in zip(row["local_firm_iris"], row["local_firms"])],
        "reported_count": row["reported_count"],
        "gap_kind": g.get("kind"), "priority": g.get("priority"), "urgent": an.urgent.get(s),
        "explanation": g.get("explanation"), "priority_parts": gap_lines(g.get("components")),
        "demand": list(g.get("demand_firms") or []),
        "planning": [{"quote": p.get("quote"), "title": p.get("source_title")} for p in g.get("planning") or []],
        "products": list(d.get("product_terms", [])),
        "candidates": an.cards_by_seg.get(s, []), "candidates_total": an.cand_total.get(s, len(an.cards_by_seg.get(s, []))),
    }


def _segment_nodes(ctx: AnalysisContext, an: Analysis, cast: Cast, layout: Layout) -> list[dict]:
    """Step 4b: a box per segment, coloured by status, framed when a chain leader is expected."""
    nodes = []
    dag, seg_pos = an.dag, layout.seg_pos
    for s in sorted(dag, key=lambda s: (layout.chains_in_view.index(dag.nodes[s]["chain"]), seg_pos[s])):
        d, row = dag.nodes[s], an.rows_by_seg[s]
        status = row["status"]
        color = STATUS_COLORS.get(status, OTHER_STATUS_COLOR)
        n_local = len(row["local_firms"])
        nodes.append({
            "id": s, "kind": "segment", "label": d["label"] + (f"\n{n_local}家本地企业" if n_local else ""),
            "chain": d["chain"], "status": status, "x": seg_pos[s][0], "y": seg_pos[s][1], "shape": "box",
            "color": {"background": color, "border": "#1f2a3a" if d.get("leader_expected") else color,
                      "highlight": {"background": color, "border": "#111111"}},
            "borderWidth": 3 if d.get("leader_expected") else 1,
            "font": {"size": 17, "color": "#ffffff"}, "margin": 10, "widthConstraint": {"maximum": 190},
            "lazy": False, "home": None, "firm_count": n_local,
            "candidate_count": sum(1 for h in cast.cand_home.values() if h == s),
            "card": _segment_card(ctx, an, s),
            "search": search_keys([d["label"], d.get("label_en")]),
        })
    return nodes


def _candidate_node(an: Analysis, cast: Cast, f: str, home: str, at: Point) -> dict:
    info = cast.cand_row[f]
    card = {**cast.firm_card(f, "candidate"), **{k: v for k, v in info.items() if k != "id" and v not in (None, [])}}
    card["gaps"] = [{"segment": gs, "label": cast.seg_label[gs], "rank": j + 1}
                    for gs in an.gap_segs for j, cc in enumerate(an.cards_by_seg.get(gs, [])) if cc["id"] == f]
    return {
        "id": f, "kind": "candidate", "label": card["name"], "x": at.x, "y": at.y, "shape": "diamond", "size": 13,
        "color": {"background": "#f3e5fa", "border": "#8e44ad", "highlight": {"background": "#e1bee7", "border": "#5b2c6f"}},
        "borderWidth": 2, "font": {"size": 13, "color": "#5b2c6f"},
        "chain": an.dag.nodes[home]["chain"], "home": home, "lazy": True, "status": None, "card": card,
        "search": search_keys(cast.names(f) + [info["name"]]),
    }


def _firm_node(an: Analysis, cast: Cast, f: str, home: str, at: Point) -> dict:
    return {
        "id": f, "kind": "firm", "label": cast.label(f), "x": at.x, "y": at.y, "shape": "dot", "size": 9,
        "color": {"background": "#34495e", "border": "#1c2833", "highlight": {"background": "#f1c40f", "border": "#1c2833"}},
        "font": {"size": 13, "color": "#1c2833"},
        "chain": an.dag.nodes[home]["chain"], "home": home, "lazy": True, "status": None,
        "card": cast.firm_card(f, "firm"), "search": search_keys(cast.names(f)),
    }


def _member_nodes(an: Analysis, cast: Cast, layout: Layout) -> list[dict]:
    """Step 4c: local firms (by name) then candidates in rows of ``FIRM_COLS`` under their segment."""
    placed: dict[str, list[str]] = defaultdict(list)
    for f in sorted(cast.firm_home, key=lambda f: (cast.label(f), f)):
        placed[cast.firm_home[f]].append(f)
    for c, s in cast.cand_home.items():
        placed[s].append(c)
    nodes = []
    for s, members in placed.items():
        for i, f in enumerate(members):
            at = member_position(layout.seg_pos[s], i)
            make = _candidate_node if f in cast.cand_home else _firm_node
            nodes.append(make(an, cast, f, s, at))
    return nodes


def _related_nodes(cast: Cast) -> list[dict]:
    """Step 4d: related firms, places (relocation origins) and parks (visitors), left of the bands."""
    kind_of: dict[str, str] = {}
    for e in cast.relations:
        kind_of.setdefault(e["a"], "park" if e["kind"] == "visit" else "external")
        kind_of.setdefault(e["b"], "place" if e["kind"] == "relocation" else "external")
    nodes = []
    for i, n in enumerate(sorted(cast.related, key=lambda n: (kind_of[n], cast.label(n), n))):
        kind = kind_of[n]
        card = (cast.firm_card(n, kind) if n in cast.attrs
                else {"name": cast.label(n), "kind": NODE_KINDS[kind], "evidence": evidence_lines(cast.ev.get(n))})
        nodes.append({
            "id": n, "kind": kind, "label": cast.label(n), "x": -COL_W * 2.1 + (i % 2) * FIRM_DX, "y": (i // 2) * FIRM_ROW * 1.2,
            **RELATED_STYLES[kind], "font": {"size": 13, "color": "#1c2833"},
            "chain": None, "home": None, "lazy": True, "status": None, "card": card, "search": search_keys(cast.names(n)),
        })
    return nodes


def _links(an: Analysis, cast: Cast, layout: Layout, targets: int) -> list[Link]:
    """Step 5a: the edges in drawing order: feeds, membership, recommended targets, relations."""
    seg_pos = layout.seg_pos
    links = []
    for a, b in sorted(an.dag.edges, key=lambda e: (seg_pos[e[0]], seg_pos[e[1]])):
        if an.dag.edges[a, b].get("kind") == "feeds_across":
            continue  # cross-chain feeds (#14) are not drawn yet: the page lays chains out apart
        links.append(Link(a, b, "feeds", {}))
    for f, s in sorted(cast.firm_home.items()):
        links.append(Link(f, s, "member", {}))
    for s in an.gap_segs:
        for j, c in enumerate(an.cards_by_seg.get(s, [])[:max(targets, 0)]):
            if c["id"] in cast.cand_home:
                links.append(Link(c["id"], s, "target", {"rank": j + 1, "score": c["score"]}))
    for e in cast.relations:
        src, dst = (e["b"], e["a"]) if e["kind"] == "relocation" else (e["a"], e["b"])
        card = {"year": e.get("year"), "evidence": evidence_lines(cast.ev.get(e["fact"]))}
        if e["kind"] == "referral":
            card["referral_kind"] = "链主带动" if str(e.get("referral_kind") or "").endswith("LeaderPull") else "以商引商"
        links.append(Link(src, dst, e["kind"], card))
    return links


def _poster(an: Analysis) -> list[dict]:
    """Step 6a: the poster, per chain: its counts as the CLI prints them, stage columns in the
    panorama's order (sub-segments right after their parent)."""
    poster = []
    for c in an.chain_iris:
        p = an.panos[c]
        rate = p["supporting_rate"]
        poster.append({
            "chain": c, "label": p["chain_label"], "summary": p["summary"], "local_firm_count": p["local_firm_count"],
            "rate": rate.get("rate"), "rate_name": rate.get("name"),
            "gaps": sum(1 for s in an.gap_segs if an.dag.nodes[s]["chain"] == c),
            "coverage": (p.get("coverage") or {}).get("text"),
            "stages": [{"stage": st["stage"], "segments": [r["segment"] for r in poster_order(st["segments"])]}
                       for st in p["stages"]],
        })
    return poster


def _start_level(nodes: list[dict], threshold: int, collapsed: bool | None) -> bool:
    """Step 6b: collapsed (firms load when their segment is expanded) when more than
    ``threshold`` nodes are lazy, unless forced; an expanded start loads every node."""
    is_collapsed = (sum(1 for n in nodes if n["lazy"]) > threshold) if collapsed is None else bool(collapsed)
    if not is_collapsed:
        for n in nodes:
            n["lazy"] = False
    return is_collapsed


def _meta(ctx: AnalysisContext, layout: Layout, nodes: list[dict], edges: list[dict], **settings) -> dict:
    """Step 6c: title, park, chains, counts and the legend (statuses, node kinds, edge styles).
    ``settings``: ``title``, ``poster``, ``targets``, ``listed``, ``threshold``, ``collapsed``."""
    initial = {n["id"] for n in nodes if not n["lazy"]}
    statuses = list(STATUSES) + sorted({n["status"] for n in nodes if n["kind"] == "segment"} - set(STATUSES))
    park_label = ctx.park_label
    return {
        "title": settings["title"] or f"{park_label} · 产业链全景图谱",
        "park": park_label, "park_iri": ctx.park, "scope": ctx.scope, "scope_label": "园区" if ctx.scope == "park" else "全市",
        "chains": [{"id": c, "label": ctx.chains[c]["label"]} for c in layout.chains_in_view],
        "poster": settings["poster"], "targets": settings["targets"], "listed": settings["listed"],
        "threshold": settings["threshold"], "collapsed": settings["collapsed"],
        "counts": {k: sum(1 for n in nodes if n["kind"] == k) for k in NODE_KINDS},
        "status_counts": {st: sum(1 for n in nodes if n["kind"] == "segment" and n["status"] == st) for st in statuses},
        "edge_counts": {k: sum(1 for e in edges if e["kind"] == k) for k in EDGE_STYLES},
        "total_nodes": len(nodes), "total_edges": len(edges),
        "initial_nodes": len(initial), "initial_edges": sum(1 for e in edges if e["from"] in initial and e["to"] in initial),
        "statuses": [{"status": s, "color": STATUS_COLORS.get(s, OTHER_STATUS_COLOR),
                      "meaning": STATUS_INFO.get(s, {}).get("zh")} for s in statuses],
        "node_kinds": [{"kind": k, "label": v} for k, v in NODE_KINDS.items()],
        "edge_styles": [{"kind": k, **v} for k, v in EDGE_STYLES.items()],
    }
