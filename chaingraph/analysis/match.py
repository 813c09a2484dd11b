"""Local supply–demand matchmaking (供需对接): who could buy from whom inside the park.

Three lists:

* **stated** — pairs of local firms with a recorded tie (``cg:Supply`` or ``cg:Referral``), with
  the sentence that states it: a planner's first matches are the ones the sources already show;
* **pairs** (rule-based) — ordered pairs of local firms (supplier, customer) where a segment of the
  supplier feeds a segment of the customer in the chain template (``feeds``, sub-segments counted
  in their broader segment), the customer does not make that input itself, and no ``cg:Supply``
  tie between them is recorded yet.  Pairs whose firms are tied by a referral come first.
  Only segments a source states for a firm count (a stated product, a stated segment, a group
  statement, a registry code): a segment inferred from a word of the firm's name or business
  scope (``cg:InferredFromName``, ``cg:BusinessScope``) does not make a pair, so firms that share
  only a word of a product name are not matched;
* **predicted** (link prediction) — scores from NetworkX link prediction
  (``resource_allocation`` by default; ``adamic_adar`` or ``jaccard``) on an undirected graph ``H``
  whose nodes are local firms and segments (and the firms they are tied to): a firm is joined to
  each segment it *makes* (its segments) and each segment it *needs* (inputs of its segments);
  recorded supply and referral ties join firms directly.  A common segment one firm makes and the
  other needs is a supply opportunity; a common introducer or partner is a social tie.  Only
  pairs with at least one such complementary segment are kept (peers that merely make or need
  the same things are not trading partners), and pairs already tied by a recorded supply are
  left out.  The score is the index over *all* common neighbours (shared inputs, introducers…);
  each prediction lists them as its reason; ``supplier``/``customer`` are set when the
  complementary segments point one way.

Examples
--------
>>> from chaingraph.analysis.context import build_context, example_graph
>>> m = matchmaking(build_context(example_graph(), park="示范园"))
>>> [(p["supplier_label"], p["customer_label"], p["tie"]) for p in m["pairs"]]
[('冲压甲', '整机链主', '引荐关系'), ('冲压乙', '整机链主', None)]
>>> [(t["firm_a_label"], t["firm_b_label"], t["kind_label"]) for t in m["stated"]]
[('冲压甲', '冲压乙', '引荐关系'), ('整机链主', '冲压甲', '引荐关系')]
>>> [(p["supplier_label"], p["customer_label"], p["score"]) for p in m["predicted"]]
[('冲压乙', '整机链主', 0.5833), ('冲压甲', '整机链主', 0.3333)]
>>> m["predicted"][0]["reason"]
'共同邻居：冲压甲（整机链主引荐关系，冲压乙引荐关系）；冲压（整机链主需要，冲压乙生产）'
"""

from __future__ import annotations

import networkx as nx

from chaingraph.analysis.context import AnalysisContext, resolve_chain
from chaingraph.errors import ChaingraphError
from chaingraph.store import select_in

METHODS = {
    "resource_allocation": nx.resource_allocation_index,
    "adamic_adar": nx.adamic_adar_index,
    "jaccard": nx.jaccard_coefficient,
}


WEAK_BASES = ("InferredFromName", "BusinessScope", "EquipmentForSegment")
"""Segment-link bases too weak to propose a trading pair on (a word of a name or business scope)."""


def _supply_ties(ctx: AnalysisContext) -> set[tuple[str, str]]:
    return {(a, b) for a, b, d in ctx.firm_graph.edges(data=True) if d.get("kind") == "supply"}


def _weak_links(ctx: AnalysisContext, firms) -> set[tuple[str, str]]:
    """(firm, segment) pairs whose every segment link has a weak basis (:data:`WEAK_BASES`)."""
    rows = select_in(
        ctx.source.graph,
        "SELECT ?f ?s ?basis WHERE { ?l a cg:SegmentLink ; cg:firm ?f ; cg:segment ?s . OPTIONAL { ?l cg:basis ?basis } }",
        "f", sorted(firms),
    )
    bases: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        bases.setdefault((r["f"], r["s"]), set()).add((r["basis"] or "").rsplit("#", 1)[-1])
    return {k for k, v in bases.items() if v and v <= set(WEAK_BASES)}


def _stated_segments(ctx: AnalysisContext, in_scope: set[str]) -> dict[str, list[str]]:
    """``{local firm: [segments in scope a source states for it, with their broader segments]}``."""
    weak = _weak_links(ctx, ctx.local_firms)
    out = {}
    for f in sorted(ctx.local_firms):
        own = [s for s in ctx.source.segments([f]).get(f, []) if (f, s) not in weak]
        covered: set[str] = set()
        for s in own:
            while s and s in ctx.dag and s not in covered:
                covered.add(s)
                s = ctx.dag.nodes[s].get("broader")
        out[f] = sorted(covered & in_scope)
    return out


