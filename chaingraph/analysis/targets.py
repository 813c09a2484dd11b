"""Rank real firms to recruit into each gap, and explain every rank (招商目标).

Candidates are firms outside the focal park(s) (``ctx.local_firms`` excluded, and any firm
whose full name, short name or alias equals a local firm's after
:func:`chaingraph.lookup.name_key`, so across scripts) that sit in a gap segment found by
:func:`chaingraph.analysis.gaps.find_gaps`.

Score
-----
Each component is a value in [0, 1] or **unknown** (no evidence)::

    score = Σ_known w_c · v_c / Σ_known w_c          (rounded to 4 decimals)

**Unknown rule**: a component without evidence is *excluded* and the remaining weights are
renormalised, so missing evidence neither helps nor hurts; ``coverage`` = Σ_known w / Σ w shows
how much of the score rests on evidence.  Components:

=================  ==========================================================================
``gap_priority``   the gap's ``priority`` from find_gaps divided by the largest priority
                   among the gaps ranked (0 when the segment is not a gap).  Always known.
``product_fit``    best segment link of the firm: basis factor (明确产品 1.0, 明确环节 0.8,
                   行业代码 0.6, 名称推断 0.4) × confidence (0.4 for suspected stale lines,
                   else 1) × mean of the *known* of {revenue share score = min(1, share/0.5),
                   term specificity = len(term)/len(product)}.  Unknown without any link.
``proximity``      ties to local firms (and the park's own visits) over supply, referral,
                   relocation-origin (a firm from 东莞 ↔ 东莞 ↔ a firm that moved from 东莞)
                   and visit edges, undirected, up to 3 steps: each tie source at distance d
                   contributes ``0.5**(d-1)``; ``v = 0.5 + 0.5·(1 − Π(1 − c))`` — a known tie is
                   never worse than none.  Unknown when no path exists.
``strategic_fit``  1.0 if the firm is in a target region (粤港澳大湾区, 长三角), registered in
                   Hunan or a 湘商 firm (湘商回归); 0.0 if its place is known and none of these.
                   Unknown when its place is unknown.
``tier``           best tier: 世界500强 1.0, 中国500强/链主 0.9, 小巨人 0.8, 上市 0.7,
                   专精特新 0.6, 高新技术 0.5, 规上 0.3.  Unknown without a tier.
``contacted``      1.0 when the focal park already visited the firm.  Unknown otherwise
                   (no record of a visit is not a record of no contact).
=================  ==========================================================================

Weights: :data:`DEFAULT_WEIGHTS`, overridable per component (``weights=`` or a JSON/TOML file
via :func:`load_weights`); the result echoes the weights used.

Introducers (以商引商): the local firms reached by the shortest tie paths, nearest first, each
with the path and the evidence of every edge.

Examples
--------
>>> from chaingraph.analysis.context import build_context, example_graph
>>> ctx = build_context(example_graph(), park="示范园")
>>> res = rank_targets(ctx)
>>> [(r["segment_label"], r["name"], r["score"]) for r in res["rows"]]
[('电镀', '远方电镀', 0.75), ('金属材料', '邻园金属', 0.9769)]
>>> res["rows"][0]["components"]["proximity"]["known"]
False
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Mapping

import networkx as nx

from chaingraph.analysis.weights import merge_weights
from chaingraph.errors import ChaingraphError
from chaingraph.lookup import name_key

#: Default weight of each score component (see the module docstring).
DEFAULT_WEIGHTS: dict[str, float] = {
    "gap_priority": 0.30,
    "product_fit": 0.25,
    "proximity": 0.20,
    "strategic_fit": 0.10,
    "tier": 0.10,
    "contacted": 0.05,
}

COMPONENT_LABELS = {
    "gap_priority": "缺口优先级", "product_fit": "产品匹配", "proximity": "关系邻近",
    "strategic_fit": "战略区域", "tier": "企业层级", "contacted": "已接触",
}

CG = "https://w3id.org/chaingraph/ns#"
PLACE = "https://w3id.org/chaingraph/id/place/"
BASIS_FACTOR = {CG + "StatedProduct": 1.0, CG + "StatedSegment": 0.8, CG + "StatedForGroup": 0.7,
                CG + "IndustryCode": 0.6, CG + "InferredFromName": 0.4}
TIER_SCORE = {CG + "Fortune500": 1.0, CG + "China500": 0.9, CG + "ChainLeader": 0.9, CG + "LittleGiant": 0.8,
              CG + "Listed": 0.7, CG + "SpecializedSME": 0.6, CG + "HighTech": 0.5, CG + "AboveScale": 0.3}
#: Regions the plan targets for relocation (沿海产业转移).
TARGET_REGIONS = (PLACE + "gba", PLACE + "yrd")
HUNAN = PLACE + "hunan"
TIE_KINDS = ("supply", "referral", "relocation", "visit", "city")
MAX_DEPTH = 3
SHARE_FULL = 0.5

RULES = {
    "formula": "score = Σ_known w·v / Σ_known w (components in [0,1]; rounded to 4 decimals)",
    "unknown": "a component without evidence is excluded and the remaining weights renormalised; coverage = Σ_known w / Σ w",
    "gap_priority": "find_gaps priority / max priority of the gaps ranked; 0 if not a gap",
    "product_fit": "basis factor (明确产品1.0, 明确环节0.8, 行业代码0.6, 名称推断0.4) × confidence (stale 0.4) × mean(known of: min(1, share/0.5), term specificity)",
    "proximity": "undirected ties (supply, referral, relocation origin, visit, same city as an origin) ≤3 steps; each source at distance d adds 0.5^(d-1); v = 0.5 + 0.5·(1 − Π(1 − c)); unknown without a path",
    "strategic_fit": "1 if in 粤港澳大湾区/长三角, Hunan-registered or 湘商; 0 if place known otherwise; unknown without a place",
    "tier": "世界500强1.0, 中国500强/链主0.9, 小巨人0.8, 上市0.7, 专精特新0.6, 高新技术0.5, 规上0.3; unknown without tier",
    "contacted": "1 if the focal park visited the firm; unknown otherwise",
}


def resolve_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """Default weights updated with ``weights``; unknown keys or negative values raise.

    Examples
    --------
    >>> resolve_weights({"tier": 0})["tier"]
    0.0
    """
    return merge_weights(DEFAULT_WEIGHTS, weights)


def load_weights(path) -> dict[str, float]:
    """Read weights from a JSON object or a TOML table (``key = number`` lines)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ChaingraphError(f"cannot read weights file {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ChaingraphError(f"{path}: neither JSON nor TOML: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("weights"), dict):
        data = data["weights"]
    if not isinstance(data, dict):
        raise ChaingraphError(f"{path}: expected an object of weights")
    return resolve_weights(data)


