"""Projections added for chain analysis: parks, name resolution, aggregates, planning."""

from __future__ import annotations

import pytest

from test_analysis_graphs import C, CH, P, S, graph
from chaingraph import project
from chaingraph.errors import NotFoundError
from chaingraph.lookup import chain_names, park_names, resolve, segment_names


@pytest.fixture(scope="module")
def g():
    return graph()


def test_parks_and_find_park(g):
    parks = project.parks(g)
    assert list(parks) == sorted(parks)
    p = parks[P + "p"]
    assert (p["label"], p["full_name"], p["city_label"], p["leading_chains"]) == ("测试园", "测试经济开发区", "甲市", [CH + "t"])
    names = park_names(parks)
    assert resolve("测试经济开发区", names, "park") == P + "p"
    assert resolve(P + "q", names, "park") == P + "q"
    assert resolve("q", names, "park") == P + "q"  # the slug
    with pytest.raises(NotFoundError) as exc:
        resolve("火星开发区", names, "park")
    assert exc.value.kind == "park"


def test_find_chain(g):
    names = chain_names(project.chains(g))
    assert resolve("Test chain", names, "chain") == CH + "t"
    assert resolve("测试链", names, "chain") == CH + "t"
    with pytest.raises(NotFoundError):
        resolve("量子计算", names, "chain")


def test_find_segment(g):
    segments = dict(project.chain_dag(g).nodes(data=True))
    some = sorted(segments)[0]
    assert resolve(segments[some]["label"], segment_names(segments), "segment") == some
    assert resolve(some, segment_names(segments), "segment") == some
    assert segment_names(segments, chain=CH + "nowhere") == {}


def test_reported_counts_and_shares(g):
    counts = project.reported_counts(g)
    by_fact = {c["fact"].rsplit("/", 1)[-1]: c for c in counts}
    assert by_fact["count-service"]["segment"] == S + "t-service"
    assert by_fact["count-service"]["chain"] == CH + "t"  # the segment's chain
    assert by_fact["count-chain"]["segment"] is None and by_fact["count-chain"]["count"] == 40
    assert project.reported_shares(g) == []


def test_planning_statements(g):
    by_fact = {p["fact"].rsplit("/", 1)[-1]: p for p in project.planning_statements(g)}
    assert sorted(by_fact) == ["plan-coat", "plan-ore", "plan-recycle"]
    st = by_fact["plan-coat"]
    assert by_fact["plan-ore"]["intent_label"] == "缺乏"
    assert st["segments"] == [S + "t-coat"] and st["intent_label"] == "补链"
    assert (st["source_title"], st["quote"], st["topic"]) == ("测试规划", "补齐涂层环节", "涂层")


def test_firm_segments_and_leaders(g):
    assert project.firm_segments(g)[C + "p1"] == [S + "t-part"]
    assert project.chain_leaders(g) == [C + "l"]


def test_chain_dag_restricted(g):
    assert set(project.chain_dag(g, CH + "t").nodes) == set(project.chain_dag(g).nodes)
    assert project.chain_dag(g, CH + "other").number_of_nodes() == 0


def test_bundled_planning_and_parks(bundled_graph):
    parks = project.parks(bundled_graph)
    assert parks[P + "yongzhou-etdz"]["level_label"] == "国家级"
    assert any(S + "ed-plating" in st["segments"] for st in project.planning_statements(bundled_graph))