def stated_ties(ctx: AnalysisContext) -> list[dict]:
    """Recorded supply and referral ties between local firms, with the sentence stating each."""
    out = []
    kinds = {"supply": "供应关系", "referral": "引荐关系"}
    for a, b, d in ctx.firm_graph.edges(data=True):
        if d.get("kind") not in kinds or a not in ctx.local_firms or b not in ctx.local_firms:
            continue
        ev = (d.get("evidence") or [{}])[0]
        out.append(
            {
                "firm_a": a, "firm_a_label": ctx.firm_label(a), "firm_b": b, "firm_b_label": ctx.firm_label(b),
                "kind": d["kind"], "kind_label": kinds[d["kind"]], "fact": d.get("fact"),
                "quote": ev.get("quote"), "source_title": ev.get("title"),
                "reason": f"来源记录{ctx.firm_label(a)}与{ctx.firm_label(b)}的{kinds[d['kind']]}"
                          + (f"：“{ev['quote']}”（{ev.get('title')}）" if ev.get("quote") else ""),
            }
        )
    out.sort(key=lambda t: (t["kind"] != "supply", t["firm_a_label"], t["firm_b_label"], t["fact"] or ""))
    return out


def supply_pairs(ctx: AnalysisContext, chains: list[str]) -> list[dict]:
    """The rule-based pairs (see the module docstring), most template links first."""
    in_scope = {s for c in chains for s in ctx.chain_segments(c)}
    tied = _supply_ties(ctx)
    referred = {frozenset((a, b)) for a, b, d in ctx.firm_graph.edges(data=True) if d.get("kind") == "referral"}
    segs = _stated_segments(ctx, in_scope)
    out = []
    for a, sa in segs.items():
        for b, sb in segs.items():
            if a == b or (a, b) in tied:
                continue
            links = [(s, t) for s in sa for t in sb if ctx.dag.has_edge(s, t) and s not in sb]
            if not links:
                continue
            desc = "；".join(f"{ctx.segment_label(s)}→{ctx.segment_label(t)}" for s, t in links)
            out.append(
                {
                    "supplier": a,
                    "supplier_label": ctx.firm_label(a),
                    "customer": b,
                    "customer_label": ctx.firm_label(b),
                    "links": [
                        {
                            "supplier_segment": s,
                            "supplier_segment_label": ctx.segment_label(s),
                            "customer_segment": t,
                            "customer_segment_label": ctx.segment_label(t),
                        }
                        for s, t in links
                    ],
                    "tie": "引荐关系" if frozenset((a, b)) in referred else None,
                    "reason": f"{ctx.firm_label(a)}的环节供给{ctx.firm_label(b)}的环节（{desc}），尚无供应关系记录"
                              + ("；两家已有引荐关系" if frozenset((a, b)) in referred else ""),
                }
            )
    out.sort(key=lambda p: (p["tie"] is None, -len(p["links"]), p["supplier_label"], p["customer_label"], p["supplier"], p["customer"]))
    return out


def structure_graph(ctx: AnalysisContext, chains: list[str]) -> nx.Graph:
    """The undirected firm–segment graph ``H`` used for link prediction.

    Firm nodes have ``kind="company"``; segment nodes ``kind="segment"``; edges carry
    ``role``: ``makes``, ``needs``, ``supply`` or ``referral``.
    """
    in_scope = {s for c in chains for s in ctx.chain_segments(c)}
    stated = _stated_segments(ctx, in_scope)
    h = nx.Graph()
    for f in sorted(ctx.local_firms):
        mine = stated[f]
        if not mine:
            continue
        h.add_node(f, kind="company")
        for s in mine:
            h.add_node(s, kind="segment")
            h.add_edge(f, s, role="makes")
        for s in mine:
            for u in sorted(ctx.dag.predecessors(s)):
                if u in in_scope and not h.has_edge(f, u):
                    h.add_node(u, kind="segment")
                    h.add_edge(f, u, role="needs")
    for a, b, d in sorted(ctx.firm_graph.edges(data=True), key=lambda e: (e[0], e[1], e[2].get("fact") or "")):
        if d.get("kind") in ("supply", "referral") and (a in h or b in h) and a != b:
            for n in (a, b):
                if n not in h:
                    h.add_node(n, kind="company")
            if not h.has_edge(a, b):
                h.add_edge(a, b, role=d["kind"])
    return h