# ---------------------------------------------------------------- facts from the RDF graph


def target_facts(graph) -> dict:
    """Segment-link details and place hierarchy that the firm graph does not carry.

    Returns ``{"links": {(firm, segment): [{product, share, basis, confidence}]},
    "places": {place: {label, ancestors: [...], regions: [...]}}}``.
    """
    from chaingraph.project import labels, label_of, select

    links: dict[tuple[str, str], list[dict]] = {}
    rows = select(
        graph,
        """SELECT ?l ?f ?s ?basis ?p ?pl ?share (MIN(?c) AS ?conf) WHERE {
             ?l a cg:SegmentLink ; cg:firm ?f ; cg:segment ?s .
             OPTIONAL { ?l cg:basis ?basis } OPTIONAL { ?l cg:product ?p . OPTIONAL { ?p rdfs:label ?pl } }
             OPTIONAL { ?l cg:revenueShare ?share } OPTIONAL { ?l cg:evidence ?e . ?e cg:confidence ?c } }
           GROUP BY ?l ?f ?s ?basis ?p ?pl ?share""",
    )
    for r in sorted(rows, key=lambda r: (r["f"], r["s"], r["l"])):
        links.setdefault((r["f"], r["s"]), []).append(
            {"product": r["pl"], "share": float(r["share"]) if r["share"] is not None else None,
             "basis": r["basis"], "confidence": float(r["conf"]) if r["conf"] is not None else None}
        )
    lab = labels(graph)
    parent: dict[str, set[str]] = {}
    region: dict[str, set[str]] = {}
    for r in select(graph, "SELECT ?a ?b WHERE { ?a cg:partOf ?b }"):
        parent.setdefault(r["a"], set()).add(r["b"])
    for r in select(graph, "SELECT ?a ?b WHERE { ?a cg:inRegion ?b }"):
        region.setdefault(r["a"], set()).add(r["b"])
    places = {}
    for r in select(graph, "SELECT DISTINCT ?p WHERE { ?p a cg:Place }"):
        p = r["p"]
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


