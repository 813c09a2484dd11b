"""Build the chain map as plain data: nodes, edges and meta, ready for vis-network.

:func:`build_view` is pure with respect to its inputs: it reads the graph (through
:mod:`chaingraph.project`) and the chain analysis, and returns plain dicts of ``str``/``int``/
``float``/``bool``/``list``/``dict``.  Positions are computed here (a layered layout:
upstream → downstream left to right, one horizontal band per chain), so the page can keep
physics off.  Strings are kept verbatim — they are untrusted and the page escapes them when it
shows them (canvas labels are text; cards are built with ``textContent``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any, Iterable

from chaingraph.analysis.status import STATUS_INFO, STATUSES  # one set of status words (#14)

GAP_STATUSES = ("缺失", "薄弱")
STATUS_COLORS = {s: STATUS_INFO[s]["color"] for s in STATUSES} | {"": "#9aa3b2"}

NODE_KINDS = {
    "chain": "产业链",
    "segment": "产业环节",
    "firm": "本地企业",
    "candidate": "候选招引目标",
    "external": "外部关联企业",
    "place": "来源地",
    "park": "园区",
}

#: one visual style per edge kind: colour, dash pattern, arrow head (vis-network options)
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "feeds": {"label": "产业链上下游（供给）", "color": "#7b8494", "dashes": False, "arrow": "arrow", "width": 2.2},
    "member": {"label": "所属环节", "color": "#c3c9d3", "dashes": [2, 4], "arrow": None, "width": 1.0},
    "target": {"label": "推荐招引（候选 → 缺口）", "color": "#8e44ad", "dashes": [8, 5], "arrow": "diamond", "width": 1.6},
    "supply": {"label": "供应关系（供应商 → 客户）", "color": "#1f6fb2", "dashes": False, "arrow": "triangle", "width": 2.8},
    "referral": {"label": "以商引商 / 链主带动", "color": "#e67e22", "dashes": [12, 6], "arrow": "vee", "width": 2.8},
    "relocation": {"label": "迁移来源（来源地 → 企业）", "color": "#138d75", "dashes": [3, 4], "arrow": "bar", "width": 2.0},
    "visit": {"label": "考察拜访（园区 → 企业）", "color": "#c0392b", "dashes": [14, 4, 3, 4], "arrow": "circle", "width": 2.0},
}

COL_W = 330          # x distance between layers
SEG_H = 86           # vertical room for a segment box
FIRM_ROW = 42        # vertical room per row of attached firms
FIRM_COLS = 2
FIRM_DX = 128
CHAIN_GAP = 170      # vertical gap between chain bands
DEFAULT_THRESHOLD = 300


# ---------------------------------------------------------------- helpers


def _graph_of(source):
    """``(rdflib graph, analysis context or None)`` from a graph or an AnalysisContext."""
    import rdflib

    if isinstance(source, rdflib.Graph):
        return source, None
    if hasattr(source, "dag") and hasattr(source, "firm_graph"):
        g = getattr(source, "graph", None)
        return (g if isinstance(g, rdflib.Graph) else None), source
    raise TypeError("build_view needs an rdflib.Graph or an AnalysisContext")


def _analysis() -> dict:
    """The analysis modules that are installed (``context``, ``status``, ``gaps``, ``panorama``, ``targets``)."""
    import importlib

    out = {}
    for name in ("context", "status", "gaps", "panorama", "targets"):
        try:
            out[name] = importlib.import_module(f"chaingraph.analysis.{name}")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"chaingraph.analysis.{name}", "chaingraph.analysis"):
                raise
    return out


def _ctx_chains(ana, ctx, chain) -> list[str]:
    """Chain IRIs of the view for a context: names, ``"all"``, default the park's leading chains."""
    if chain is None:
        lead = list(getattr(ctx, "focus_chains", ()) or ())
        return sorted(lead)
    names = [chain] if isinstance(chain, str) else list(chain)
    if any(n in ALL_CHAINS for n in names):
        return []
    return [ana["context"].resolve_chain(ctx, n) for n in names]


def resolve_chain(graph, name: str | None) -> str | None:
    """IRI of the chain called ``name`` (Chinese/English label, code or IRI); None for all."""
    if not name:
        return None
    from chaingraph.lookup import resolve
    from chaingraph.project import chains, local_name

    names = {}
    for iri, info in chains(graph).items():
        code = local_name(iri)
        names[iri] = [n for n in (info["label"], info.get("label_en"), code, iri) if n]
    return resolve(name, names, "chain")


ALL_CHAINS = ("all", "全部", "*")


