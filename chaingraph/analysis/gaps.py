"""Missing, broken and weak links (缺链、断链、弱链) with a documented priority score.

:func:`find_gaps` returns one row per segment that needs action, most urgent first.

Kinds (``kind``), for the focal park(s) — "present" means status ≠ 缺失 (see
:mod:`chaingraph.analysis.status`); "within N steps" follows ``feeds`` edges, N = ``demand_depth``:

* **断链** (broken) — missing, with a present segment upstream (it feeds this one, within N steps)
  *and* a present segment downstream (this one feeds it, within N steps);
* **补链** (fill) — missing, with a present segment downstream only: local demand exists;
* **延链** (extend) — missing, with a present segment upstream only: a downstream extension;
* **强链** (strengthen) — present but 薄弱.

Missing segments with no present segment within N steps either way are not rows (nothing local
connects to them; they still show as 缺失 in :func:`~chaingraph.analysis.panorama.panorama`).

Demand (``demand``): the named local firms in the segments this one feeds within N steps
(sub-segments included), each with the segment and distance; the segment's own firms excluded.

Priority score: each component has a raw value, a value normalised to [0, 1] and a weight::

    priority = Σ_c weight_c · norm_c / Σ_c weight_c          (rounded to 4 decimals)

====================  =======================================  ==============================
component             raw                                      normalised
====================  =======================================  ==============================
``severity``          the kind                                 断链 1.0, 补链 0.8, 强链 0.6, 延链 0.4
``local_demand``      number of distinct demand firms ``d``    ``d / (d + 1)``
``leader_demand``     chain leaders among the demand firms     ``min(raw, 1)``
``betweenness``       betweenness centrality in the chain DAG  ``raw / max`` over the chain
``reach``             segments downstream (descendants)        ``raw / (chain size − 1)``
``candidates``        firms outside the focal park(s) in it    ``c / (c + 1)``
``planning``          planning statements naming it            ``min(raw, 1)``
====================  =======================================  ==============================

Weights default to :data:`DEFAULT_WEIGHTS` and can be overridden per component; every row
carries its ``components`` so each score explains itself.  Planning statements are shown beside
the computation (``planning``) and enter the score only through the ``planning`` component.

What-if (``without``): the firms leave the focal park(s) (they then count as outside firms, i.e.
as candidates to win back); rows carry ``new`` (the segment was not a gap before) and
``baseline_status``.

Examples
--------
>>> from chaingraph.analysis.context import build_context, example_graph
>>> ctx = build_context(example_graph(), park="示范园")
>>> [(r["label"], r["status"], r["kind"], r["priority"]) for r in find_gaps(ctx)]
[('电镀', '缺失', '断链', 0.65), ('金属材料', '缺失', '补链', 0.635), ('整机', '薄弱', '强链', 0.245), ('回收', '缺失', '延链', 0.08)]
>>> rows = find_gaps(ctx, without=["https://w3id.org/chaingraph/id/company/b", "https://w3id.org/chaingraph/id/company/c"])
>>> [(r["label"], r["kind"], r["new"]) for r in rows]
[('冲压', '补链', True), ('电镀', '补链', False), ('金属材料', '补链', False), ('整机', '强链', False), ('回收', '延链', False)]
"""

from __future__ import annotations

from typing import Iterable, Mapping

import networkx as nx

from chaingraph.analysis.context import AnalysisContext, resolve_chain
from chaingraph.analysis.status import segment_statuses, supporting_rate
from chaingraph.analysis.weights import merge_weights
from chaingraph.errors import ChaingraphError

KINDS = ("断链", "补链", "强链", "延链")

#: Normalised ``severity`` component per gap kind.
KIND_SEVERITY = {"断链": 1.0, "补链": 0.8, "强链": 0.6, "延链": 0.4}
CANDIDATES_LISTED = 20
"""Candidate names a gap row lists (``candidates``); ``candidates_available`` counts them all,
and ``chaingraph targets`` ranks them (a pool may hold thousands per segment)."""