# ---------------------------------------------------------------- components


def _product_fit(firm: dict, links: list[dict], matcher) -> tuple[float | None, list[dict]]:
    """Best product fit of one (firm, segment) and the products behind it."""
    best, shown = None, []
    for ln in links:
        spec = None
        if ln.get("product") and matcher is not None:
            m = matcher.match(ln["product"])
            spec = m["specificity"] if m else None
        share = ln.get("share")
        parts = [p for p in ((min(1.0, share / SHARE_FULL) if share is not None else None), spec) if p is not None]
        base = sum(parts) / len(parts) if parts else 0.5
        v = BASIS_FACTOR.get(ln.get("basis"), 0.5) * (ln.get("confidence") if ln.get("confidence") is not None else 1.0) * base
        shown.append({"product": ln.get("product"), "share": share, "specificity": spec,
                      "stale_suspect": (ln.get("confidence") or 1.0) < 0.5, "fit": round(v, 4)})
        best = v if best is None else max(best, v)
    if best is None and matcher is not None:
        for p in firm.get("products", []):
            m = matcher.match(p)
            if m:
                v = m["specificity"]
                shown.append({"product": p, "share": None, "specificity": v, "stale_suspect": False, "fit": round(v, 4)})
                best = v if best is None else max(best, v)
    shown.sort(key=lambda x: (-x["fit"], x["product"] or ""))
    return best, shown


def _tie_graph(ctx, removed_edges: Iterable = ()) -> nx.MultiGraph:
    """Undirected tie graph: fact edges plus ``city`` edges firm—place (relocation-origin ties).

    Built from the relation facts alone (no evidence, no firm attributes: evidence is fetched
    for the paths shown, :func:`_fill_evidence`).  Edges are added in the order of the firm
    graph's edge iteration (source firms by IRI, then visiting parks), so shortest paths pick
    the same route whichever way the facts were fetched.
    """
    skip = set(removed_edges)
    edges = [e for e in ctx.source.relation_edges() if e["kind"] in TIE_KINDS and e["fact"] not in skip]
    parks_first: dict[str, int] = {}
    pair_first: dict[tuple[str, str], int] = {}
    for i, e in enumerate(edges):
        pair_first.setdefault((e["a"], e["b"]), i)
        if e["kind"] == "visit":
            parks_first.setdefault(e["a"], i)

    def order(ie):
        i, e = ie
        a = e["a"]
        group = (1, parks_first[a], "") if e["kind"] == "visit" and a in parks_first else (0, 0, a)
        return group, pair_first[(a, e["b"])], i

    g = nx.MultiGraph()
    origins = set()
    for _, e in sorted(enumerate(edges), key=order):
        a, b = e["a"], e["b"]
        g.add_edge(a, b, key=e["fact"], kind=e["kind"], fact=e["fact"], evidence=None, year=e.get("year"), src=a, dst=b)
        if e["kind"] == "relocation":
            origins.add(b)
    if origins:
        from chaingraph.project import select_in

        rows = select_in(ctx.source.graph, "SELECT ?f ?c WHERE { ?f cg:city ?c . ?f a ?t FILTER(?t = cg:Company) }", "c", origins)
        city: dict[str, str] = {}
        for r in rows:  # a firm's city is its smallest, as in project.firms
            if r["f"] not in city or r["c"] < city[r["f"]]:
                city[r["f"]] = r["c"]
        for f in sorted(city):
            if city[f] in origins and f not in ctx.local_firms:
                g.add_edge(f, city[f], key="city:" + f, kind="city", fact=None, evidence=[], year=None, src=f, dst=city[f])
    return g


