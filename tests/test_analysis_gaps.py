"""find_gaps on a hand-built chain: every kind, the score formula, weights and the what-if."""

from __future__ import annotations

import pytest

from test_analysis_graphs import C, CH, S, graph
from chaingraph.analysis.context import build_context, example_graph
from chaingraph.analysis.gaps import DEFAULT_WEIGHTS, KIND_SEVERITY, find_gaps, gap_report, resolve_weights
from chaingraph.errors import ChaingraphError, NotFoundError


@pytest.fixture(scope="module")
def ctx():
    return build_context(graph(), park="测试园")


def by_seg(rows):
    return {r["segment"].removeprefix(S): r for r in rows}


def test_every_kind(ctx):
    rows = by_seg(find_gaps(ctx))
    assert {k: (r["status"], r["kind"]) for k, r in rows.items()} == {
        "t-ore": ("缺失", "补链"),      # stated lack; feeds part (present); nothing present upstream
        "t-coat": ("缺失", "断链"),     # plan asks to fill it; between part and unit (present)
        "t-recycle": ("缺失", "延链"),  # plan asks to fill it; fed by service (present)
    }
    # island: no record, not a lack → no row; tool (one known firm), unit (no leader, a template
    # wish only), service (reported count), part (具备), device (强) need no action
    assert not {"t-island", "t-tool", "t-unit", "t-service", "t-part", "t-device"} & rows.keys()
    # asked for, no-record segments next to a present one come as their own kind
    every = by_seg(find_gaps(ctx, unrecorded=True))
    assert "t-island" not in every  # nothing present around it
    assert [r["kind"] for r in every.values()].count("未见记录") == 0


def test_row_keys_and_demand(ctx):
    coat = by_seg(find_gaps(ctx))["t-coat"]
    for key in ("segment", "label", "chain", "chain_label", "stage", "status", "kind", "demand", "priority",
                "components", "candidates_available", "planning", "local_firms", "reported_count"):
        assert key in coat
    # demand within 2 steps: unit (U1, U2) at distance 1, device (L, D2) at distance 2
    assert [(d["label"], d["distance"]) for d in coat["demand"]] == [
        ("部件一", 1), ("部件二", 1), ("整机二", 2), ("整机链主", 2)]
    assert [d["leader"] for d in coat["demand"]] == [False, False, False, True]
    assert coat["candidates_available"] == 1 and coat["candidates"] == ["外地涂层"]
    (plan,) = coat["planning"]
    assert {k: plan[k] for k in ("fact", "intent", "topic", "source_title", "quote", "scope", "weight")} == {
        "fact": "https://w3id.org/chaingraph/id/fact/plan-coat", "intent": "补链", "topic": "涂层",
        "source_title": "测试规划", "quote": "补齐涂层环节", "scope": "city", "weight": 1.0}
    assert coat["status_evidence"][0]["quote"] == "补齐涂层环节" and "补齐涂层环节" in coat["status_explanation"]
    assert coat["chain"] == CH + "t" and coat["chain_label"] == "测试链" and coat["stage"] == "中游"
    assert coat["local_firms"] == [] and coat["reported_count"] is None
    assert "补" not in coat["explanation"][:2] and coat["explanation"].startswith("断链")


def test_demand_depth(ctx):
    coat = by_seg(find_gaps(ctx, demand_depth=1))["t-coat"]
    assert [d["label"] for d in coat["demand"]] == ["部件一", "部件二"]
    # with depth 1, recycle still extends service; ore still feeds part
    rows = by_seg(find_gaps(ctx, demand_depth=1))
    assert rows["t-ore"]["kind"] == "补链" and rows["t-recycle"]["kind"] == "延链"
    with pytest.raises(ChaingraphError):
        find_gaps(ctx, demand_depth=0)


def test_score_formula_by_hand(ctx):
    coat = by_seg(find_gaps(ctx, weights={"betweenness": 0}))["t-coat"]
    comps = coat["components"]
    assert {k: (v["raw"], v["normalised"]) for k, v in comps.items() if k != "betweenness"} == {
        "severity": ("断链", 1.0),
        "local_demand": (4, 0.8),    # 4 / (4 + 1)
        "leader_demand": (1, 1.0),
        "reach": (4, 0.5),           # unit, device, service, recycle of 9 segments → 4 / 8
        "candidates": (1, 0.5),      # 1 / (1 + 1)
        "planning": (1, 1.0),
    }
    assert comps["betweenness"]["weight"] == 0
    # (2·1 + 3·0.8 + 1·1 + 0 + 1·0.5 + 1·0.5 + 1·1) / (2 + 3 + 1 + 0 + 1 + 1 + 1) = 7.4 / 9
    assert coat["priority"] == round(7.4 / 9, 4)


