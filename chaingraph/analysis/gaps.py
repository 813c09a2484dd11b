"""Missing, broken and weak links (缺链、断链、弱链) with a documented priority score.

:func:`find_gaps` returns one row per segment that needs action, most urgent first.  Only
segments whose status rests on evidence are rows (statuses and their evidence rules:
:mod:`chaingraph.analysis.status`); 未见记录 (no record) and 在建/签约 segments are listed apart by
:func:`unrecorded` and never ranked among the lacks unless ``unrecorded=True`` is asked for.

Kinds (``kind``), for the focal park(s) — "present" means status 强, 具备 or 薄弱; "within N
steps" follows ``feeds`` edges, N = ``demand_depth``:

* **断链** (broken) — 缺失, with a present segment upstream (it feeds this one, within N steps)
  *and* a present segment downstream (this one feeds it, within N steps);
* **补链** (fill) — 缺失, with a present segment downstream only (local demand), or with no
  present segment around it (the source asks to fill it);
* **延链** (extend) — 缺失, with a present segment upstream only: a downstream extension;
* **强链** (strengthen) — 薄弱; or 强 and a planning statement in scope asks to strengthen or fill
  it (``recruit.mode == "partners"``: recruit up- and downstream partners of the leader, not
  competitors); or 具备 with at most one known firm and such a statement (``"peers"``);
* **未见记录** — only with ``unrecorded=True``: no record, next to a present segment.

Each row explains itself in Chinese: ``status_explanation`` (why this status, the quotes it rests
on, what data is missing; for a 强链 row of a present segment also the plan's words that make it
a gap, ``gap_basis``), ``status_brief`` (the same, short), ``recruit`` and ``explanation``
(the whole row).

Demand (``demand``): the named local firms in the segments this one feeds within N steps
(sub-segments included), each with the segment and distance; the segment's own firms excluded.

Priority score: each component has a raw value, a value normalised to [0, 1] and a weight::

    priority = Σ_c weight_c · norm_c / Σ_c weight_c          (rounded to 4 decimals)

====================  =======================================  ==============================
component             raw                                      normalised
====================  =======================================  ==============================
``severity``          the kind                                 断链 1.0, 补链 0.8, 强链 0.6, 延链 0.4, 未见记录 0.2
``local_demand``      number of distinct demand firms ``d``    ``d / (d + 1)``
``leader_demand``     chain leaders among the demand firms     ``min(raw, 1)``
``betweenness``       betweenness centrality in the chain DAG  ``raw / max`` over the chain
``reach``             segments downstream (descendants)        ``raw / (chain size − 1)``
``candidates``        firms outside the focal park(s) in it    ``c / (c + 1)``
``planning``          largest weight of the planning           ``min(raw, 1)``
                      statements naming it: 1 in scope, 0.25
                      for a city statement meant for another
                      park (at park scope)
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
[('电镀', '缺失', '断链', 0.65)]
>>> [(r["label"], r["kind"]) for r in find_gaps(ctx, unrecorded=True)]
[('电镀', '断链'), ('金属材料', '未见记录'), ('回收', '未见记录')]
>>> rows = find_gaps(ctx, without=["https://w3id.org/chaingraph/id/company/b", "https://w3id.org/chaingraph/id/company/c"])
>>> [(r["label"], r["kind"], r["new"], r["status_reason"]) for r in rows]
[('冲压', '补链', True, '假设冲压甲、冲压乙迁出后，本地无已知企业'), ('电镀', '补链', False, '来源表述缺乏或需引进')]
"""

from __future__ import annotations

from typing import Iterable, Mapping

import networkx as nx

from chaingraph.analysis.context import AnalysisContext, resolve_chain
from chaingraph.analysis.status import (
    BUILDING, KIND_INFO, NO_RECORD, chain_coverage, cite, excerpt, explain_gap, legend, park_coverage, planning_weight,
    segment_statuses, status_fields, supporting_rate,
)
from chaingraph.analysis.weights import merge_weights
from chaingraph.errors import ChaingraphError

KINDS = ("断链", "补链", "强链", "延链")

#: Normalised ``severity`` component per gap kind.
KIND_SEVERITY = {"断链": 1.0, "补链": 0.8, "强链": 0.6, "延链": 0.4, "未见记录": 0.2}
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
        "planning": min(float(planning), 1.0),
    }
    return {k: {"raw": raw[k], "normalised": round(float(norm[k]), 4), "weight": weights[k]} for k in DEFAULT_WEIGHTS}