ROLE_LABELS = {"makes": "生产", "needs": "需要", "supply": "供应关系", "referral": "引荐关系"}
"""How a firm stands to a common neighbour (:func:`structure_graph` edge roles), in Chinese."""


def _common_neighbours(ctx: AnalysisContext, h: nx.Graph, a: str, b: str) -> tuple[list[dict], list[tuple[str, str]]]:
    """(common neighbours of ``a`` and ``b`` with both firms' roles, sorted supply directions
    ``(supplier, customer)`` of the complementary segments: one makes what the other needs)."""
    common, complementary = [], set()
    for w in sorted(nx.common_neighbors(h, a, b)):
        ra, rb = h.edges[a, w]["role"], h.edges[b, w]["role"]
        if h.nodes[w]["kind"] == "segment":
            if {ra, rb} == {"makes", "needs"}:
                complementary.add((a, b) if ra == "makes" else (b, a))
            common.append({"node": w, "label": ctx.segment_label(w), "kind": "segment", "roles": [ra, rb]})
        else:
            common.append({"node": w, "label": ctx.firm_label(w), "kind": "company", "roles": [ra, rb]})
    return common, sorted(complementary)


def _neighbour_text(ctx: AnalysisContext, common: dict, a: str, b: str) -> str:
    """``冲压（整机链主需要，冲压乙生产）``: a common neighbour and how each firm stands to it."""
    role_a, role_b = common["roles"]
    return f"{common['label']}（{ctx.firm_label(a)}{ROLE_LABELS[role_a]}，{ctx.firm_label(b)}{ROLE_LABELS[role_b]}）"


def predict_links(ctx: AnalysisContext, chains: list[str], *, method: str = "resource_allocation", top: int = 20) -> list[dict]:
    """Predicted supply links between local firms (see the module docstring), best first."""
    if method not in METHODS:
        raise ChaingraphError(f"unknown link-prediction method {method!r}; choose one of {', '.join(METHODS)}")
    h = structure_graph(ctx, chains)
    tied = {frozenset(t) for t in _supply_ties(ctx)}
    local = sorted(n for n, d in h.nodes(data=True) if d["kind"] == "company" and n in ctx.local_firms)
    candidates = [(a, b) for i, a in enumerate(local) for b in local[i + 1:] if frozenset((a, b)) not in tied]
    out = []
    for a, b, score in METHODS[method](h, candidates):
        if score <= 0:
            continue
        common, directions = _common_neighbours(ctx, h, a, b)
        if not directions:
            continue
        supplier, customer = directions[0] if len(directions) == 1 else (None, None)
        reason = "；".join(_neighbour_text(ctx, c, a, b) for c in common)
        out.append(
            {
                "firm_a": a,
                "firm_a_label": ctx.firm_label(a),
                "firm_b": b,
                "firm_b_label": ctx.firm_label(b),
                "supplier": supplier,
                "supplier_label": ctx.firm_label(supplier) if supplier else None,
                "customer": customer,
                "customer_label": ctx.firm_label(customer) if customer else None,
                "score": round(float(score), 4),
                "method": method,
                "common": common,
                "reason": "共同邻居：" + reason,
            }
        )
    out.sort(key=lambda p: (-p["score"], p["firm_a_label"], p["firm_b_label"], p["firm_a"], p["firm_b"]))
    return out[:top] if top else out


def matchmaking(
    ctx: AnalysisContext,
    chain: str | None = None,
    *,
    top: int = 20,
    method: str = "resource_allocation",
) -> dict:
    """Supply–demand matches among local firms of ``chain`` (default ``ctx.focus_chains``).

    Parameters
    ----------
    ctx : AnalysisContext
    chain : str, optional
        Chain IRI or name.
    top : int
        Keep the ``top`` best predicted links (0: all).  Rule-based pairs are all returned.
    method : {"resource_allocation", "adamic_adar", "jaccard"}
        NetworkX link-prediction index.

    Returns
    -------
    dict
        ``park``, ``park_label``, ``scope``, ``chains``, ``method``, ``stated`` (see
        :func:`stated_ties`), ``pairs`` (see :func:`supply_pairs`), ``predicted`` (see
        :func:`predict_links`).
    """
    chains = [resolve_chain(ctx, chain)] if chain else list(ctx.focus_chains)
    return {
        "park": ctx.park,
        "park_label": ctx.park_label,
        "scope": ctx.scope,
        "chains": chains,
        "method": method,
        "stated": stated_ties(ctx),
        "pairs": supply_pairs(ctx, chains),
        "predicted": predict_links(ctx, chains, method=method, top=top),
    }
