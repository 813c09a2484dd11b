"""The store's score bounds (``chaingraph.analysis.targets.bounds``) follow the Python score.

The bound query is generated from the score's own formula
(:func:`chaingraph.analysis.targets.scoring.weighted_mean`), weights and priors.  These tests
run it on the embedded store of the bundled graph with the shipped candidate pool and check,
firm by firm, that the store's bound is exactly the Python score of the firm's best case (each
component at the largest value Python may give it, worked out here from the firm's summary),
and never below the score Python gives the firm.  The Virtuoso parity tests
(``tests/test_remote_virtuoso.py``) check the rows ranked that way against Python's.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from chaingraph.analysis.context import build_context
from chaingraph.analysis.targets import bounds, rank_targets, target_facts
from chaingraph.analysis.targets.ranking import gap_value
from chaingraph.analysis.targets.regions import good_places
from chaingraph.analysis.targets.scoring import GRADE_OTHER, PRIORS, TIER_SCORE, resolve_weights, weighted_mean
from chaingraph.store import GraphSource, open_graph

pytestmark = pytest.mark.slow  # builds the embedded store of the shipped pool (185k statements)

WEIGHTS = [None, {"gap_priority": 0.13, "product_fit": 0.41, "strategic_fit": 0.27, "tier": 0.09}]


@pytest.fixture(scope="module")
def pooled(tmp_path_factory):
    """(graph, context, target facts, gaps by segment): the bundled graph and the shipped pool."""
    mp = pytest.MonkeyPatch()
    mp.setenv("CHAINGRAPH_HOME", str(tmp_path_factory.mktemp("bounds-home")))
    mp.setenv("CHAINGRAPH_BUNDLED_POOL", "1")
    try:
        graph = open_graph(GraphSource(include_user=False))
        ctx = build_context(graph)
        facts = target_facts(graph)
        full = rank_targets(ctx, top=0, facts=facts)
        yield graph, ctx, facts, full
    finally:
        mp.undo()


def half_up(x: float) -> float:
    """``x`` to 4 decimals as SPARQL's ROUND(10000 * x) does: halves up (Python's ``round``
    goes to the nearest binary value, so 0.59895 may become 0.5989)."""
    return int(Decimal(10000 * x).to_integral_value(ROUND_HALF_UP)) / 10000


def best_case(summary: dict, gap: float, good: set[str], weights: dict) -> tuple[float, float]:
    """The Python score (and coverage, unrounded) of a firm whose every component takes the
    largest value the rules may give it, from what the store holds about it (see bounds.py)."""
    if summary.get("xiangshang"):
        region = 1.0
    elif summary.get("city"):
        region = 1.0 if summary["city"] in good else GRADE_OTHER
    elif summary.get("full_name"):
        region = 1.0
    else:
        region = None
    tiers = [TIER_SCORE[t] for t in summary.get("tier_iris", []) if t in TIER_SCORE]
    values = {"gap_priority": gap, "product_fit": 1.0 if summary.get("products") else None, "proximity": None,
              "strategic_fit": region, "tier": max(tiers) if tiers else None, "contacted": None}
    known = {k: v is not None or k == "gap_priority" for k, v in values.items()}
    # the score's own definition (scoring.score before rounding)
    w = [weights[k] for k in values]
    return (weighted_mean([v if known[k] else PRIORS[k] for k, v in values.items()], w),
            weighted_mean([1.0 if known[k] else 0.0 for k in values], w))


@pytest.mark.parametrize("weights", WEIGHTS)
def test_store_bound_is_the_python_score_of_the_best_case(pooled, weights):
    graph, ctx, facts, full = pooled
    w = resolve_weights(weights)
    good = good_places(facts["places"])
    gaps = {s["segment"]: s for s in full["segments"]}
    segments = sorted(s for s in gaps if gaps[s]["candidates"])
    checked = 0
    for s in segments:
        gap = round(gap_value({"priority": gaps[s]["priority"]} if gaps[s]["kind"] else None), 4)
        pages = list(bounds.ranked_members(graph, ctx.segment_closure([s])[s], page=5000, gap_priority=gap,
                                           weights=w, good_places=good))
        rows = [r for p in pages for r in p]
        summaries = ctx.source.summaries(r["f"] for r in rows)
        for r in rows:
            ub, cov = best_case(summaries[r["f"]], gap, good, w)
            assert (r["ub"], r["cov"]) == (half_up(ub), half_up(cov)), (s, r)
            assert round(ub, 4) <= r["ub"] <= round(ub, 4) + 0.0001
        keys = [(-r["ub"], -r["cov"]) for r in rows]
        assert keys == sorted(keys)  # best bound first
        checked += len(rows)
    assert checked > 1000  # the shipped pool's firms, not a handful


def test_store_bound_is_never_below_the_score(pooled):
    """Every candidate Python ranks without a tie, visit or segment link (those are scored in
    Python before the store's ranking is read) scores at most its bound."""
    graph, ctx, facts, full = pooled
    w = resolve_weights(None)
    good = good_places(facts["places"])
    by_seg: dict[str, list[dict]] = {}
    for r in full["rows"] + full["local_rows"]:
        c = r["components"]
        if not c["proximity"]["known"] and not c["contacted"]["known"] and (r["firm"], r["segment"]) not in facts["links"]:
            by_seg.setdefault(r["segment"], []).append(r)
    compared = 0
    for s, rows in sorted(by_seg.items()):
        gap = round(gap_value({"priority": rows[0]["components"]["gap_priority"]["value"]}), 4)
        ub = {r["f"]: r for p in bounds.ranked_members(graph, ctx.segment_closure([s])[s], page=5000, gap_priority=gap,
                                                      weights=w, good_places=good) for r in p}
        for r in rows:
            assert (r["score"], r["coverage"]) <= (ub[r["firm"]]["ub"], ub[r["firm"]]["cov"]), (s, r["name"])
            compared += 1
    assert compared > 100