def _priority(components: dict[str, dict]) -> float:
    total = sum(c["weight"] for c in components.values())
    if not total:
        return 0.0
    return round(sum(c["weight"] * c["normalised"] for c in components.values()) / total, 4)


def _planning_for(ctx: AnalysisContext, seg: str) -> list[dict]:
    out = []
    for p in ctx.planning:
        if seg not in p["segments"]:
            continue
        weight, note = planning_weight(ctx, p)
        host = p.get("host_park")
        out.append(
            {
                "fact": p["fact"],
                "intent": p["intent_label"],
                "topic": p["topic"],
                "source_title": p["source_title"],
                "quote": p["quote"],
                "scope": p.get("scope"),
                "host_park": host,
                "host_park_label": ctx.park_info.get(host, {}).get("label") if host else None,
                "weight": weight,
                "scope_note": note,
            }
        )
    return out


def _kind(info: dict, up_present, down_present, planning: list[dict], with_unrecorded: bool = False) -> str | None:
    """The gap kind of a segment, or None when it is not a gap row (see the module docstring)."""
    status = info["status"]
    if status == NO_RECORD:
        return "未见记录" if with_unrecorded and (up_present or down_present) else None
    if status == "缺失":
        if up_present and down_present:
            return "断链"
        if down_present:
            return "补链"
        if up_present:
            return "延链"
        return "补链"  # an evidenced lack with nothing local around it: the plan asks to fill it
    if status == "薄弱":
        return "强链"
    wants = bool(wanting(planning))
    if status == "强" and wants:
        return "强链"
    known = len(info["local_firms"]) + len(info.get("same_activity_firms", ()))
    if status == "具备" and wants and max(known, info["reported_count"] or 0) <= 1:
        return "强链"
    return None


def wanting(planning: list[dict]) -> list[dict]:
    """The planning statements (of :func:`_planning_for`) in scope that ask to strengthen or fill
    a segment: what makes a 强 or 具备 segment a 强链 row."""
    return [p for p in planning if p["weight"] >= 1.0 and p["intent"] in ("强链", "补链")]


def _gap_basis(info: dict, kind: str, planning: list[dict], label: str) -> tuple[str, str]:
    """(sentence, short form) saying why a present, not weak segment is a gap row at all: the
    plan's words asking to strengthen or fill it (its status alone claims no need), the park's
    own plan first, then those naming the segment; empty otherwise (a 缺失 or 薄弱 status
    already quotes the lack)."""
    if kind != "强链" or info["status"] not in ("强", "具备"):
        return "", ""
    plans = sorted(wanting(planning), key=lambda p: (p.get("scope") != "park", label not in (p["quote"] or "")))
    full = "；".join(f"{p['scope_note']}要求{p['intent']}" + cite(p) for p in plans)
    first = plans[0]
    q = first["quote"] or ""
    short = f"{first['scope_note']}要求{first['intent']}" + (f"“{excerpt(q, [label])}”" if q else "")
    return f"列为强链的依据：{full}", f"列为强链：{short}"


def _recruit(ctx: AnalysisContext, seg: str, info: dict, kind: str) -> dict:
    """What to recruit for a gap row: the segment's own firms, or partners up/downstream of a leader."""
    label = ctx.segment_label(seg)
    if kind == "强链" and info["status"] == "强":
        order = lambda t: (ctx.dag.nodes[t]["stage_order"], t)  # noqa: E731
        partners = sorted(set(ctx.dag.predecessors(seg)) - {seg}, key=order) + sorted(set(ctx.dag.successors(seg)) - {seg}, key=order)
        names = [ctx.segment_label(t) for t in partners]
        return {
            "mode": "partners",
            "segments": partners,
            "text": f"龙头环节：招引上下游配套伙伴（{'、'.join(names[:6]) or '模板未列上下游'}），不招同环节竞争者",
        }
    return {"mode": "peers", "segments": [seg], "text": f"招引「{label}」环节企业"}


def _rows(ctx: AnalysisContext, chains: list[str], weights: dict[str, float], depth: int,
          listed: int = CANDIDATES_LISTED, only: frozenset[str] | None = None,
          with_unrecorded: bool = False) -> list[dict]:
    sf = ctx.segment_firms()
    st = segment_statuses(ctx, sf)
    coverage = {c: chain_coverage(ctx, c, sf) for c in chains}
    gaps = _gap_segments(ctx, chains, st, depth, only, with_unrecorded)
    # candidates (firms outside the focal parks) of the gap segments: counted, a few named
    cand = ctx.outside_counts((g["segment"] for g in gaps), listed=listed)
    ctx.source.prefetch_labels({f for _, head in cand.values() for f in head})
    metrics = {chain: _chain_metrics(ctx, chain) for chain in dict.fromkeys(g["chain"] for g in gaps)}
    rows = [_row(ctx, g, sf, weights, metrics[g["chain"]][g["segment"]], cand.get(g["segment"], (0, [])),
                 coverage[g["chain"]]) for g in gaps]
    rows.sort(key=lambda r: (-r["priority"], r["stage_order"], r["segment"]))
    return rows


