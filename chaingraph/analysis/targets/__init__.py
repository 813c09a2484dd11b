"""Rank real firms to recruit into each gap, and explain every rank (招商目标).

Candidates are firms outside the focal park(s) (``ctx.local_firms`` excluded, and any firm
whose full name, short name or alias equals a local firm's after
:func:`chaingraph.lookup.name_key`, so across scripts) that sit in a gap segment found by
:func:`chaingraph.analysis.gaps.find_gaps`.

Score
-----
Each component is a value in [0, 1], or **unknown** (no evidence).  An unknown component takes
its documented **neutral prior** (:data:`PRIORS`), so evidence can only lift a firm above the
prior or push it below; a firm with no evidence never outranks one with good evidence::

    score = Σ_c w_c · v_c / Σ_c w_c,   v_c = the value, or PRIORS[c] when unknown   (4 decimals)

``coverage`` = Σ_known w / Σ w shows how much of the score rests on evidence.  The score of a
firm for a segment depends on that firm and segment alone (gap priority is the segment's own
priority, not normalised over the segments listed), so the report, the Excel list and
``targets`` show the same number.  Components:

=================  ==========================================================================
``gap_priority``   the gap's ``priority`` from find_gaps (already in [0, 1]); 0 when the
                   segment is not a gap.  Always known.
``product_fit``    best segment link of the firm: basis (明确产品 1.0, 明确环节 0.8, 群体表述 0.7,
                   行业代码 0.6, 经营范围/占位占比 0.4, 名称推断 0.4) × confidence (0.4 for suspected
                   stale lines) × share (√min(1, share/0.5): 2% → 0.2, 18% → 0.6, 50% → 1; 0.6 when not stated,
                   at most 0.6 when the firm reports the same share under another name: cg:sameRevenueLineAs) ×
                   match strength (exact 1.0, the product's head noun 0.8-1.0, a passing mention
                   0.3-0.7; × 0.6 for a process/form match such as 压铸件 for 电机外壳; 0.7 when the
                   product is not named).  A product that contains one of the segment's exclude
                   terms is a look-alike and does not count.  Prior 0.2.
``proximity``      ties to local firms (and the park's own visits) over supply, referral,
                   relocation-origin and visit edges, undirected, up to 3 steps: each tie source
                   at distance d contributes ``0.5**(d-1)``; ``v = 0.5 + 0.5·(1 − Π(1 − c))``.
                   Prior 0.25 (no known tie: not a cold lead for sure, not a warm one either).
``strategic_fit``  graded by :func:`region_grade`: 粤港澳大湾区 / 长三角 / 湘商 1.0, elsewhere in
                   Hunan 0.9, neighbours (粤北, 郴州, 桂东北) 0.8, Guangdong with the city unknown
                   0.6, any other known place 0.2.  Prior 0.4 (place unknown).
``tier``           best tier: 世界500强 1.0, 中国500强/链主 0.9, 小巨人 0.8, 上市 0.7,
                   专精特新 0.6, 高新技术 0.5, 规上 0.3.  Prior 0.3.
``contacted``      1.0 when the focal park already visited the firm, or holds a lead or project
                   with it at stage 已考察 / 已签约 (a warm lead).  Prior 0.0:
                   no record of a visit is not a record of no contact, it just earns nothing.
=================  ==========================================================================

Candidates already in the park's city (the province, for ``scope="city"``) are not new
recruits: they are listed apart as ``local_rows`` (本地企业增资扩产 / 市内协作), scored alike.

Weights: :data:`DEFAULT_WEIGHTS`, overridable per component (``weights=`` or a JSON/TOML file
via :func:`load_weights`); the result echoes the weights used.

Introducers (以商引商): the local firms reached by the shortest tie paths, nearest first, each
with the path and the evidence of every edge.

Only the rows kept are worked out in full: firms are taken best possible score first and tie
paths are searched only while a firm can still enter the top rows (:mod:`.ranking`,
:mod:`chaingraph.analysis.ties`); a segment with more than :data:`SERVER_RANK_MIN` candidates on
a SPARQL store is ranked by the store from score bounds (:mod:`.bounds`).  Either way the rows
and ranks are those of the full ranking.

The steps, one module each: :mod:`.candidates` (which segments and firms), :mod:`.scoring`
(weights, priors, product fit, the formula), :mod:`.regions` (places and strategic fit),
:mod:`.introducers` (tie graph and paths), :mod:`.ranking` (one segment ranked),
:mod:`.explain` (rules, 推荐理由 and messages in Chinese), :mod:`.bounds` (the store's ranking).

Examples
--------
>>> from chaingraph.analysis.context import build_context, example_graph
>>> ctx = build_context(example_graph(), park="示范园")
>>> res = rank_targets(ctx)
>>> [(r["segment_label"], r["name"], r["score"]) for r in res["rows"]]
[('电镀', '远方电镀', 0.3225), ('金属材料', '邻园金属', 0.3088)]
>>> res["rows"][0]["components"]["proximity"]["known"]
False
"""