def test_betweenness_component_on_the_example():
    # 示范链: stamping and assembly each lie on 3 of the 12 ordered pairs' shortest paths
    from chaingraph.analysis.gaps import _chain_metrics

    ctx = build_context(example_graph(), park="示范园")
    metrics = _chain_metrics(ctx, CH + "demo")
    bc, mx, _, _ = metrics["https://w3id.org/chaingraph/id/segment/x-assembly"]
    assert (round(bc, 4), bc / mx) == (0.25, 1.0)
    rows = {r["label"]: r for r in find_gaps(ctx)}
    assert rows["电镀"]["components"]["betweenness"]["normalised"] == 0.0


def test_only_planning_weight_changes_order(ctx):
    # every evidenced lack rests on a planning statement: all score 1 on planning alone
    rows = find_gaps(ctx, weights={k: 0 for k in DEFAULT_WEIGHTS} | {"planning": 1})
    assert [r["priority"] for r in rows] == [1.0, 1.0, 1.0]


def test_severity_order_alone(ctx):
    rows = find_gaps(ctx, weights={k: 0 for k in DEFAULT_WEIGHTS} | {"severity": 1})
    assert [r["priority"] for r in rows] == sorted((KIND_SEVERITY[r["kind"]] for r in rows), reverse=True)
    assert rows[0]["kind"] == "断链" and rows[-1]["kind"] == "延链"


def test_rows_sorted_and_deterministic(ctx):
    rows = find_gaps(ctx)
    assert [r["priority"] for r in rows] == sorted((r["priority"] for r in rows), reverse=True)
    assert rows == find_gaps(ctx)


def test_weights_validation():
    assert resolve_weights() == DEFAULT_WEIGHTS
    assert resolve_weights({"reach": "2.5"})["reach"] == 2.5
    with pytest.raises(ChaingraphError, match="unknown weight"):
        resolve_weights({"nope": 1})
    with pytest.raises(ChaingraphError):
        resolve_weights({"reach": -1})
    with pytest.raises(ChaingraphError):
        resolve_weights({"reach": "x"})


def test_what_if_firms_leave(ctx):
    rows = by_seg(find_gaps(ctx, without=[C + "p1", C + "p2"]))
    part = rows["t-part"]
    assert (part["status"], part["kind"], part["new"], part["baseline_status"]) == ("缺失", "断链", True, "具备")
    assert rows["t-coat"]["new"] is False and rows["t-coat"]["kind"] == "断链"  # tool is 2 steps up
    # without the firms every other row keeps new = False
    assert [k for k, r in rows.items() if r["new"]] == ["t-part"]
    assert all(r["new"] is False for r in find_gaps(ctx))
    # the leavers are outside firms now: candidates to win back
    assert part["candidates"] == ["零件一", "零件二"]


def test_what_if_report_rates(ctx):
    rep = gap_report(ctx, without=[C + "p1", C + "p2"])
    assert rep["without"] == [{"firm": C + "p1", "label": "零件一"}, {"firm": C + "p2", "label": "零件二"}]
    assert rep["baseline_supporting_rate"][0]["rate"] == 0.6667
    # present now: tool, unit, device, service → inputs part→unit ✗, coat→unit ✗, unit→device ✓, device→service ✓
    assert rep["supporting_rate"][0]["rate"] == 0.5
    assert rep["weights"] == DEFAULT_WEIGHTS


def test_unknown_firm_in_without(ctx):
    with pytest.raises(ChaingraphError):
        find_gaps(ctx, without=[C + "nobody"])


def test_chain_filter_and_unknown_chain(ctx):
    assert find_gaps(ctx, chain="Test chain") == find_gaps(ctx)
    with pytest.raises(NotFoundError):
        find_gaps(ctx, chain="没有这条链")


def test_city_scope_makes_neighbouring_park_firms_local():
    ctx = build_context(graph(), park="测试园", scope="city")
    assert C + "q1" in ctx.local_firms and C + "x" not in ctx.local_firms
    ore = by_seg(find_gaps(ctx))["t-ore"]
    assert (ore["status"], ore["kind"], ore["local_firms"]) == ("薄弱", "强链", ["邻园矿料"])
    assert ctx.parks == ("https://w3id.org/chaingraph/id/park/p", "https://w3id.org/chaingraph/id/park/q")