def _fill_evidence(ctx, tg: nx.MultiGraph, facts: set[str]) -> None:
    """Attach evidence to the fact edges listed (one query for all of them)."""
    from chaingraph.project import evidence_by_subject

    todo = {f for f in facts if f}
    if not todo:
        return
    ev = evidence_by_subject(ctx.source.graph, ("Referral", "Supply", "Relocation", "Visit"), subjects=todo)
    for _, _, d in tg.edges(data=True):
        if d.get("fact") in todo and d.get("evidence") is None:
            d["evidence"] = ev.get(d["fact"], [])


def _edge(tg: nx.MultiGraph, a: str, b: str) -> dict:
    """The edge a path step shows: by tie kind order, then fact IRI."""
    return min(tg.get_edge_data(a, b).values(), key=lambda d: (TIE_KINDS.index(d["kind"]), d["fact"] or ""))


def _path_edges(tg: nx.MultiGraph, path: list[str], label) -> list[dict]:
    out = []
    for a, b in zip(path, path[1:]):
        d = _edge(tg, a, b)
        out.append({
            "from": a, "from_label": label(a), "to": b, "to_label": label(b), "kind": d["kind"],
            "direction": f"{label(d['src'])} → {label(d['dst'])}", "fact": d["fact"],
            "evidence": [{k: e.get(k) for k in ("source", "title", "quote", "start", "end")} for e in (d.get("evidence") or [])],
        })
    return out


def _reach(tg, cand, sources: set[str], label) -> tuple[float | None, list[tuple]]:
    """Proximity value and the tie sources reached within :data:`MAX_DEPTH`, as ``(distance, label, iri)``."""
    if cand not in tg:
        return None, []
    dist = nx.single_source_shortest_path_length(tg, cand, cutoff=MAX_DEPTH)
    reached = sorted((d, label(s), s) for s, d in dist.items() if s in sources and d > 0)
    if not reached:
        return None, []
    prod = 1.0
    for d, _, _ in reached:
        prod *= 1 - 0.5 ** (d - 1)
    return 0.5 + 0.5 * (1 - prod), reached


def _paths(tg, cand, reached: list[tuple], label) -> list[dict]:
    out = []
    for d, lab_, s in reached:
        path = nx.shortest_path(tg, s, cand)
        out.append({"firm": s, "label": lab_, "distance": d, "path": _path_edges(tg, path, label)})
    return out


def _proximity(tg, cand, sources: set[str], label) -> tuple[float | None, list[dict]]:
    """Proximity value and a path to every tie source reached (evidence as on the graph's edges)."""
    value, reached = _reach(tg, cand, sources, label)
    return value, _paths(tg, cand, reached, label)


def _place_regions(place: str | None, places: dict) -> tuple[set[str], bool]:
    """(place + ancestors + regions, known?) for a place IRI, using the graph or the slug tables."""
    if not place:
        return set(), False
    from chaingraph.pool.regions import CITIES, PROVINCES

    info = places.get(place)
    out = {place}
    if info:
        out |= set(info["ancestors"]) | set(info["regions"])
    slug = place[len(PLACE):] if place.startswith(PLACE) else ""
    for _, (cs, prov, regs) in CITIES.items():
        if cs == slug:
            ps, _, pregs = PROVINCES[prov]
            out |= {PLACE + ps, *(PLACE + r for r in regs), *(PLACE + r for r in pregs)}
    for _, (ps, _, pregs) in PROVINCES.items():
        if ps == slug:
            out |= {PLACE + r for r in pregs}
    return out, True


def _strategic(firm: dict, places: dict) -> tuple[float | None, list[str]]:
    from chaingraph.pool.regions import region_of

    regs, known = _place_regions(firm.get("city"), places)
    if not known and firm.get("full_name"):
        r = region_of(firm["full_name"])
        if r:
            known = True
            regs = {PLACE + r["province_slug"], *(PLACE + x for x in r["regions"])}
            if r["city_slug"]:
                regs.add(PLACE + r["city_slug"])
    why = []
    if firm.get("xiangshang"):
        why.append("湘商")
    if HUNAN in regs:
        why.append("湖南注册（湘商回归）")
    names = {PLACE + "gba": "粤港澳大湾区", PLACE + "yrd": "长三角"}
    why += [names[r] for r in TARGET_REGIONS if r in regs]
    if why:
        return 1.0, why
    if known:
        return 0.0, []
    return None, []


