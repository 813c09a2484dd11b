"""Build the chain map as plain data: the poster (全景图谱) and the network, ready for the page.

:func:`build_view` reads the chain analysis (:mod:`chaingraph.analysis`: panorama, gaps,
targets) and returns plain dicts of ``str``/``int``/``float``/``bool``/``list``/``dict``:

* ``meta["poster"]`` — per chain, stage columns (上游/中游/下游) of segment ids in the
  panorama's order, with the chain's counts exactly as ``chaingraph chain``/``report`` print them;
* ``nodes``/``edges`` — the same segments plus local firms, the top candidates of each gap and
  the firms, places and parks related to them, positioned in a layered layout (upstream →
  downstream, one band per chain) so the network view needs no physics.

Every card the page shows is built here, in Chinese: names (never IRIs), each status with its
reason, each score with its components, evidence as the quoted sentence with its article title.
Evidence is read only for what is drawn.  Strings are kept verbatim — they are untrusted and the
page shows them with ``textContent``.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from typing import Any, Iterable

from chaingraph.analysis.context import AnalysisContext, build_context, resolve_chain
from chaingraph.analysis.gaps import find_gaps
from chaingraph.analysis.panorama import panorama
from chaingraph.analysis.status import STATUS_INFO, STATUSES  # one set of status words and colours (#14)
from chaingraph.analysis.targets import rank_targets
from chaingraph.defaults import DEFAULT_PARK

STATUS_COLORS = {s: STATUS_INFO[s]["color"] for s in STATUSES}
OTHER_STATUS_COLOR = "#9aa3b2"

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
RELATION_WORDS = {"supply": "供应", "referral": "引荐", "relocation": "迁移", "visit": "考察", "city": "同城"}

#: Chinese names of the gap-priority components (:data:`chaingraph.analysis.gaps.DEFAULT_WEIGHTS`)
GAP_COMPONENT_LABELS = {
    "severity": "缺口类型", "local_demand": "本地需求", "leader_demand": "链主需求", "betweenness": "链上枢纽度",
    "reach": "下游带动", "candidates": "可招候选", "planning": "规划提及",
}

COL_W = 330          # x distance between layers
SEG_H = 86           # vertical room for a segment box
FIRM_ROW = 42        # vertical room per row of attached firms
FIRM_COLS = 2
FIRM_DX = 128
CHAIN_GAP = 170      # vertical gap between chain bands
DEFAULT_THRESHOLD = 300
LISTED = 10          # candidates per gap listed in its card (``targets`` of them drawn)
URGENT = 5           # gaps per chain numbered on the poster (as ``report`` lists them)
ALL_CHAINS = ("all", "全部", "*")
_ENGLISH = re.compile(r"[a-z]{3,}")  # an English word (product codes such as PCB are upper case)


# ---------------------------------------------------------------- small helpers


def _simple_key(name: str) -> str:
    """What the page's search does to a query: NFKC, no whitespace, lower-case."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", name).split()).lower()


def _keys(names: Iterable[str | None]) -> list[str]:
    """Search keys of a node: the project's name keys (simplified script) and the plain key."""
    from chaingraph.lookup import name_key

    return sorted({k for n in names if n for k in (name_key(n), _simple_key(n))})


def _chinese(note: str | None) -> str | None:
    """A note worth showing a Chinese reader (English notes are left out, not shown raw)."""
    return note if note and not _ENGLISH.search(note) else None