def leading_chains(graph, park_iri: str | None) -> list[str]:
    """The park's leading chains (cg:leadingChain), sorted."""
    if not park_iri:
        return []
    from chaingraph.store import select

    return sorted({r["c"] for r in select(graph, "SELECT ?c WHERE { ?p cg:leadingChain ?c }", p=park_iri)})


def resolve_chains(graph, chain, park_iri: str | None = None) -> list[str]:
    """Chain IRIs of the view: one name, several names, ``"all"``; default the park's leading chains.

    An empty list means every chain.
    """
    if chain is None:
        return leading_chains(graph, park_iri)
    names = [chain] if isinstance(chain, str) else list(chain)
    if any(n in ALL_CHAINS for n in names):
        return []
    return [resolve_chain(graph, n) for n in names]


def resolve_park(graph, name: str | None) -> tuple[str | None, str | None]:
    """``(park IRI, its city IRI)`` for a park name (label, full or short name)."""
    if not name:
        return None, None
    from chaingraph.lookup import resolve
    from chaingraph.store import select

    rows = select(
        graph,
        """SELECT ?p ?n ?city WHERE { ?p a cg:Park .
             { ?p rdfs:label ?n } UNION { ?p cg:fullName ?n } UNION { ?p cg:shortName ?n }
             OPTIONAL { ?p cg:city ?city } }""",
    )
    names: dict[str, list[str]] = defaultdict(list)
    city: dict[str, str | None] = {}
    for r in rows:
        names[r["p"]].append(r["n"])
        city.setdefault(r["p"], r["city"])
    if name in names:  # an IRI
        return name, city.get(name)
    iri = resolve(name, dict(names), "park")
    return iri, city.get(iri)


def _simple_key(name: str) -> str:
    """What the page's search does to a query: NFKC, no whitespace, lower-case."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", name).split()).lower()


def _keys(names: Iterable[str | None]) -> list[str]:
    """Search keys of a node: the project's name keys (simplified script) and the plain key."""
    from chaingraph.lookup import name_key

    return sorted({k for n in names if n for k in (name_key(n), _simple_key(n))})


def _first(row: dict, *keys, default=None):
    for k in keys:
        if k in row and row[k] is not None:
            return row[k]
    return default