def _score(components: dict[str, dict]) -> tuple[float, float]:
    known_w = sum(c["weight"] for c in components.values() if c["known"])
    total_w = sum(c["weight"] for c in components.values())
    if known_w <= 0:
        return 0.0, 0.0
    s = sum(c["weight"] * c["value"] for c in components.values() if c["known"]) / known_w
    return round(s, 4), round(known_w / total_w, 4)


# ---------------------------------------------------------------- ranking


def local_name_index(ctx) -> dict[str, str]:
    """``{name_key: local_firm}`` for every name of every local firm."""
    out = {}
    info = ctx.source.names(ctx.local_firms)
    for f in sorted(ctx.local_firms):
        d = info.get(f, {})
        for n in [d.get("label"), d.get("full_name"), *(d.get("aliases") or [])]:
            if n:
                out.setdefault(name_key(n), f)
    return out


def _matches_region(firm: dict, wanted: set[str], places: dict) -> bool:
    regs, _ = _place_regions(firm.get("city"), places)
    if not regs and firm.get("full_name"):
        from chaingraph.pool.regions import region_of

        r = region_of(firm["full_name"])
        if r:
            regs = {PLACE + r["province_slug"], *(PLACE + x for x in r["regions"])}
            if r["city_slug"]:
                regs.add(PLACE + r["city_slug"])
    return bool(regs & wanted)


def resolve_regions(names: Iterable[str], places: dict) -> set[str]:
    """Place IRIs for region names (粤港澳大湾区, 大湾区, 长三角, 湖南, 深圳, slugs or IRIs)."""
    from chaingraph.pool.regions import CITIES, PROVINCES, REGION_LABELS

    out = set()
    for n in names:
        k = name_key(n)
        hit = None
        if n.startswith("http"):
            hit = n
        for slug, lab_ in REGION_LABELS.items():
            if k in (name_key(lab_), slug) or (slug == "gba" and k == "大湾区"):
                hit = PLACE + slug
        for short, (ps, full, _) in PROVINCES.items():
            if k in (name_key(short), name_key(full), ps):
                hit = PLACE + ps
        for short, (cs, _, _) in CITIES.items():
            if k in (name_key(short), name_key(short + "市"), cs):
                hit = PLACE + cs
        for p, info in places.items():
            if name_key(info["label"]) == k:
                hit = p
        if hit is None:
            raise ChaingraphError(f"unknown region {n!r}; try 粤港澳大湾区, 长三角, a province (湖南) or a city (深圳)")
        out.add(hit)
    return out