from __future__ import annotations

from typing import Iterable, Mapping

from chaingraph.analysis import snapshot
from chaingraph.analysis.gaps import find_gaps
from chaingraph.analysis.source import query_target_facts
from chaingraph.analysis.targets import bounds
from chaingraph.analysis.targets.candidates import Candidates, Plan, local_name_index, plan_segments, warm_leads
from chaingraph.analysis.targets.explain import GROUP_LOCAL, GROUP_RECRUIT, RULES, notices, product_text, why
from chaingraph.analysis.targets.introducers import tie_graph
from chaingraph.analysis.targets.ranking import Ranker, SegmentResult, gap_value
from chaingraph.analysis.targets.regions import (HUNAN, TARGET_REGIONS, good_places, home_area, region_grade,
                                                 resolve_regions)
from chaingraph.analysis.targets.scoring import (BASIS_FACTOR, COMPONENT_LABELS, DEFAULT_WEIGHTS, GRADE_GUANGDONG,
                                                 GRADE_HUNAN, GRADE_NEIGHBOUR, GRADE_OTHER, GRADE_TARGET, PRIORS,
                                                 SHARE_FULL, SHARE_UNSTATED, STRENGTH_UNNAMED, TIER_SCORE, WEAK_FIT,
                                                 load_weights, resolve_weights)
from chaingraph.analysis.ties import MAX_DEPTH, TIE_KINDS, TieGraph, from_edges
from chaingraph.store import background_executor

__all__ = [  # the public names callers import from here
    "BASIS_FACTOR", "COMPONENT_LABELS", "DEFAULT_WEIGHTS", "GRADE_GUANGDONG", "GRADE_HUNAN", "GRADE_NEIGHBOUR",
    "GRADE_OTHER", "GRADE_TARGET", "GROUP_LOCAL", "GROUP_RECRUIT", "HUNAN", "MAX_DEPTH", "PRIORS", "RULES",
    "SERVER_RANK_MIN", "SHARE_FULL", "SHARE_UNSTATED", "STRENGTH_UNNAMED", "TARGET_REGIONS", "TIE_KINDS", "TIER_SCORE",
    "WEAK_FIT", "TieGraph", "from_edges", "home_area", "load_weights", "local_name_index", "notices", "product_text",
    "rank_targets", "region_grade", "resolve_regions", "resolve_weights", "target_facts", "tie_graph", "warm_leads",
    "why",
]

SERVER_RANK_MIN = 5000
"""A segment with more candidates than this, on a SPARQL store (not the embedded snapshot), is
ranked by the store (:mod:`chaingraph.analysis.targets.bounds`): only the firms that can reach
the top rows are transferred.  ``excluded_local`` then lists the name matches met on the way,
and a segment's ``candidates`` counts them before the name and region filters."""