def _gap_segments(ctx: AnalysisContext, chains: list[str], st: dict[str, dict], depth: int,
                  only: frozenset[str] | None, with_unrecorded: bool) -> list[dict]:
    """The segments of ``chains`` that are gap rows, each ``{chain, segment, info (status),
    kind, up_present, down_present ([(distance, segment)]), planning}``."""
    gaps = []
    for chain in chains:
        for seg in ctx.chain_segments(chain):
            if only is not None and seg not in only:
                continue
            info = st[seg]
            if info["status"] == BUILDING or (info["status"] == NO_RECORD and not with_unrecorded):
                continue
            down = _within(ctx.dag, seg, depth, forward=True)
            up = _within(ctx.dag, seg, depth, forward=False)
            down_present = sorted((d, t) for t, d in down.items() if st[t]["present"])
            up_present = sorted((d, t) for t, d in up.items() if st[t]["present"])
            planning = _planning_for(ctx, seg)
            kind = _kind(info, up_present, down_present, planning, with_unrecorded)
            if kind is not None:
                gaps.append({"chain": chain, "segment": seg, "info": info, "kind": kind, "up_present": up_present,
                             "down_present": down_present, "planning": planning})
    return gaps


def _demand(ctx: AnalysisContext, sf: dict[str, list[str]], own: set[str], down_present) -> list[dict]:
    """The named local firms of the present segments downstream (nearest first), each once,
    the segment's own firms left out."""
    demand, seen = [], set()
    for d, t in down_present:
        for f in sf[t]:
            if f in own or f in seen:
                continue
            seen.add(f)
            demand.append({"firm": f, "label": ctx.firm_label(f), "segment": t, "segment_label": ctx.segment_label(t),
                           "distance": d, "leader": f in ctx.leaders})
    return demand


def _row(ctx: AnalysisContext, gap: dict, sf: dict[str, list[str]], weights: dict[str, float], metrics: tuple,
         candidates: tuple[int, list[str]], coverage: dict) -> dict:
    """The gap row of one segment (keys in :func:`find_gaps`; ``new``/``baseline_status`` added there)."""
    seg, info, kind, planning = gap["segment"], gap["info"], gap["kind"], gap["planning"]
    demand = _demand(ctx, sf, {*info["local_firms"], *info.get("same_activity_firms", ())}, gap["down_present"])
    leaders = [x["firm"] for x in demand if x["leader"]]
    n_candidates, named = candidates
    plan_weight = max((p["weight"] for p in planning), default=0.0)
    comps = _components(weights, kind, {x["firm"] for x in demand}, leaders, metrics, n_candidates, plan_weight)
    node = ctx.dag.nodes[seg]
    row = {
        "segment": seg,
        "label": node["label"],
        "chain": node["chain"],
        "chain_label": node["chain_label"],
        "stage": node["stage"],
        "stage_order": node["stage_order"],
        **status_fields(info),
        "kind": kind,
        "kind_meaning": KIND_INFO[kind]["zh"],
        "recruit": _recruit(ctx, seg, info, kind),
        "priority": _priority(comps),
        "components": comps,
        "demand": demand,
        "demand_firms": [x["label"] for x in demand],
        "upstream_present": [ctx.segment_label(t) for _, t in gap["up_present"]],
        "downstream_present": [ctx.segment_label(t) for _, t in gap["down_present"]],
        "candidates_available": n_candidates,
        "candidates": [ctx.firm_label(f) for f in named],
        "planning": planning,
        "local_firms": [ctx.firm_label(f) for f in info["local_firms"]],
        "local_firm_iris": list(info["local_firms"]),
        "reported_count": info["reported_count"],
        "leader_expected": bool(node.get("leader_expected")),
        "coverage": coverage,
    }
    # a 强链 row of a present segment rests on the plan, not on its status: say so where the
    # status is quoted (tables, report, Excel), with the plan's words
    basis, short = _gap_basis(info, kind, planning, node["label"])
    row["gap_basis"] = basis or None
    if basis:
        row["status_explanation"] = f"{row['status_explanation']}；{basis}"
        row["status_brief"] = f"{row['status_brief']}；{short}"
    row["explanation"] = explain_gap(row)
    return row