def _quote(text: str | None) -> str | None:
    """A quote as a reader sees it: a record copied from a data set (a JSON object, as in the
    candidate pool) becomes its values, never a raw record.

    >>> _quote('{"name": "神州高铁", "code": "000008.SZ", "tags": ["轨交", "检测"], "x": {"y": 1}}')
    '数据记录：神州高铁，000008.SZ，轨交、检测'
    >>> _quote("引荐上游企业落户")
    '引荐上游企业落户'
    """
    if not text or not text.lstrip().startswith("{"):
        return text
    try:
        record = json.loads(text)
    except ValueError:
        return text
    if not isinstance(record, dict):
        return text
    values = []
    for v in record.values():
        if isinstance(v, list):
            v = "、".join(str(x) for x in v if isinstance(x, (str, int, float)))
        if isinstance(v, (str, int, float)) and not isinstance(v, bool) and str(v).strip():
            values.append(str(v))
    return "数据记录：" + "，".join(values)


def _evidence(items: Iterable[dict] | None) -> list[dict]:
    """Evidence as the card shows it: the quoted sentence and its article title."""
    return [{"quote": _quote(e.get("quote")), "title": e.get("title")} for e in items or []
            if e.get("quote") or e.get("title")]


def view_chains(ctx: AnalysisContext, chain) -> list[str]:
    """Chain IRIs of the view: names, ``"all"``, default the park's focus chains."""
    if chain is None:
        return sorted(ctx.focus_chains)
    names = [chain] if isinstance(chain, str) else list(chain)
    if any(n in ALL_CHAINS for n in names):
        return sorted(ctx.chains)
    return list(dict.fromkeys(resolve_chain(ctx, n) for n in names))


def _score_lines(components: dict) -> list[dict]:
    """A target's score components as ``[{label, value, known, weight, note}]`` (Chinese)."""
    out = []
    for c in components.values():
        out.append({"label": c.get("label"), "value": c.get("value"), "known": bool(c.get("known")),
                    "weight": c.get("weight"), "note": _chinese(c.get("note"))})
    return out


def candidate_card(row: dict) -> dict:
    """One row of :func:`~chaingraph.analysis.targets.rank_targets` as the page shows it."""
    intros = []
    for i in row.get("introducers") or []:
        hops = i.get("path") or []
        names = [h.get("from_label") for h in hops[:1]] + [h.get("to_label") for h in hops]
        kinds = "、".join(dict.fromkeys(RELATION_WORDS.get(h.get("kind"), "关系") for h in hops))
        intros.append({
            "firm": i.get("firm"), "label": i.get("label"),
            "path": " → ".join(n for n in names if n) + (f"（{kinds}）" if kinds else ""),
            "evidence": _evidence(e for h in hops for e in h.get("evidence") or []),
        })
    products = [p["product"] if isinstance(p, dict) else p for p in row.get("products") or []]
    return {
        "id": row["firm"], "name": row["name"], "full_name": row.get("full_name"), "city": row.get("city"),
        "stock_code": row.get("stock_code"), "products": products, "score": row.get("score"),
        "coverage": row.get("coverage"), "why": _chinese(row.get("why")) or None,
        "components": _score_lines(row.get("components") or {}), "introducers": intros,
    }


def _gap_lines(components: dict | None) -> list[dict]:
    return [{"label": GAP_COMPONENT_LABELS.get(k, k), "value": c.get("normalised"), "weight": c.get("weight")}
            for k, c in (components or {}).items()]


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


def _poster_order(rows: list[dict]) -> list[dict]:
    """Panorama rows of one stage with each sub-segment right after its parent."""
    by_label = {r["label"]: r for r in rows}
    children: dict[str, list[dict]] = defaultdict(list)
    top = []
    for r in rows:
        if r.get("broader") in by_label:
            children[r["broader"]].append(r)
        else:
            top.append(r)
    out: list[dict] = []

    def put(r):
        out.append(r)
        for c in children.get(r["label"], []):
            put(c)

    for r in top:
        put(r)
    return out