def target_facts(graph, segments: Iterable[str] | None = None) -> dict:
    """Segment-link details and place hierarchy that the firm graph does not carry.

    Returns ``{"links": {(firm, segment): [{product, share, basis, confidence}]},
    "places": {place: {label, ancestors: [...], regions: [...]}}}``.  ``segments`` restricts
    the links to those segments.  An embedded build answers from its analysis snapshot
    (:func:`chaingraph.analysis.snapshot.target_facts`, made once per build by
    :func:`~chaingraph.analysis.source.query_target_facts`); other graphs are queried.
    """
    stored = snapshot.target_facts(graph, segments)
    return stored if stored is not None else query_target_facts(graph, segments)


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
    # over 80 lines with the docstring; the steps below are one screen, each a named function
    w = resolve_weights(weights)
    facts = facts or {"links": {}, "places": {}}
    places = facts.get("places", {})
    wanted = resolve_regions(regions, places) if regions else set()  # a bad region fails before any work
    if gaps is None:
        only = None if segment is None else [segment]
        gaps = find_gaps(ctx, chain=chain, candidates_listed=0, segments=only, unrecorded=True)  # priorities only; 未见记录 segments ranked too, labelled (#14)
    plan = plan_segments(ctx, gaps, chain=chain, segment=segment)
    segs = plan.segments
    # candidates: firms outside the focal park(s) in the segments ranked (fetched for those only;
    # a segment with more than SERVER_RANK_MIN of them on a store is ranked there, see bounds.py)
    counts = {} if ctx.source.in_memory else ctx.outside_counts(segs, listed=0)
    crowded = {s for s, (n, _) in counts.items() if n > SERVER_RANK_MIN}
    on_store = [s for s in segs if s in crowded]
    members = ctx.outside_firms([s for s in segs if s not in on_store])
    home = home_area(ctx, places)
    candidates = Candidates(ctx, places, wanted, home)
    admitted = set(candidates.admit({f for fs in members.values() for f in fs}))
    home_label = places.get(home, {}).get("label") if home else None
    # the store starts ranking its segments now (one at a time, in the background on a server)
    # while the tie graph and the firms with ties are fetched
    executor = background_executor(ctx.source.graph) if on_store else None
    try:
        store_pages = _store_rankings(ctx, plan, on_store, w, places, executor)
        ranker = Ranker(ctx, facts=facts, weights=w, candidates=candidates, ties=tie_graph(ctx, removed_edges),
                        members=members, admitted=admitted, counts=counts, store_pages=store_pages,
                        plan_partners=plan.partners_for, top=top)
        results = [ranker.segment(s, plan.gap_by_seg.get(s), home_label) for s in segs]
    finally:
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
    return {
        **_gather(results),
        "partners_instead": _partners_instead(ctx, plan),
        "excluded_local": sorted(candidates.excluded_local, key=lambda x: x["firm"]),
        "weights": w,
        "rules": dict(RULES),
        "params": {"park": ctx.park, "parks": list(ctx.parks), "scope": ctx.scope, "chain": chain,
                   "segment": segment, "top": top, "regions": sorted(wanted), "home_area": home,
                   "home_label": home_label},
    }


def _store_rankings(ctx, plan: Plan, on_store: list[str], w: dict[str, float], places: dict, executor) -> dict:
    """``{segment: pages}``: the store's ranking of each crowded segment, started now (:mod:`.bounds`)."""
    good = good_places(places) if on_store else set()
    return {s: bounds.ranked_members(ctx.source.graph, ctx.segment_closure([s])[s], executor=executor,
                                     gap_priority=round(gap_value(plan.gap_by_seg.get(s)), 4), weights=w,
                                     good_places=good)
            for s in on_store}


def _gather(results: list[SegmentResult]) -> dict:
    """Rows, local rows, segment summaries and messages of every segment, by chain, gap priority
    and segment (rows by rank within a segment)."""
    summaries = [r.summary for r in results]
    order = {s["segment"]: (s["chain_label"] or "", -(s["priority"] or 0), s["segment"]) for s in summaries}
    rows = sorted((row for r in results for row in r.rows), key=lambda r: (order[r["segment"]], r["rank"]))
    local_rows = sorted((row for r in results for row in r.local_rows), key=lambda r: (order[r["segment"]], r["rank"]))
    return {
        "rows": rows,
        "local_rows": local_rows,
        "segments": sorted(summaries, key=lambda s: order[s["segment"]]),
        "empty": [r.empty for r in results if r.empty],
        "weak_only": [r.weak_only for r in results if r.weak_only],
    }


def _partners_instead(ctx, plan: Plan) -> list[dict]:
    """The leading local firms' segments replaced by their partner segments (强链)."""
    by_leader = {p.leader_segment: p for p in plan.partners_for.values()}
    return [{"segment": s, "label": ctx.dag.nodes[s]["label"], "leaders": p.leaders,
             "leader_labels": [ctx.firm_label(f) for f in p.leaders],
             "partner_segments": sorted(n for n, x in plan.partners_for.items() if x.leader_segment == s)}
            for s, p in by_leader.items()]