def _plain(value):
    """Only JSON-able plain data goes into the view."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if hasattr(value, "__dict__"):
        return _plain(vars(value))
    return str(value)


def normalize_candidate(row: dict, names_by_iri: dict[str, str]) -> dict:
    """One ranked candidate as ``{id, name, score, components, introducers, path, evidence, …}``.

    Accepts the rows of :func:`chaingraph.analysis.targets.rank_targets` (candidate as IRI,
    name or dict) and hand-made rows in tests.
    """
    cand = _first(row, "firm", "candidate_iri", "iri", "candidate", "company")
    name = _first(row, "candidate_label", "name", "label")
    if isinstance(cand, dict):
        name = name or _first(cand, "label", "name")
        cand = _first(cand, "iri", "id")
    cid = str(cand) if cand else None
    if cid and not cid.startswith("http") and name is None:
        name, cid = cid, None
    if cid is None:  # a name only: find the firm, else a stable synthetic id
        inv = {v: k for k, v in names_by_iri.items()}
        cid = inv.get(name) or f"candidate:{name}"
    name = name or names_by_iri.get(cid) or cid
    intro = _first(row, "introducers", "introducer_path", "path", "introducer", default=[])
    if isinstance(intro, (str, dict)):
        intro = [intro]
    paths, evidence = [], list(_first(row, "evidence", "introducer_evidence", default=[]) or [])
    for step in intro or []:
        if isinstance(step, dict) and isinstance(step.get("path"), list):  # rank_targets: a local firm + its path
            hops = step["path"]
            names = [h.get("from_label") or h.get("from") for h in hops[:1]] + [h.get("to_label") or h.get("to") for h in hops]
            kinds = "、".join(dict.fromkeys(str(h.get("kind")) for h in hops if h.get("kind")))
            paths.append(" → ".join(str(n) for n in names if n) + (f"（{kinds}）" if kinds else "")
                         if names else str(step.get("label") or step.get("firm")))
            for h in hops:
                evidence += list(h.get("evidence") or [])
        elif isinstance(step, dict):
            paths.append(str(_first(step, "label", "name", "firm", default="")))
        elif isinstance(step, (list, tuple)):
            paths.append(" → ".join(names_by_iri.get(str(x), str(x)) for x in step))
        else:
            paths.append(names_by_iri.get(str(step), str(step)))
    if paths and all(" → " not in p for p in paths) and not isinstance((intro or [None])[0], dict):
        paths = [" → ".join(paths)]  # a flat list of names is one path
    return {
        "id": cid,
        "name": str(name),
        "score": _first(row, "score", "total"),
        "components": _plain(_first(row, "components", default={})),
        "introducers": paths,
        "evidence": _plain(evidence),
        "city": _first(row, "city_label", "city", "place"),
        "full_name": row.get("full_name"),
        "products": [p.get("product") if isinstance(p, dict) else p for p in (row.get("products") or [])],
        "reason": _first(row, "why", "reason", "note"),
    }


# ---------------------------------------------------------------- analysis adapters


def _fallback_gaps(dag, local_by_seg: dict[str, list[str]]) -> list[dict]:
    """Statuses from local firm counts, used only while chain analysis is not installed."""
    rows = []
    for s, d in dag.nodes(data=True):
        n = len(local_by_seg.get(s, []))
        status = "缺失" if n == 0 else "薄弱" if n == 1 else "具备" if n <= 3 else "强"
        rows.append({"segment": s, "label": d["label"], "chain": d["chain"], "status": status,
                     "priority": float(n == 0) + (0.5 if d.get("leader_expected") else 0.0),
                     "local_firms": local_by_seg.get(s, [])})
    return rows


def _gap_rows(ana, ctx, chain_iri):
    rows = ana["gaps"].find_gaps(ctx, chain=chain_iri) if chain_iri else ana["gaps"].find_gaps(ctx)
    return [dict(_plain(r)) for r in rows]


def _candidate_rows(ana, ctx, graph, chain_iri, gap_rows, top) -> dict[str, list[dict]]:
    """``{segment: ranked candidate rows}`` for the gaps of one chain (one rank_targets call)."""
    facts = ana["targets"].target_facts(graph) if graph is not None and hasattr(ana["targets"], "target_facts") else None
    result = ana["targets"].rank_targets(ctx, chain=chain_iri, top=top, gaps=gap_rows, facts=facts)
    rows = result.get("rows", []) if isinstance(result, dict) else list(result)
    out: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        out[r["segment"]].append(dict(_plain(r)))
    return dict(out)


def _rates(ana, ctx, chain_iris, chain_labels) -> list[dict]:
    out = []
    for c in chain_iris:
        try:
            if "panorama" in ana:
                p = _plain(ana["panorama"].panorama(ctx, c))
            elif "status" in ana:
                p = _plain(ana["status"].supporting_rate(ctx, c))
            else:
                continue
        except Exception as exc:
            from chaingraph.errors import ChaingraphError

            if isinstance(exc, ChaingraphError):
                continue
            raise
        rate = None
        if isinstance(p, dict):
            for k in ("local_supporting_rate", "local_rate", "supporting_rate", "rate", "本地配套率"):
                if isinstance(p.get(k), (int, float)):
                    rate = float(p[k])
                    break
            for key in ("supporting_rate", "summary"):
                if rate is None and isinstance(p.get(key), dict) and isinstance(p[key].get("rate"), (int, float)):
                    rate = float(p[key]["rate"])
            if rate is None and isinstance(p.get("summary"), dict):
                s = p["summary"]
                for k in ("local_supporting_rate", "local_rate", "supporting_rate", "rate"):
                    if isinstance(s.get(k), (int, float)):
                        rate = float(s[k])
                        break
        out.append({"chain": c, "label": chain_labels.get(c, c), "rate": rate, "panorama": p})
    return out


# ---------------------------------------------------------------- layout


def _layers(dag, segs: list[str]) -> dict[str, int]:
    """Column of each segment: stages left → right, longest feeds path inside a stage."""
    import networkx as nx

    sub = dag.subgraph(segs)
    order = list(nx.lexicographical_topological_sort(sub, key=lambda n: (sub.nodes[n]["stage_order"], n)))
    within: dict[str, int] = {}
    for n in order:
        st = sub.nodes[n]["stage_order"]
        within[n] = max([within[p] + 1 for p in sub.predecessors(n) if sub.nodes[p]["stage_order"] == st], default=0)
    stages = sorted({sub.nodes[n]["stage_order"] for n in segs})
    offset, base = {}, 0
    for st in stages:
        offset[st] = base
        base += 1 + max(within[n] for n in segs if sub.nodes[n]["stage_order"] == st)
    return {n: offset[sub.nodes[n]["stage_order"]] + within[n] for n in segs}


# ---------------------------------------------------------------- the view


def build_view(
    source,
    *,
    chain: str | None = None,
    scope: str = "park",
    park: str = "永州经开区",
    targets: int = 3,
    threshold: int = DEFAULT_THRESHOLD,
    collapsed: bool | None = None,
    gaps: list[dict] | None = None,
    candidates: dict[str, list[dict]] | None = None,
    rates: list[dict] | None = None,
    title: str | None = None,
    evidence_graph=None,
) -> dict:
    """The chain map of ``source`` as ``{"nodes": [...], "edges": [...], "meta": {...}}``.

    Parameters
    ----------
    source : rdflib.Graph or AnalysisContext
        The graph (an analysis context is built from it) or a ready context.
    chain : str or list of str, optional
        A chain name (先进电子器件, ``equipment``, …) or several; ``"all"`` for every chain;
        default the park's leading chains (cg:leadingChain), else every chain.
    scope : {"park", "city"}
        Local firms are those settled in ``park`` or anywhere in its city.
    park : str
        The park whose map this is.
    targets : int
        Candidate targets shown for each gap (缺失/薄弱) segment.
    threshold : int
        Above this many firm nodes the page starts at segment level (``collapsed``).
    collapsed : bool, optional
        Force the start level; default from ``threshold``.
    gaps, candidates, rates : optional
        Precomputed analysis (gap rows, ``{segment_iri: candidate rows}``, supporting rates);
        computed with :mod:`chaingraph.analysis` when omitted.
    title : str, optional
        Page heading; default "<park> · 产业链全景图谱".
    evidence_graph : rdflib.Graph, optional
        Where evidence quotes come from when ``source`` is a context (default: ``source``).

    Returns
    -------
    dict
        ``nodes``: ``id``, ``kind``, ``label``, ``x``, ``y``, vis style keys (``shape``,
        ``size``, ``color``, ``font``…), ``home`` (segment a firm is drawn under), ``lazy``
        (only loaded once its segment is expanded), ``card`` (everything the panels show) and
        ``search`` (normalised name keys).  ``edges``: ``id``, ``from``, ``to``, ``kind`` and vis
        style keys plus ``card``.  ``meta``: counts, legend, statuses, rates and the initial
        node/edge counts of the page.

    Examples
    --------
    >>> from chaingraph.analysis.context import example_graph
    >>> v = build_view(example_graph(), park="Demo Park")
    >>> v["meta"]["counts"]["segment"], v["meta"]["counts"]["firm"], v["nodes"][0]["kind"]
    (5, 3, 'chain')
    >>> [n["firm_count"] for n in v["nodes"] if n["kind"] == "segment"][:2]
    [0, 2]
    """
    from chaingraph.errors import ChaingraphError
    from chaingraph.project import chain_dag, evidence_by_subject, firm_graph, names_of

    if scope not in ("park", "city"):
        raise ChaingraphError(f"unknown scope {scope!r}; choose park or city")
    graph, ctx = _graph_of(source)
    ana = _analysis()
    if ctx is None and graph is not None and "context" in ana:
        ctx = ana["context"].build_context(graph, park=park, scope=scope)
    if ctx is not None:
        if graph is None:
            graph = evidence_graph
        park_iri, park_label = ctx.park, ctx.park_label
        scope = ctx.scope
        chain_iris = _ctx_chains(ana, ctx, chain)
        dag_all, fg = ctx.dag, ctx.firm_graph
        local_iris = set(ctx.local_firms)
        segs_of = ctx.covered_segments
    else:
        park_iri, park_city = resolve_park(graph, park)
        park_label = None
        chain_iris = resolve_chains(graph, chain, park_iri)
        dag_all, fg = chain_dag(graph), firm_graph(graph)

        def is_local(d: dict) -> bool:
            if scope == "park":
                return bool(park_iri) and d.get("park") == park_iri
            return bool(park_city) and (d.get("city") == park_city or d.get("park") == park_iri)

        local_iris = {n for n, d in fg.nodes(data=True) if d.get("kind") == "company" and is_local(d)}

        def segs_of(f):
            return list(fg.nodes[f].get("segments", []))
    chain_iri = chain_iris[0] if len(chain_iris) == 1 else None
    info = dag_all.graph.get("chains", {})
    keep = [n for n, d in dag_all.nodes(data=True) if not chain_iris or d["chain"] in chain_iris]
    dag = dag_all.subgraph(keep).copy()
    dag.graph["chains"] = {c: info[c] for c in sorted({dag.nodes[n]["chain"] for n in dag}) if c in info}
    chain_info = dag.graph["chains"]
    chain_labels = {c: i["label"] for c, i in chain_info.items()}
    eg = graph if graph is not None else evidence_graph
    ev = evidence_by_subject(eg) if eg is not None else {}
    all_firms = {n: d for n, d in fg.nodes(data=True) if d.get("kind") == "company"}
    names_by_iri = {n: d.get("label", n) for n, d in fg.nodes(data=True)}
    local = {f: all_firms[f] for f in sorted(local_iris) if f in all_firms}
    local_by_seg: dict[str, list[str]] = defaultdict(list)
    for f in local:
        for s in segs_of(f):
            if s in dag and f not in local_by_seg[s]:
                local_by_seg[s].append(f)

    # ---- analysis: statuses, candidates, rates
    given = gaps is not None
    statuses = ana["status"].segment_statuses(ctx) if ctx is not None and "status" in ana else {}
    if gaps is None:
        if ctx is not None and "gaps" in ana:
            gaps = []
            for c in (chain_iris or sorted(chain_labels)):
                gaps += _gap_rows(ana, ctx, c)
        else:
            gaps = _fallback_gaps(dag, local_by_seg)
    gap_by_seg = {}
    for s, st in statuses.items():
        if s in dag:
            gap_by_seg[s] = {"status": st.get("status"), "status_reason": st.get("reason"),
                             "status_explanation": st.get("explanation"), "missing_data": st.get("missing")}
    for r in gaps:
        s = _first(r, "segment", "segment_iri", "iri")
        if s in dag:
            gap_by_seg[s] = {**gap_by_seg.get(s, {}), **r}
    gap_segs = [s for s in dag.nodes if gap_by_seg.get(s, {}).get("status") in GAP_STATUSES]
    gap_segs.sort(key=lambda s: (-float(gap_by_seg[s].get("priority") or 0), s))
    if candidates is None:
        candidates = {}
        if ctx is not None and "targets" in ana and targets > 0:
            for c in sorted({dag.nodes[s]["chain"] for s in gap_segs}):
                rows_c = [r for r in gaps if r.get("chain") == c]
                candidates.update(_candidate_rows(ana, ctx, graph, c, rows_c, targets))
    cand_by_seg = {s: [normalize_candidate(r, names_by_iri) for r in rows][: max(targets, 0)]
                   for s, rows in candidates.items() if s in dag}
    if rates is None:
        rates = _rates(ana, ctx, list(chain_labels), chain_labels) if ctx is not None else []
    if not park_label:
        park_label = names_by_iri.get(park_iri) if park_iri else None

    # ---- which nodes
    cand_home: dict[str, str] = {}
    cand_info: dict[str, dict] = {}
    for s in gap_segs + sorted(set(cand_by_seg) - set(gap_segs)):
        for c in cand_by_seg.get(s, []):
            if c["id"] in local:
                continue
            cand_home.setdefault(c["id"], s)
            cand_info.setdefault(c["id"], c)
    firm_home: dict[str, str | None] = {}
    for f, d in sorted(local.items()):
        segs = [s for s in d.get("segments", []) if s in dag]
        if segs:
            firm_home[f] = segs[0]
        elif chain_iri is None and not d.get("segments"):
            firm_home[f] = None  # local but not placed on a segment yet
    shown_firms = set(firm_home) | set(cand_home)
    related: set[str] = set()
    for a, b, d in fg.edges(data=True):
        k = d["kind"]
        if k in ("supply", "referral"):
            if a in shown_firms and b not in shown_firms:
                related.add(b)
            if b in shown_firms and a not in shown_firms:
                related.add(a)
        elif k == "relocation" and a in shown_firms:
            related.add(b)
        elif k == "visit" and b in shown_firms:
            related.add(a)

    nodes: list[dict] = []
    node_ids: set[str] = set()

    # ---- segments: layered layout per chain band
    chains_in_view = sorted({d["chain"] for _, d in dag.nodes(data=True)},
                            key=lambda c: (chain_info.get(c, {}).get("granularity") != "detailed", c))
    firms_at: dict[str, list[str]] = defaultdict(list)
    for f, s in firm_home.items():
        if s:
            firms_at[s].append(f)
    cands_at: dict[str, list[str]] = defaultdict(list)
    for c, s in cand_home.items():
        cands_at[s].append(c)

    seg_pos: dict[str, tuple[float, float]] = {}
    y0 = 0.0
    band_top: dict[str, float] = {}
    for c in chains_in_view:
        segs = sorted(n for n, d in dag.nodes(data=True) if d["chain"] == c)
        col = _layers(dag, segs)
        cols: dict[int, list[str]] = defaultdict(list)
        for s in segs:
            cols[col[s]].append(s)
        band_h = 0.0
        ypos: dict[str, float] = {}
        for k in sorted(cols):
            def bary(s):
                ys = [ypos[p] for p in dag.predecessors(s) if p in ypos]
                return (sum(ys) / len(ys)) if ys else math.inf
            members = sorted(cols[k], key=lambda s: (bary(s), dag.nodes[s]["label"], s))
            y = 0.0
            for s in members:
                ypos[s] = y
                rows = math.ceil((len(firms_at[s]) + len(cands_at[s])) / FIRM_COLS)
                y += SEG_H + rows * FIRM_ROW
            band_h = max(band_h, y)
        band_top[c] = y0
        for s in segs:
            seg_pos[s] = (float(col[s] * COL_W), y0 + ypos[s])
        y0 += band_h + CHAIN_GAP

    for c in chains_in_view:
        nid = c
        nodes.append({
            "id": nid, "kind": "chain", "label": chain_labels.get(c, c), "chain": c,
            "x": float(-COL_W * 0.9), "y": band_top[c], "shape": "box",
            "color": {"background": "#2d3a4f", "border": "#2d3a4f"},
            "font": {"size": 22, "color": "#ffffff", "face": "sans-serif"}, "margin": 12,
            "lazy": False, "home": None,
            "card": {"name": chain_labels.get(c, c), "kind": NODE_KINDS["chain"],
                     "name_en": chain_info.get(c, {}).get("label_en"),
                     "segments": sum(1 for _, d in dag.nodes(data=True) if d["chain"] == c)},
            "search": _keys([chain_labels.get(c), chain_info.get(c, {}).get("label_en")]),
        })
        node_ids.add(nid)

    for s in sorted(dag.nodes, key=lambda s: (chains_in_view.index(dag.nodes[s]["chain"]), seg_pos[s][0], seg_pos[s][1])):
        d = dag.nodes[s]
        g = gap_by_seg.get(s, {})
        status = g.get("status") or ""
        n_local = len(local_by_seg.get(s, []))
        n_cand = len(cands_at[s])
        label = d["label"] + (f"\n{n_local}家本地企业" if n_local else "")
        cands = cand_by_seg.get(s, [])
        nodes.append({
            "id": s, "kind": "segment", "label": label, "chain": d["chain"], "status": status,
            "x": seg_pos[s][0], "y": seg_pos[s][1], "shape": "box",
            "color": {"background": STATUS_COLORS.get(status, STATUS_COLORS[""]), "border": "#1f2a3a" if d.get("leader_expected") else STATUS_COLORS.get(status, STATUS_COLORS[""]),
                      "highlight": {"background": STATUS_COLORS.get(status, STATUS_COLORS[""]), "border": "#111111"}},
            "borderWidth": 3 if d.get("leader_expected") else 1,
            "font": {"size": 17, "color": "#ffffff", "face": "sans-serif", "multi": False},
            "margin": 10, "widthConstraint": {"maximum": 190},
            "lazy": False, "home": None, "firm_count": n_local, "candidate_count": n_cand,
            "card": {
                "name": d["label"], "name_en": d.get("label_en"), "kind": NODE_KINDS["segment"],
                "chain": d.get("chain_label"), "stage": d.get("stage"), "status": status or None,
                "gap_kind": g.get("kind"), "priority": g.get("priority"),
                "status_explanation": g.get("status_explanation"), "missing_data": g.get("missing_data"),
                "components": _plain(g.get("components")), "demand": _plain(g.get("demand")),
                "planning": _plain(g.get("planning")), "leader_expected": bool(d.get("leader_expected")),
                "local_firms": sorted(names_by_iri.get(f, f) for f in local_by_seg.get(s, [])),
                "products": list(d.get("product_terms", [])), "industry_codes": list(d.get("industry_codes", [])),
                "candidates": cands, "evidence": ev.get(s, []),
            },
            "search": _keys([d["label"], d.get("label_en")]),
        })
        node_ids.add(s)

    def firm_card(f: str, kind: str, extra: dict | None = None) -> dict:
        d = fg.nodes[f]
        card = {
            "name": d.get("label", f), "kind": NODE_KINDS[kind], "full_name": d.get("full_name"),
            "aliases": list(d.get("aliases", [])), "park": d.get("park_label"), "city": d.get("city_label"),
            "origin": d.get("origin_label"), "products": list(d.get("products", [])),
            "segments": [dag.nodes[s]["label"] for s in d.get("segments", []) if s in dag],
            "tiers": list(d.get("tiers", [])), "stock_code": d.get("stock_code"),
            "xiangshang": bool(d.get("xiangshang")), "evidence": ev.get(f, []),
        }
        card.update(extra or {})
        return card

    def firm_names(f: str) -> list[str]:
        d = fg.nodes[f]
        return names_of(d) if d.get("kind") == "company" else [d.get("label", f)]

    # ---- local firms under their segment
    placed: dict[str, list[str]] = defaultdict(list)
    for s in sorted(firms_at):
        for f in sorted(firms_at[s], key=lambda f: (names_by_iri.get(f, f), f)):
            placed[s].append(f)
    for s in sorted(cands_at):
        for c in cands_at[s]:
            placed[s].append(c)
    for s, members in placed.items():
        sx, sy = seg_pos[s]
        for i, f in enumerate(members):
            x = sx + (i % FIRM_COLS - (FIRM_COLS - 1) / 2) * FIRM_DX
            y = sy + SEG_H * 0.62 + (i // FIRM_COLS) * FIRM_ROW
            if f in cand_info:
                info = cand_info[f]
                gaps_of = [{"segment": gs, "label": dag.nodes[gs]["label"], "rank": j + 1}
                           for gs in gap_segs for j, cc in enumerate(cand_by_seg.get(gs, [])) if cc["id"] == f]
                extra = {"score": info["score"], "components": info["components"], "introducers": info["introducers"],
                         "introducer_evidence": info["evidence"], "gaps": gaps_of, "reason": info.get("reason")}
                if f in fg:
                    card = firm_card(f, "candidate", extra)
                    names = firm_names(f)
                else:
                    card = {"name": info["name"], "kind": NODE_KINDS["candidate"], "city": info.get("city"), **extra}
                    names = [info["name"]]
                nodes.append({
                    "id": f, "kind": "candidate", "label": card["name"], "x": x, "y": y, "shape": "diamond", "size": 13,
                    "color": {"background": "#f3e5fa", "border": "#8e44ad", "highlight": {"background": "#e1bee7", "border": "#5b2c6f"}},
                    "borderWidth": 2, "shapeProperties": {"borderDashes": [4, 3]},
                    "font": {"size": 13, "color": "#5b2c6f", "face": "sans-serif"},
                    "chain": dag.nodes[s]["chain"], "home": s, "lazy": True, "status": None, "card": card,
                    "search": _keys(names),
                })
            else:
                nodes.append({
                    "id": f, "kind": "firm", "label": names_by_iri.get(f, f), "x": x, "y": y, "shape": "dot", "size": 9,
                    "color": {"background": "#34495e", "border": "#1c2833", "highlight": {"background": "#f1c40f", "border": "#1c2833"}},
                    "font": {"size": 13, "color": "#1c2833", "face": "sans-serif"},
                    "chain": dag.nodes[s]["chain"], "home": s, "lazy": True, "status": None,
                    "card": firm_card(f, "firm"), "search": _keys(firm_names(f)),
                })
            node_ids.add(f)

    # ---- everything without a segment: a column left of the bands
    loose = sorted((f for f, s in firm_home.items() if s is None), key=lambda f: (names_by_iri.get(f, f), f))
    others = sorted(related - node_ids - set(loose), key=lambda n: (fg.nodes[n].get("kind", ""), names_by_iri.get(n, n), n))
    x_left = -COL_W * 2.1
    for i, n in enumerate(loose + others):
        d = fg.nodes[n]
        kind = "firm" if n in firm_home else {"company": "external", "place": "place", "park": "park"}.get(d.get("kind"), "external")
        x = x_left + (i % 2) * FIRM_DX
        y = (i // 2) * FIRM_ROW * 1.2
        style = {
            "firm": {"shape": "dot", "size": 9, "color": {"background": "#34495e", "border": "#1c2833"}},
            "external": {"shape": "dot", "size": 8, "color": {"background": "#d5d8dc", "border": "#7f8c8d"}},
            "place": {"shape": "triangle", "size": 12, "color": {"background": "#a3e4d7", "border": "#138d75"}},
            "park": {"shape": "star", "size": 15, "color": {"background": "#f5b7b1", "border": "#c0392b"}},
        }[kind]
        card = firm_card(n, kind) if d.get("kind") == "company" else {"name": d.get("label", n), "kind": NODE_KINDS[kind], "evidence": ev.get(n, [])}
        nodes.append({
            "id": n, "kind": kind, "label": d.get("label", n), "x": x, "y": y, **style,
            "font": {"size": 13, "color": "#1c2833", "face": "sans-serif"},
            "chain": None, "home": None, "lazy": True, "status": None, "card": card, "search": _keys(firm_names(n)),
        })
        node_ids.add(n)

    # ---- edges
    edges: list[dict] = []
    name_by_node = {n["id"]: n["card"].get("name") or n["label"] for n in nodes}

    def add_edge(a, b, kind, card):
        st = EDGE_STYLES[kind]
        e = {"id": f"e{len(edges)}", "from": a, "to": b, "kind": kind,
             "color": {"color": st["color"], "highlight": st["color"], "opacity": 0.95},
             "dashes": st["dashes"], "width": st["width"],
             "arrows": {"to": {"enabled": bool(st["arrow"]), "type": st["arrow"] or "arrow", "scaleFactor": 0.8}},
             "smooth": {"enabled": kind != "member", "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.4},
             "card": {"kind": st["label"], "from": name_by_node.get(a, a), "to": name_by_node.get(b, b), **card}}
        edges.append(e)

    for a, b in sorted(dag.edges, key=lambda e: (seg_pos[e[0]], seg_pos[e[1]])):
        if dag.edges[a, b].get("kind") == "feeds_across":
            continue  # cross-chain feeds (#14) are not drawn yet: the page lays chains out apart
        add_edge(a, b, "feeds", {})
    for f, d in sorted(local.items()):
        if f not in node_ids:
            continue
        for s in d.get("segments", []):
            if s in dag:
                add_edge(f, s, "member", {})
    for s in gap_segs:
        for j, c in enumerate(cand_by_seg.get(s, [])):
            if c["id"] in node_ids and c["id"] not in local:
                add_edge(c["id"], s, "target", {"rank": j + 1, "score": c["score"], "introducers": c["introducers"]})
    for a, b, d in sorted(fg.edges(data=True), key=lambda e: (e[2]["kind"], e[2].get("fact") or "", e[0], e[1])):
        k = d["kind"]
        if k not in ("supply", "referral", "relocation", "visit"):
            continue
        src_, dst = (b, a) if k == "relocation" else (a, b)
        if src_ in node_ids and dst in node_ids:
            card = {"year": d.get("year"), "evidence": d.get("evidence", [])}
            if k == "referral":
                card["referral_kind"] = "链主带动" if str(d.get("referral_kind") or "").endswith("LeaderPull") else "以商引商"
            add_edge(src_, dst, k, card)

    # ---- start level and meta
    n_firm_nodes = sum(1 for n in nodes if n["lazy"])
    is_collapsed = (n_firm_nodes > threshold) if collapsed is None else bool(collapsed)
    if not is_collapsed:
        for n in nodes:
            n["lazy"] = False
    initial = {n["id"] for n in nodes if not n["lazy"]}
    initial_edges = sum(1 for e in edges if e["from"] in initial and e["to"] in initial)
    counts = {k: sum(1 for n in nodes if n["kind"] == k) for k in NODE_KINDS}
    status_counts = {st: sum(1 for n in nodes if n["kind"] == "segment" and n["status"] == st) for st in STATUSES}
    edge_counts = {k: sum(1 for e in edges if e["kind"] == k) for k in EDGE_STYLES}
    meta = {
        "title": title or f"{park_label or park} · 产业链全景图谱",
        "park": park_label or park, "park_iri": park_iri, "scope": scope,
        "scope_label": "园区" if scope == "park" else "全市",
        "chain": chain_iri, "chain_label": chain_labels.get(chain_iri) if chain_iri else None,
        "chains": [{"id": c, "label": chain_labels.get(c, c)} for c in chains_in_view],
        "targets": targets, "threshold": threshold, "collapsed": is_collapsed,
        "counts": counts, "status_counts": status_counts, "edge_counts": edge_counts,
        "local_firms": len([f for f in firm_home]),
        "total_nodes": len(nodes), "total_edges": len(edges),
        "initial_nodes": len(initial), "initial_edges": initial_edges,
        "rates": [{"chain": r["chain"], "label": r["label"], "rate": r["rate"]} for r in rates],
        "statuses": [{"status": s, "color": STATUS_COLORS[s], "meaning": STATUS_INFO[s]["zh"]} for s in STATUSES],
        "node_kinds": [{"kind": k, "label": v} for k, v in NODE_KINDS.items()],
        "edge_styles": [{"kind": k, **v} for k, v in EDGE_STYLES.items()],
        "analysis": "given" if given else ("chaingraph.analysis" if "gaps" in ana and ctx is not None else "fallback"),
    }
    return {"nodes": nodes, "edges": edges, "meta": meta}