# ---------------------------------------------------------------- the view


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
    from chaingraph.errors import ChaingraphError
    from chaingraph.project import evidence_by_subject, names_of

    if scope not in ("park", "city"):
        raise ChaingraphError(f"unknown scope {scope!r}; choose park or city")
    ctx = source if isinstance(source, AnalysisContext) else build_context(source, park=park, scope=scope)
    chain_iris = view_chains(ctx, chain)
    dag = ctx.dag.subgraph(s for s in ctx.dag if ctx.dag.nodes[s]["chain"] in chain_iris).copy()
    panos = {c: panorama(ctx, c) for c in chain_iris}
    rows_by_seg = {r["segment"]: r for p in panos.values() for r in p["rows"]}

    # ---- analysis: gaps and candidates
    if gaps is None:
        gaps = [r for c in chain_iris for r in find_gaps(ctx, chain=c)]
    gap_by_seg = {r["segment"]: r for r in gaps if r["segment"] in dag}
    cand_total: dict[str, int] = dict(candidate_counts or {})
    if candidates is None:
        candidates = defaultdict(list)
        if targets > 0:
            for c in chain_iris:
                res = rank_targets(ctx, chain=c, top=max(targets, listed),
                                   gaps=[r for r in gaps if r.get("chain") == c])
                for r in res["rows"]:
                    candidates[r["segment"]].append(r)
                cand_total.update({s["segment"]: s["candidates"] for s in res["segments"]})
    cards_by_seg = {s: [candidate_card(r) for r in rows[:listed]] for s, rows in candidates.items() if s in dag}
    gap_segs = sorted(gap_by_seg, key=lambda s: (-float(gap_by_seg[s].get("priority") or 0), s))
    urgent: dict[str, int] = {}
    for c in chain_iris:
        for i, s in enumerate([s for s in gap_segs if dag.nodes[s]["chain"] == c][:URGENT], 1):
            urgent[s] = i

    # ---- which firms: local firms under their most specific segment, the gaps' top candidates
    firm_home: dict[str, str] = {}
    for s in ctx.chain_segments(None):
        if s not in dag:
            continue
        for f in rows_by_seg[s]["local_firm_iris"]:
            home = firm_home.get(f)
            if home is None or dag.nodes[s].get("broader") == home:
                firm_home[f] = s
    local = set(firm_home)
    cand_home: dict[str, str] = {}
    cand_row: dict[str, dict] = {}
    for s in gap_segs + sorted(set(cards_by_seg) - set(gap_segs)):
        for card in cards_by_seg.get(s, [])[:max(targets, 0)]:
            if card["id"] not in local and card["id"] not in cand_home:
                cand_home[card["id"]] = s
                cand_row[card["id"]] = card
    shown = local | set(cand_home)
    relations = [e for e in ctx.source.relation_edges()
                 if (e["a"] in shown or e["b"] in shown) and e["a"] != e["b"]]
    related = sorted({x for e in relations for x in (e["a"], e["b"])} - shown)
    attrs = ctx.firm_info(sorted(shown | set(related)))
    ev = evidence_by_subject(ctx.source.graph, subjects=sorted(x for x in shown | set(related) | {e["fact"] for e in relations}
                                                               if x.startswith("http")))

    def label(x: str) -> str:
        return (attrs.get(x) or {}).get("label") or ctx.source.label(x)

    nodes: list[dict] = []

    # ---- segments: layered layout per chain band
    chains_in_view = sorted(chain_iris, key=lambda c: (ctx.chains[c].get("granularity") != "detailed", c))
    at_seg: dict[str, int] = defaultdict(int)
    for s in list(firm_home.values()) + list(cand_home.values()):
        at_seg[s] += 1
    seg_pos: dict[str, tuple[float, float]] = {}
    band_top: dict[str, float] = {}
    y0 = 0.0
    for c in chains_in_view:
        segs = sorted(n for n in dag if dag.nodes[n]["chain"] == c)
        col = _layers(dag, segs)
        cols: dict[int, list[str]] = defaultdict(list)
        for s in segs:
            cols[col[s]].append(s)
        band_h, ypos = 0.0, {}
        for k in sorted(cols):
            def bary(s):
                ys = [ypos[p] for p in dag.predecessors(s) if p in ypos]
                return (sum(ys) / len(ys)) if ys else math.inf
            y = 0.0
            for s in sorted(cols[k], key=lambda s: (bary(s), dag.nodes[s]["label"], s)):
                ypos[s] = y
                y += SEG_H + math.ceil(at_seg[s] / FIRM_COLS) * FIRM_ROW
            band_h = max(band_h, y)
        band_top[c] = y0
        for s in segs:
            seg_pos[s] = (float(col[s] * COL_W), y0 + ypos[s])
        y0 += band_h + CHAIN_GAP

    for c in chains_in_view:
        nodes.append({
            "id": c, "kind": "chain", "label": ctx.chains[c]["label"], "chain": c,
            "x": float(-COL_W * 0.9), "y": band_top[c], "shape": "box",
            "color": {"background": "#2d3a4f", "border": "#2d3a4f"},
            "font": {"size": 22, "color": "#ffffff"}, "margin": 12, "lazy": False, "home": None,
            "card": {"name": ctx.chains[c]["label"], "kind": NODE_KINDS["chain"], "segments_count": len(panos[c]["rows"]),
                     "local_firm_count": panos[c]["local_firm_count"]},
            "search": _keys([ctx.chains[c]["label"], ctx.chains[c].get("label_en")]),
        })

    for s in sorted(dag, key=lambda s: (chains_in_view.index(dag.nodes[s]["chain"]), seg_pos[s])):
        d, row, g = dag.nodes[s], rows_by_seg[s], gap_by_seg.get(s, {})
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
            "lazy": False, "home": None, "firm_count": n_local, "candidate_count": sum(1 for h in cand_home.values() if h == s),
            "card": {
                "name": d["label"], "kind": NODE_KINDS["segment"], "chain": ctx.chains[d["chain"]]["label"],
                "stage": row["stage"], "status": status, "status_reason": row["status_reason"],
                "status_explanation": row.get("status_explanation") or f"{status}：{row['status_reason']}",
                "broader": row["broader"], "leader_expected": row["leader_expected"], "leaders": row["leaders"],
                "local_firms": [{"id": f, "name": n} for f, n in zip(row["local_firm_iris"], row["local_firms"])],
                "reported_count": row["reported_count"],
                "gap_kind": g.get("kind"), "priority": g.get("priority"), "urgent": urgent.get(s),
                "explanation": g.get("explanation"), "priority_parts": _gap_lines(g.get("components")),
                "demand": list(g.get("demand_firms") or []),
                "planning": [{"quote": p.get("quote"), "title": p.get("source_title")} for p in g.get("planning") or []],
                "products": list(d.get("product_terms", [])),
                "candidates": cards_by_seg.get(s, []), "candidates_total": cand_total.get(s, len(cards_by_seg.get(s, []))),
            },
            "search": _keys([d["label"], d.get("label_en")]),
        })

    seg_label = {s: dag.nodes[s]["label"] for s in dag}

    def firm_card(f: str, kind: str) -> dict:
        a = attrs.get(f) or {}
        return {
            "name": label(f), "kind": NODE_KINDS[kind], "full_name": a.get("full_name"),
            "aliases": [x for x in a.get("aliases", []) if x not in (a.get("label"), a.get("full_name"))],
            "park": a.get("park_label"), "city": a.get("city_label"), "origin": a.get("origin_label"),
            "products": list(a.get("products", [])), "segments": [seg_label[s] for s in a.get("segments", []) if s in seg_label],
            "tiers": list(a.get("tiers", [])), "stock_code": a.get("stock_code"), "xiangshang": bool(a.get("xiangshang")),
            "evidence": _evidence(ev.get(f)),
        }

    def names(f: str) -> list[str]:
        return names_of(attrs[f]) if f in attrs else [label(f)]

    placed: dict[str, list[str]] = defaultdict(list)
    for f in sorted(firm_home, key=lambda f: (label(f), f)):
        placed[firm_home[f]].append(f)
    for c, s in cand_home.items():
        placed[s].append(c)
    for s, members in placed.items():
        sx, sy = seg_pos[s]
        for i, f in enumerate(members):
            x = sx + (i % FIRM_COLS - (FIRM_COLS - 1) / 2) * FIRM_DX
            y = sy + SEG_H * 0.62 + (i // FIRM_COLS) * FIRM_ROW
            if f in cand_home:
                info = cand_row[f]
                card = {**firm_card(f, "candidate"), **{k: v for k, v in info.items() if k != "id" and v not in (None, [])}}
                card["gaps"] = [{"segment": gs, "label": seg_label[gs], "rank": j + 1}
                                for gs in gap_segs for j, cc in enumerate(cards_by_seg.get(gs, [])) if cc["id"] == f]
                nodes.append({
                    "id": f, "kind": "candidate", "label": card["name"], "x": x, "y": y, "shape": "diamond", "size": 13,
                    "color": {"background": "#f3e5fa", "border": "#8e44ad", "highlight": {"background": "#e1bee7", "border": "#5b2c6f"}},
                    "borderWidth": 2, "font": {"size": 13, "color": "#5b2c6f"},
                    "chain": dag.nodes[s]["chain"], "home": s, "lazy": True, "status": None, "card": card,
                    "search": _keys(names(f) + [info["name"]]),
                })
            else:
                nodes.append({
                    "id": f, "kind": "firm", "label": label(f), "x": x, "y": y, "shape": "dot", "size": 9,
                    "color": {"background": "#34495e", "border": "#1c2833", "highlight": {"background": "#f1c40f", "border": "#1c2833"}},
                    "font": {"size": 13, "color": "#1c2833"},
                    "chain": dag.nodes[s]["chain"], "home": s, "lazy": True, "status": None,
                    "card": firm_card(f, "firm"), "search": _keys(names(f)),
                })

    # ---- related firms, places and parks: a column left of the bands
    kind_of = {}
    for e in relations:
        kind_of.setdefault(e["a"], "park" if e["kind"] == "visit" else "external")
        kind_of.setdefault(e["b"], "place" if e["kind"] == "relocation" else "external")
    styles = {
        "external": {"shape": "dot", "size": 8, "color": {"background": "#d5d8dc", "border": "#7f8c8d"}},
        "place": {"shape": "triangle", "size": 12, "color": {"background": "#a3e4d7", "border": "#138d75"}},
        "park": {"shape": "star", "size": 15, "color": {"background": "#f5b7b1", "border": "#c0392b"}},
    }
    for i, n in enumerate(sorted(related, key=lambda n: (kind_of[n], label(n), n))):
        kind = kind_of[n]
        card = firm_card(n, kind) if n in attrs else {"name": label(n), "kind": NODE_KINDS[kind], "evidence": _evidence(ev.get(n))}
        nodes.append({
            "id": n, "kind": kind, "label": label(n), "x": -COL_W * 2.1 + (i % 2) * FIRM_DX, "y": (i // 2) * FIRM_ROW * 1.2,
            **styles[kind], "font": {"size": 13, "color": "#1c2833"},
            "chain": None, "home": None, "lazy": True, "status": None, "card": card, "search": _keys(names(n)),
        })

    # ---- edges
    edges: list[dict] = []
    name_by_node = {n["id"]: n["card"]["name"] for n in nodes}

    def add_edge(a, b, kind, card):
        st = EDGE_STYLES[kind]
        edges.append({
            "id": f"e{len(edges)}", "from": a, "to": b, "kind": kind,
            "color": {"color": st["color"], "highlight": st["color"], "opacity": 0.95},
            "dashes": st["dashes"], "width": st["width"],
            "arrows": {"to": {"enabled": bool(st["arrow"]), "type": st["arrow"] or "arrow", "scaleFactor": 0.8}},
            "smooth": {"enabled": kind != "member", "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.4},
            "card": {"kind": st["label"], "from": name_by_node[a], "to": name_by_node[b], **card},
        })

    for a, b in sorted(dag.edges, key=lambda e: (seg_pos[e[0]], seg_pos[e[1]])):
        if dag.edges[a, b].get("kind") == "feeds_across":
            continue  # cross-chain feeds (#14) are not drawn yet: the page lays chains out apart
        add_edge(a, b, "feeds", {})
    for f, s in sorted(firm_home.items()):
        add_edge(f, s, "member", {})
    for s in gap_segs:
        for j, c in enumerate(cards_by_seg.get(s, [])[:max(targets, 0)]):
            if c["id"] in cand_home:
                add_edge(c["id"], s, "target", {"rank": j + 1, "score": c["score"]})
    for e in relations:
        src, dst = (e["b"], e["a"]) if e["kind"] == "relocation" else (e["a"], e["b"])
        card = {"year": e.get("year"), "evidence": _evidence(ev.get(e["fact"]))}
        if e["kind"] == "referral":
            card["referral_kind"] = "链主带动" if str(e.get("referral_kind") or "").endswith("LeaderPull") else "以商引商"
        add_edge(src, dst, e["kind"], card)

    # ---- the poster: per chain, stage columns in the panorama's order
    poster = []
    for c in chain_iris:
        p = panos[c]
        rate = p["supporting_rate"]
        poster.append({
            "chain": c, "label": p["chain_label"], "summary": p["summary"], "local_firm_count": p["local_firm_count"],
            "rate": rate.get("rate"), "rate_name": rate.get("name"), "gaps": sum(1 for s in gap_segs if dag.nodes[s]["chain"] == c),
            "coverage": (p.get("coverage") or {}).get("text"),
            "stages": [{"stage": st["stage"], "segments": [r["segment"] for r in _poster_order(st["segments"])]}
                       for st in p["stages"]],
        })

    # ---- start level and meta
    is_collapsed = (sum(1 for n in nodes if n["lazy"]) > threshold) if collapsed is None else bool(collapsed)
    if not is_collapsed:
        for n in nodes:
            n["lazy"] = False
    initial = {n["id"] for n in nodes if not n["lazy"]}
    statuses = list(STATUSES) + sorted({n["status"] for n in nodes if n["kind"] == "segment"} - set(STATUSES))
    park_label = ctx.park_label
    return {"nodes": nodes, "edges": edges, "meta": {
        "title": title or f"{park_label} · 产业链全景图谱",
        "park": park_label, "park_iri": ctx.park, "scope": ctx.scope, "scope_label": "园区" if ctx.scope == "park" else "全市",
        "chains": [{"id": c, "label": ctx.chains[c]["label"]} for c in chains_in_view],
        "poster": poster, "targets": targets, "listed": listed, "threshold": threshold, "collapsed": is_collapsed,
        "counts": {k: sum(1 for n in nodes if n["kind"] == k) for k in NODE_KINDS},
        "status_counts": {st: sum(1 for n in nodes if n["kind"] == "segment" and n["status"] == st) for st in statuses},
        "edge_counts": {k: sum(1 for e in edges if e["kind"] == k) for k in EDGE_STYLES},
        "total_nodes": len(nodes), "total_edges": len(edges),
        "initial_nodes": len(initial), "initial_edges": sum(1 for e in edges if e["from"] in initial and e["to"] in initial),
        "statuses": [{"status": s, "color": STATUS_COLORS.get(s, OTHER_STATUS_COLOR),
                      "meaning": STATUS_INFO.get(s, {}).get("zh")} for s in statuses],
        "node_kinds": [{"kind": k, "label": v} for k, v in NODE_KINDS.items()],
        "edge_styles": [{"kind": k, **v} for k, v in EDGE_STYLES.items()],
    }}