def unrecorded(ctx: AnalysisContext, chain: str | None = None, statuses: dict[str, dict] | None = None) -> list[dict]:
    """Segments with status 未见记录 or 在建/签约, upstream first: listed apart from the gaps.

    Each: ``{segment, label, chain, chain_label, stage, status, status_reason,
    status_explanation, missing_data, planning}`` (the planning statements naming it, none of
    which states a lack in scope: e.g. 延链 wishes, or a statement meant for another park).
    """
    chains = [resolve_chain(ctx, chain)] if chain else list(ctx.focus_chains)
    st = segment_statuses(ctx) if statuses is None else statuses
    out = []
    for c in chains:
        for seg in ctx.chain_segments(c):
            info = st[seg]
            if info["status"] not in (NO_RECORD, BUILDING):
                continue
            node = ctx.dag.nodes[seg]
            out.append(
                {
                    "segment": seg,
                    "label": node["label"],
                    "chain": node["chain"],
                    "chain_label": node["chain_label"],
                    "stage": node["stage"],
                    "status": info["status"],
                    "status_reason": info["reason"],
                    "status_explanation": info["explanation"],
                    "status_brief": info["brief"],
                    "missing_data": info["missing"],
                    "planning": _planning_for(ctx, seg),
                }
            )
    return out


def find_gaps(
    ctx: AnalysisContext,
    *,
    chain: str | None = None,
    without: Iterable[str] = (),
    weights: Mapping[str, float] | None = None,
    demand_depth: int = 2,
    candidates_listed: int = CANDIDATES_LISTED,
    segments: Iterable[str] | None = None,
    unrecorded: bool = False,
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
    unrecorded : bool
        Also return 未见记录 segments next to a present one (kind ``未见记录``, severity 0.2), for
        callers that rank candidates everywhere (``targets``); off by default: no record is not
        a lack.

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
        ``gap_basis`` (for a 强链 row of a 强 or 具备 segment: the plan's words asking to
        strengthen it, also added to ``status_explanation`` and ``status_brief``; else None),
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
    rows = _rows(scenario, chains, w, demand_depth, candidates_listed, only, unrecorded)
    if without:
        base_status = segment_statuses(ctx)
        base_rows = {r["segment"] for r in _rows(ctx, chains, w, demand_depth, candidates_listed, only, unrecorded)}
    else:
        base_status, base_rows = None, None
    for r in rows:
        r["new"] = bool(without) and r["segment"] not in base_rows
        r["baseline_status"] = base_status[r["segment"]]["status"] if base_status else r["status"]
    return rows


def gap_report(ctx: AnalysisContext, **kwargs) -> dict:
    """:func:`find_gaps` plus what the JSON output needs: weights, supporting rates, scenario.

    Returns ``{park, park_label, scope, parks, without, weights, demand_depth,
    supporting_rate: [per chain], rows, unrecorded, coverage, park_coverage, legend}``;
    supporting rates (配套环节覆盖率) are of the scenario (after ``without``) and, under
    ``baseline_supporting_rate``, before it; ``unrecorded`` lists the 未见记录 and 在建/签约
    segments apart from the gap rows (:func:`unrecorded`); ``coverage`` is
    :func:`~chaingraph.analysis.status.chain_coverage` per chain, ``park_coverage``
    :func:`~chaingraph.analysis.status.park_coverage`, ``legend`` the status words with their
    meaning (:func:`~chaingraph.analysis.status.legend`).

    Examples
    --------
    >>> from chaingraph.analysis.context import build_context, example_graph
    >>> rep = gap_report(build_context(example_graph(), park="示范园"), weights={"planning": 0})
    >>> rep["weights"]["planning"], rep["supporting_rate"][0]["rate"], len(rep["rows"])
    (0.0, 0.3333, 1)
    >>> [(u["label"], u["status"]) for u in rep["unrecorded"]]
    [('金属材料', '未见记录'), ('回收', '未见记录')]
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
        "unrecorded": [r for c in chains for r in unrecorded(scenario, c)],
        "coverage": [chain_coverage(scenario, c) for c in chains],
        "park_coverage": park_coverage(scenario),
        "legend": legend(),
        "kinds": {k: v["zh"] for k, v in KIND_INFO.items()},
    }