def rank_targets(
    ctx,
    *,
    chain: str | None = None,
    segment: str | None = None,
    top: int = 10,
    regions: Iterable[str] = (),
    weights: Mapping[str, float] | None = None,
    gaps: list[dict] | None = None,
    facts: dict | None = None,
    removed_edges: Iterable = (),
) -> dict:
    """Rank candidate firms for each gap segment and explain each rank.

    Parameters
    ----------
    ctx : AnalysisContext
        From :func:`chaingraph.analysis.context.build_context`.
    chain : str, optional
        Chain IRI to restrict to.
    segment : str, optional
        Segment IRI: rank only for this segment (ranked even when it is not a gap).
    top : int
        Candidates kept per segment (``0`` = all).
    regions : iterable of str
        Keep only candidates in these places/regions (names or IRIs, see :func:`resolve_regions`).
    weights : mapping, optional
        Component weights (missing keys keep :data:`DEFAULT_WEIGHTS`).
    gaps : list of dict, optional
        Precomputed :func:`~chaingraph.analysis.gaps.find_gaps` rows (default: computed).
    facts : dict, optional
        :func:`target_facts` of the RDF graph (revenue shares, place hierarchy); without it
        product fit uses product names only and places use the built-in region tables.
    removed_edges : iterable
        Firm-graph edge keys (fact IRIs) to ignore (for backtests).

    Returns
    -------
    dict
        ``{"rows", "segments", "empty", "excluded_local", "weights", "rules", "params"}``.
        ``rows`` (by chain, gap priority, segment, rank): ``rank``, ``segment``,
        ``segment_label``, ``chain``, ``chain_label``, ``gap_kind``, ``gap_status``, ``firm``,
        ``name``, ``full_name``, ``stock_code``, ``city``, ``tiers``, ``products`` (matched,
        with share/specificity), ``score``, ``coverage``, ``components`` ({name: {value,
        known, weight, note}}), ``introducers`` (local firms with paths and edge evidence),
        ``why`` (one line).  ``empty``: segments with no candidate, with a ``message``.
    """
    from chaingraph.pool.matching import TermMatcher

    w = resolve_weights(weights)
    facts = facts or {"links": {}, "places": {}}
    places = facts.get("places", {})
    if gaps is None:
        from chaingraph.analysis.gaps import find_gaps

        gaps = find_gaps(ctx, chain=chain)
    gap_by_seg = {g["segment"]: g for g in gaps}
    if segment is not None:
        if segment not in ctx.dag:
            raise ChaingraphError(f"segment not in the chain templates: {segment}")
        segs = [segment]
    else:
        segs = [g["segment"] for g in gaps if g["segment"] in ctx.dag]
    if chain is not None:
        segs = [s for s in segs if ctx.dag.nodes[s]["chain"] == chain]
    max_p = max((g.get("priority") or 0.0 for g in gaps if g["segment"] in segs), default=0.0)
    wanted = resolve_regions(regions, places) if regions else set()

    # candidates: firms outside the focal park(s) in the segments ranked (fetched for those only)
    by_seg = ctx.outside_firms(segs)
    pool = sorted({f for fs in by_seg.values() for f in fs})
    info = ctx.firm_info(pool)
    local_keys = local_name_index(ctx)
    focal = set(ctx.parks)
    excluded_local = []
    candidates = []
    for f in pool:
        d = info[f]
        hit = next((local_keys[name_key(n)] for n in [d.get("label"), d.get("full_name"), *(d.get("aliases") or [])]
                    if n and name_key(n) in local_keys), None)
        if hit:
            excluded_local.append({"firm": f, "name": d.get("label"), "local_firm": hit, "local_name": ctx.firm_label(hit)})
            continue
        if wanted and not _matches_region(d, wanted, places):
            continue
        candidates.append(f)
    kept_candidates = set(candidates)

    tg = _tie_graph(ctx, removed_edges)
    sources = set(ctx.local_firms) | focal
    visited = {e["b"] for e in ctx.source.relation_edges() if e["kind"] == "visit" and e["a"] in focal}
    ctx.source.prefetch_labels(focal)
    label = ctx.firm_label

    cache: dict[str, tuple] = {}
    rows, seg_summary, empty = [], [], []
    for s in segs:
        node = ctx.dag.nodes[s]
        matcher = TermMatcher([{"iri": s, "terms": node.get("product_terms", [])}])
        g = gap_by_seg.get(s)
        in_seg = [f for f in by_seg.get(s, []) if f in kept_candidates]
        seg_rows = []
        for f in in_seg:
            d = info[f]
            if f not in cache:
                prox, reached = _reach(tg, f, sources, label)
                strat, why_region = _strategic(d, places)
                tiers = [TIER_SCORE[t] for t in d.get("tier_iris", []) if t in TIER_SCORE]
                cache[f] = (prox, reached, strat, why_region, max(tiers) if tiers else None)
            prox, reached, strat, why_region, tier = cache[f]
            fit, prods = _product_fit(d, facts.get("links", {}).get((f, s), []), matcher)
            gp = (g.get("priority") or 0.0) / max_p if (g and max_p > 0) else 0.0
            n_local = sum(1 for x in reached if x[2] in ctx.local_firms)
            comps = {
                "gap_priority": (gp, True, f"{g['kind']} priority {g.get('priority')}" if g else "not a gap"),
                "product_fit": (fit, fit is not None, "; ".join(
                    f"{p['product']}" + (f" {p['share']:.0%}" if p["share"] is not None else " 占比未知")
                    + (" (疑似历史业务)" if p["stale_suspect"] else "") for p in prods[:3]) or "no product evidence"),
                "proximity": (prox, prox is not None, (f"{n_local} local firm(s), nearest {reached[0][0]} step(s)" if reached else "no known tie")),
                "strategic_fit": (strat, strat is not None, "、".join(why_region) or ("place known, not a target region" if strat == 0 else "place unknown")),
                "tier": (tier, tier is not None, "、".join(d.get("tiers", [])) or "no tier known"),
                "contacted": (1.0 if f in visited else None, f in visited, "visited by the park" if f in visited else "no visit recorded"),
            }
            components = {
                k: {"value": round(v, 4) if v is not None else None, "known": known, "weight": w[k], "note": note,
                    "label": COMPONENT_LABELS[k]}
                for k, (v, known, note) in comps.items()
            }
            score, coverage = _score(components)
            seg_rows.append({
                "segment": s, "segment_label": node["label"], "chain": node["chain"],
                "chain_label": node.get("chain_label"), "gap_kind": g["kind"] if g else None,
                "gap_status": g.get("status") if g else None,
                "firm": f, "name": d["label"], "full_name": d.get("full_name"), "stock_code": d.get("stock_code"),
                "city": d.get("city_label"), "tiers": d.get("tiers", []), "products": prods,
                "score": score, "coverage": coverage, "components": components,
                "introducers": None, "park_ties": None, "why": None,  # filled for the rows shown
            })
        seg_rows.sort(key=lambda r: (-r["score"], -r["coverage"], r["name"], r["firm"]))
        for i, r in enumerate(seg_rows, start=1):
            r["rank"] = i
        kept = seg_rows if not top else seg_rows[:top]
        # paths (and their evidence) only for the rows shown
        node_paths = {}
        for r in kept:
            reached = cache[r["firm"]][1]
            picked = [x for x in reached if x[2] in ctx.local_firms][:3] + [x for x in reached if x[2] in focal]
            node_paths[r["firm"]] = [(x, nx.shortest_path(tg, x[2], r["firm"])) for x in picked]
        _fill_evidence(ctx, tg, {_edge(tg, a, b)["fact"] for ps in node_paths.values() for _, p in ps for a, b in zip(p, p[1:])})
        for r in kept:
            paths = [{"firm": s_, "label": lab_, "distance": d_, "path": _path_edges(tg, p, label)}
                     for (d_, lab_, s_), p in node_paths[r["firm"]]]
            introducers = [p for p in paths if p["firm"] in ctx.local_firms][:3]
            r["introducers"] = introducers
            r["park_ties"] = [p for p in paths if p["firm"] in focal]
            r["why"] = _why(r["components"], introducers)
        seg_summary.append({"segment": s, "label": node["label"], "chain": node["chain"],
                            "chain_label": node.get("chain_label"), "priority": g.get("priority") if g else None,
                            "kind": g["kind"] if g else None, "candidates": len(seg_rows)})
        if not seg_rows:
            empty.append({"segment": s, "label": node["label"], "chain": node["chain"], "chain_label": node.get("chain_label"),
                          "message": f"候选库中没有「{node['label']}」环节的企业 (the pool has no candidate for {node['label']}); "
                                     "add candidates with `chaingraph pool build` (A-share refdata) or "
                                     "`chaingraph import FILE.csv` (your own list)"})
        rows += kept
    order = {s["segment"]: (s["chain_label"] or "", -(s["priority"] or 0), s["segment"]) for s in seg_summary}
    rows.sort(key=lambda r: (order[r["segment"]], r["rank"]))
    seg_summary.sort(key=lambda s: order[s["segment"]])
    return {
        "rows": rows,
        "segments": seg_summary,
        "empty": empty,
        "excluded_local": sorted(excluded_local, key=lambda x: x["firm"]),
        "weights": w,
        "rules": dict(RULES),
        "params": {"park": ctx.park, "parks": list(ctx.parks), "scope": ctx.scope, "chain": chain,
                   "segment": segment, "top": top, "regions": sorted(wanted)},
    }


def _why(components: dict, introducers: list[dict]) -> str:
    parts = []
    for k in ("gap_priority", "product_fit", "proximity", "strategic_fit", "tier", "contacted"):
        c = components[k]
        parts.append(f"{c['label']} " + (f"{c['value']:.2f}" if c["known"] else "未知"))
    if introducers:
        parts.append("引荐: " + "、".join(i["label"] for i in introducers))
    return "；".join(parts)