#: Default weight of each priority component (see the module docstring for the formula).
DEFAULT_WEIGHTS: dict[str, float] = {
    "severity": 2.0,
    "local_demand": 3.0,
    "leader_demand": 1.0,
    "betweenness": 1.0,
    "reach": 1.0,
    "candidates": 1.0,
    "planning": 1.0,
}


def resolve_weights(weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """:data:`DEFAULT_WEIGHTS` updated with ``weights``; unknown names or negative values raise.

    Examples
    --------
    >>> resolve_weights({"planning": 0})["planning"]
    0.0
    """
    return merge_weights(DEFAULT_WEIGHTS, weights)


def _within(dag: nx.DiGraph, seg: str, depth: int, forward: bool) -> dict[str, int]:
    """Segments reachable from ``seg`` in at most ``depth`` steps (same chain), with distance."""
    g = dag if forward else dag.reverse(copy=False)
    dist = nx.single_source_shortest_path_length(g, seg, cutoff=depth)
    chain = dag.nodes[seg]["chain"]
    return {t: d for t, d in dist.items() if t != seg and dag.nodes[t]["chain"] == chain}


def _chain_metrics(ctx: AnalysisContext, chain: str) -> dict[str, tuple[float, float, int, int]]:
    """``{segment: (betweenness, max betweenness, descendants, chain size)}``."""
    segs = ctx.chain_segments(chain)
    sub = ctx.dag.subgraph(segs)
    bc = nx.betweenness_centrality(sub, normalized=True)
    mx = max(bc.values(), default=0.0)
    return {s: (bc[s], mx, len(nx.descendants(sub, s)), len(segs)) for s in segs}


def _components(weights, kind, demand_firms, leaders, metrics, candidates, planning) -> dict[str, dict]:
    bc, mx, desc, size = metrics
    raw = {
        "severity": kind,
        "local_demand": len(demand_firms),
        "leader_demand": len(leaders),
        "betweenness": round(bc, 4),
        "reach": desc,
        "candidates": candidates,
        "planning": planning,
    }
    norm = {
        "severity": KIND_SEVERITY[kind],
        "local_demand": len(demand_firms) / (len(demand_firms) + 1),
        "leader_demand": min(len(leaders), 1),
        "betweenness": bc / mx if mx else 0.0,
        "reach": desc / (size - 1) if size > 1 else 0.0,
        "candidates": candidates / (candidates + 1),
        "planning": min(planning, 1),
    }
    return {k: {"raw": raw[k], "normalised": round(float(norm[k]), 4), "weight": weights[k]} for k in DEFAULT_WEIGHTS}


def _priority(components: dict[str, dict]) -> float:
    total = sum(c["weight"] for c in components.values())
    if not total:
        return 0.0
    return round(sum(c["weight"] * c["normalised"] for c in components.values()) / total, 4)


def _planning_for(ctx: AnalysisContext, seg: str) -> list[dict]:
    return [
        {
            "fact": p["fact"],
            "intent": p["intent_label"],
            "topic": p["topic"],
            "source_title": p["source_title"],
            "quote": p["quote"],
        }
        for p in ctx.planning
        if seg in p["segments"]
    ]


def _rows(ctx: AnalysisContext, chains: list[str], weights: dict[str, float], depth: int,
          listed: int = CANDIDATES_LISTED, only: frozenset[str] | None = None) -> list[dict]:
    sf = ctx.segment_firms()
    st = segment_statuses(ctx, sf)
    rows = []
    gaps: list[tuple] = []
    for chain in chains:
        for seg in ctx.chain_segments(chain):
            if only is not None and seg not in only:
                continue
            info = st[seg]
            down = _within(ctx.dag, seg, depth, forward=True)
            up = _within(ctx.dag, seg, depth, forward=False)
            down_present = sorted((d, t) for t, d in down.items() if st[t]["present"])
            up_present = sorted((d, t) for t, d in up.items() if st[t]["present"])
            if info["status"] == "薄弱":
                kind = "强链"
            elif info["status"] == "缺失":
                if up_present and down_present:
                    kind = "断链"
                elif down_present:
                    kind = "补链"
                elif up_present:
                    kind = "延链"
                else:
                    continue
            else:
                continue
            gaps.append((chain, seg, info, kind, up_present, down_present))
    # candidates (firms outside the focal parks) of the gap segments: counted, a few named
    cand = ctx.outside_counts((seg for _, seg, *_ in gaps), listed=listed)
    ctx.source.prefetch_labels({f for _, head in cand.values() for f in head})
    metrics_by_chain = {chain: _chain_metrics(ctx, chain) for chain in dict.fromkeys(c for c, *_ in gaps)}
    for chain, seg, info, kind, up_present, down_present in gaps:
        metrics = metrics_by_chain[chain]
        own = set(info["local_firms"])
        demand, seen = [], set()
        for d, t in down_present:
            for f in sf[t]:
                if f in own or f in seen:
                    continue
                seen.add(f)
                demand.append(
                    {
                        "firm": f,
                        "label": ctx.firm_label(f),
                        "segment": t,
                        "segment_label": ctx.segment_label(t),
                        "distance": d,
                        "leader": f in ctx.leaders,
                    }
                )
        leaders = [x["firm"] for x in demand if x["leader"]]
        planning = _planning_for(ctx, seg)
        n_candidates, candidates = cand.get(seg, (0, []))
        comps = _components(weights, kind, seen, leaders, metrics[seg], n_candidates, len(planning))
        node = ctx.dag.nodes[seg]
        row = {
            "segment": seg,
            "label": node["label"],
            "chain": node["chain"],
            "chain_label": node["chain_label"],
            "stage": node["stage"],
            "stage_order": node["stage_order"],
            "status": info["status"],
            "status_reason": info["reason"],
            "kind": kind,
            "priority": _priority(comps),
            "components": comps,
            "demand": demand,
            "demand_firms": [x["label"] for x in demand],
            "upstream_present": [ctx.segment_label(t) for _, t in up_present],
            "downstream_present": [ctx.segment_label(t) for _, t in down_present],
            "candidates_available": n_candidates,
            "candidates": [ctx.firm_label(f) for f in candidates],
            "planning": planning,
            "local_firms": [ctx.firm_label(f) for f in info["local_firms"]],
            "local_firm_iris": list(info["local_firms"]),
            "reported_count": info["reported_count"],
            "leader_expected": bool(node.get("leader_expected")),
        }
        row["explanation"] = _explain(row)
        rows.append(row)
    rows.sort(key=lambda r: (-r["priority"], r["stage_order"], r["segment"]))
    return rows


def _explain(row: dict) -> str:
    parts = [f"{row['kind']}：{row['status_reason']}"]
    if row["demand"]:
        need = "、".join(f"{d['label']}（{d['segment_label']}）" for d in row["demand"][:6])
        more = f"等{len(row['demand'])}家" if len(row["demand"]) > 6 else ""
        parts.append(f"本地需求：{need}{more}")
    elif row["downstream_present"]:
        parts.append(f"下游已有：{'、'.join(row['downstream_present'])}")
    if row["upstream_present"] and row["kind"] in ("断链", "延链"):
        parts.append(f"上游已有：{'、'.join(row['upstream_present'])}")
    if row["candidates_available"]:
        parts.append(f"图谱中园区外候选{row['candidates_available']}家")
    if row["planning"]:
        parts.append(f"规划提及{len(row['planning'])}处")
    return "；".join(parts)


def find_gaps(
    ctx: AnalysisContext,
    *,
    chain: str | None = None,
    without: Iterable[str] = (),
    weights: Mapping[str, float] | None = None,
    demand_depth: int = 2,
    candidates_listed: int = CANDIDATES_LISTED,
    segments: Iterable[str] | None = None,
) -> list[dict]:
    """Segments needing action (补链/断链/延链/强链), most urgent first.

    Parameters
    ----------
    ctx : AnalysisContext
        From :func:`~chaingraph.analysis.context.build_context`.
    chain : str, optional
        Chain IRI or name; default ``ctx.focus_chains`` (the park's assigned chains).
    without : iterable of str
        Firm IRIs that leave the focal park(s) (what-if).  Rows then carry ``new`` and
        ``baseline_status``.
    weights : mapping, optional
        Overrides of :data:`DEFAULT_WEIGHTS`.
    demand_depth : int
        How many ``feeds`` steps count as local demand (and as "between" for 断链).
    candidates_listed : int
        Outside candidates named per row (all are counted; 0 when only priorities are needed).
    segments : iterable of str, optional
        Only these segment IRIs (a row's priority does not depend on the other segments, so
        ranking one segment does not count the candidates of every gap).

    Returns
    -------
    list of dict
        Keys: ``segment``, ``label``, ``chain``, ``chain_label``, ``stage``, ``stage_order``,
        ``status``, ``status_reason``, ``kind``, ``priority``, ``components`` (``{name: {raw,
        normalised, weight}}``), ``demand`` (``[{firm, label, segment, segment_label,
        distance, leader}]``), ``demand_firms`` (names), ``upstream_present``,
        ``downstream_present``, ``candidates_available``, ``candidates`` (names), ``planning``
        (``[{fact, intent, topic, source_title, quote}]``), ``local_firms`` (names),
        ``local_firm_iris``, ``reported_count``, ``leader_expected``, ``explanation``,
        ``new``, ``baseline_status``.  Sorted by priority (desc), stage, segment IRI.

    Examples
    --------
    >>> from chaingraph.analysis.context import build_context, example_graph
    >>> row = find_gaps(build_context(example_graph(), park="示范园"))[0]
    >>> row["label"], row["demand_firms"], row["candidates"], row["planning"][0]["quote"]
    ('电镀', ['整机链主'], ['远方电镀'], '补齐电镀环节')
    >>> {k: v["normalised"] for k, v in row["components"].items()}
    {'severity': 1.0, 'local_demand': 0.5, 'leader_demand': 1.0, 'betweenness': 0.0, 'reach': 0.5, 'candidates': 0.5, 'planning': 1.0}
    """
    if demand_depth < 1:
        raise ChaingraphError(f"demand depth must be at least 1, got {demand_depth}")
    w = resolve_weights(weights)
    chains = [resolve_chain(ctx, chain)] if chain else list(ctx.focus_chains)
    without = sorted(set(without))
    scenario = ctx.without(without) if without else ctx
    only = None if segments is None else frozenset(segments)
    rows = _rows(scenario, chains, w, demand_depth, candidates_listed, only)
    if without:
        base_status = segment_statuses(ctx)
        base_rows = {r["segment"] for r in _rows(ctx, chains, w, demand_depth, candidates_listed, only)}
    else:
        base_status, base_rows = None, None
    for r in rows:
        r["new"] = bool(without) and r["segment"] not in base_rows
        r["baseline_status"] = base_status[r["segment"]]["status"] if base_status else r["status"]
    return rows


def gap_report(ctx: AnalysisContext, **kwargs) -> dict:
    """:func:`find_gaps` plus what the JSON output needs: weights, supporting rates, scenario.

    Returns ``{park, park_label, scope, parks, without, weights, demand_depth,
    supporting_rate: [per chain], rows}``; supporting rates are of the scenario (after
    ``without``) and, under ``baseline_supporting_rate``, before it.

    Examples
    --------
    >>> from chaingraph.analysis.context import build_context, example_graph
    >>> rep = gap_report(build_context(example_graph(), park="示范园"), weights={"planning": 0})
    >>> rep["weights"]["planning"], rep["supporting_rate"][0]["rate"], len(rep["rows"])
    (0.0, 0.3333, 4)
    """
    rows = find_gaps(ctx, **kwargs)
    chain = kwargs.get("chain")
    chains = [resolve_chain(ctx, chain)] if chain else list(ctx.focus_chains)
    without = sorted(set(kwargs.get("without") or ()))
    scenario = ctx.without(without) if without else ctx
    return {
        "park": ctx.park,
        "park_label": ctx.park_label,
        "scope": ctx.scope,
        "parks": list(ctx.parks),
        "without": [{"firm": f, "label": ctx.firm_label(f)} for f in without],
        "weights": resolve_weights(kwargs.get("weights")),
        "demand_depth": kwargs.get("demand_depth", 2),
        "supporting_rate": [supporting_rate(scenario, c) for c in chains],
        "baseline_supporting_rate": [supporting_rate(ctx, c) for c in chains] if without else None,
        "rows": rows,
    }
