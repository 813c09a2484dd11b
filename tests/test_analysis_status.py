"""Segment statuses, the supporting rate and the panorama on a hand-built chain."""

from __future__ import annotations

import pytest

from test_analysis_graphs import CH, C, S, graph
from chaingraph.analysis.context import build_context
from chaingraph.analysis.panorama import panorama
from chaingraph.analysis.status import segment_statuses, supporting_rate


@pytest.fixture(scope="module")
def ctx():
    return build_context(graph(), park="测试园")


def test_every_status(ctx):
    st = segment_statuses(ctx)
    got = {k.removeprefix(S): v["status"] for k, v in st.items()}
    assert got == {
        "t-ore": "缺失",       # the plan states the lack
        "t-coat": "缺失", "t-recycle": "缺失",  # the plan asks to fill them (引进/补齐)
        "t-island": "未见记录",  # neither a firm nor a statement: unknown, not a lack
        "t-tool": "具备",      # one known firm (depth unknown: the data names few firms)
        "t-service": "具备",   # reported presence only
        "t-unit": "具备",      # two firms; a template that expects a leader is no evidence of weakness
        "t-part": "具备",      # two firms
        "t-device": "强",      # a chain leader
    }
    assert st[S + "t-service"]["reported_count"] == 3
    assert st[S + "t-tool"]["reason"].startswith("已知1家") and st[S + "t-tool"]["missing"]
    assert st[S + "t-ore"]["explanation"] == "缺失：本地未见企业，来源表述其缺乏或需引进：“矿料等环节缺乏”（测试规划）"
    assert st[S + "t-island"]["explanation"].startswith("未见记录：") and "缺少数据" in st[S + "t-island"]["explanation"]


def test_counts_of_other_parks_ignored(ctx):
    assert ctx.reported_count(S + "t-coat") is None


def test_supporting_rate(ctx):
    # inputs of present segments: ore→part ✗, tool→part ✓, part→unit ✓, coat→unit ✗,
    # unit→device ✓, device→service ✓  (tool has no input)  → 4/6
    sr = supporting_rate(ctx, CH + "t")
    assert (sr["inputs"], sr["local_inputs"], sr["rate"]) == (6, 4, 0.6667)
    assert [(m["label"], m["needed_by"]) for m in sr["missing_inputs"]] == [("涂层", ["部件"]), ("矿料", ["零件"])]


def test_supporting_rate_edge_cases():
    # 远方园 only reports 9 coat firms: coat is present, its one input (part) is not → 0/1
    far = supporting_rate(build_context(graph(), park="远方园"), CH + "t")
    assert (far["inputs"], far["rate"]) == (1, 0.0)
    # 邻近园 has one ore firm; ore has no input in the template → no rate
    assert supporting_rate(build_context(graph(), park="邻近园"), CH + "t")["rate"] is None


def test_panorama_order_and_rows(ctx):
    pano = panorama(ctx, "测试链")
    assert [s["stage"] for s in pano["stages"]] == ["上游", "中游", "下游"]
    labels = [r["label"] for r in pano["rows"]]
    assert labels.index("矿料") < labels.index("零件") < labels.index("涂层") < labels.index("部件")
    assert labels[-3:] == ["整机", "服务", "回收"]
    device = next(r for r in pano["rows"] if r["label"] == "整机")
    assert device["local_firm_iris"] == [C + "d2", C + "l"]
    assert device["leaders"] == ["整机链主"]
    assert pano["summary"] == {"强": 1, "具备": 4, "薄弱": 0, "在建/签约": 0, "缺失": 3, "未见记录": 1}
    assert pano["reported_chain_counts"][0]["count"] == 40
    assert pano["supporting_rate"]["rate"] == 0.6667
    assert pano["local_firm_count"] == 7


def test_broader_segments_collect_firms_and_counts():
    ttl = """
    chain:b a cg:IndustryChain ; rdfs:label "层级链"@zh .
    seg:b-parent a cg:Segment ; cg:chain chain:b ; cg:stage cg:Midstream ; rdfs:label "父环节"@zh .
    seg:b-child a cg:Segment ; cg:chain chain:b ; cg:stage cg:Midstream ; rdfs:label "子环节"@zh ;
        skos:broader seg:b-parent .
    park:p a cg:Park ; rdfs:label "测试园"@zh .
    company:k a cg:Company ; rdfs:label "子企业"@zh ; cg:park park:p ; cg:inSegment seg:b-child .
    fact:n a cg:ReportedCount ; cg:park park:p ; cg:segment seg:b-child ; cg:count 4 .
    """
    ctx = build_context(graph(ttl), park="测试园")
    st = segment_statuses(ctx)
    assert st[S + "b-parent"]["local_firms"] == ["https://w3id.org/chaingraph/id/company/k"]
    assert ctx.reported_count(S + "b-parent") == 4
    assert st[S + "b-parent"]["status"] == "具备"  # one named firm, four reported


def test_unknown_chain_in_panorama(ctx):
    from chaingraph.errors import NotFoundError

    with pytest.raises(NotFoundError) as exc:
        panorama(ctx, "不存在的链")
    assert exc.value.kind == "chain"
