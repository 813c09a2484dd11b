"""Break risk, matchmaking and the referral network on hand-built graphs."""

from __future__ import annotations

import pytest

from test_analysis_graphs import C, S, graph
from chaingraph.analysis.context import build_context, example_graph
from chaingraph.analysis.match import matchmaking, structure_graph
from chaingraph.analysis.referrals import referral_network
from chaingraph.analysis.risk import break_risk
from chaingraph.errors import ChaingraphError


@pytest.fixture(scope="module")
def ctx():
    return build_context(graph(), park="测试园")


# ---------------------------------------------------------------- risk


def test_single_firm_segments(ctx):
    risk = break_risk(ctx)
    assert [(r["label"], r["firm_label"]) for r in risk["single_firm_segments"]] == [("工装", "工装一")]


def test_firm_dependents(ctx):
    risk = break_risk(ctx)
    t1 = next(f for f in risk["firms"] if f["firm"] == C + "t1")
    # tool feeds part (P1, P2); U1 has two recorded local suppliers (T1, P1): not dependent
    assert [(d["label"], d["input_label"]) for d in t1["dependents"]] == [("零件一", "工装"), ("零件二", "工装")]
    assert t1["sole_segments"] == ["工装"] and t1["would_go_missing"] == ["工装"]
    assert risk["firms"][0]["firm"] == C + "t1"  # most dependents first
    # P1 supplies U1 too, but U1 has another recorded local supplier (T1): not a dependent
    p1 = next(f for f in risk["firms"] if f["firm"] == C + "p1")
    assert p1["dependents"] == [] and p1["sole_segments"] == []


def test_reported_only_segment_does_not_go_missing():
    ttl = """
    chain:r a cg:IndustryChain ; rdfs:label "风险链"@zh .
    seg:r-a a cg:Segment ; cg:chain chain:r ; cg:stage cg:Upstream ; rdfs:label "甲环节"@zh ; cg:feeds seg:r-b .
    seg:r-b a cg:Segment ; cg:chain chain:r ; cg:stage cg:Midstream ; rdfs:label "乙环节"@zh .
    park:p a cg:Park ; rdfs:label "测试园"@zh .
    company:a1 a cg:Company ; rdfs:label "甲一"@zh ; cg:park park:p ; cg:inSegment seg:r-a .
    company:b1 a cg:Company ; rdfs:label "乙一"@zh ; cg:park park:p ; cg:inSegment seg:r-b .
    company:z a cg:Company ; rdfs:label "无环节客户"@zh ; cg:park park:p .
    fact:n a cg:ReportedCount ; cg:park park:p ; cg:segment seg:r-a ; cg:count 3 .
    fact:s a cg:Supply ; cg:supplier company:a1 ; cg:customer company:z .
    """
    risk = break_risk(build_context(graph(ttl), park="测试园"))
    a1 = next(f for f in risk["firms"] if f["label"] == "甲一")
    # sources report 3 firms in 甲环节: it hangs on no single firm, 乙一 does not depend on 甲一
    assert a1["sole_segments"] == [] and a1["would_go_missing"] == []
    assert [(d["label"], d["reason"]) for d in a1["dependents"]] == [("无环节客户", "有记录的唯一本地供应商")]
    assert [r["label"] for r in risk["single_firm_segments"]] == ["乙环节"]
    b1 = next(f for f in risk["firms"] if f["label"] == "乙一")
    assert b1["sole_segments"] == b1["would_go_missing"] == ["乙环节"]


# ---------------------------------------------------------------- match


def test_rule_pairs(ctx):
    m = matchmaking(ctx)
    pairs = {(p["supplier"].removeprefix(C), p["customer"].removeprefix(C)) for p in m["pairs"]}
    assert ("t1", "p1") in pairs and ("p2", "u1") in pairs and ("u1", "l") in pairs
    assert ("p1", "u1") not in pairs  # supply already recorded
    assert ("u1", "u2") not in pairs  # same segment is no supply
    p = next(p for p in m["pairs"] if p["supplier"] == C + "t1" and p["customer"] == C + "p1")
    assert p["links"] == [{"supplier_segment": S + "t-tool", "supplier_segment_label": "工装",
                           "customer_segment": S + "t-part", "customer_segment_label": "零件"}]
    assert "尚无供应关系记录" in p["reason"]


def test_customer_making_the_input_itself_is_no_pair():
    ttl = """
    chain:m a cg:IndustryChain ; rdfs:label "匹配链"@zh .
    seg:m-a a cg:Segment ; cg:chain chain:m ; cg:stage cg:Upstream ; rdfs:label "甲"@zh ; cg:feeds seg:m-b .
    seg:m-b a cg:Segment ; cg:chain chain:m ; cg:stage cg:Midstream ; rdfs:label "乙"@zh .
    park:p a cg:Park ; rdfs:label "测试园"@zh .
    company:k1 a cg:Company ; rdfs:label "一体"@zh ; cg:park park:p ; cg:inSegment seg:m-a , seg:m-b .
    company:k2 a cg:Company ; rdfs:label "纯甲"@zh ; cg:park park:p ; cg:inSegment seg:m-a .
    company:k3 a cg:Company ; rdfs:label "纯乙"@zh ; cg:park park:p ; cg:inSegment seg:m-b .
    """
    m = matchmaking(build_context(graph(ttl), park="测试园"))
    got = sorted((p["supplier_label"], p["customer_label"]) for p in m["pairs"])
    assert got == [("一体", "纯乙"), ("纯甲", "纯乙")]  # not 纯甲 → 一体: it makes 甲 itself


def test_link_prediction_by_hand():
    # H: a makes 整机, needs 冲压/电镀; b, c make 冲压, need 金属; referrals a–b, b–c.
    # (a, c): common 冲压 (deg 3) + b (deg 4) → 1/3 + 1/4; (a, b): 冲压 → 1/3;
    # (b, c): peers only (both make 冲压, both need 金属) → dropped.
    ctx = build_context(example_graph(), park="示范园")
    h = structure_graph(ctx, list(ctx.focus_chains))
    assert h.degree(S + "x-stamping") == 3 and h.degree(C + "b") == 4
    m = matchmaking(ctx)
    got = [(p["firm_a"].removeprefix(C), p["firm_b"].removeprefix(C), p["score"], p["supplier"].removeprefix(C)) for p in m["predicted"]]
    assert got == [("a", "c", round(1 / 3 + 1 / 4, 4), "c"), ("a", "b", round(1 / 3, 4), "b")]
    jac = matchmaking(ctx, method="jaccard")["predicted"]
    # jaccard(a, c) = |{冲压, b}| / |{整机, 冲压, 电镀, b} ∪ {冲压, 金属, b}| = 2 / 5
    assert jac[0]["score"] == 0.4 and jac[0]["method"] == "jaccard"
    assert len(matchmaking(ctx, top=1)["predicted"]) == 1
    with pytest.raises(ChaingraphError):
        matchmaking(ctx, method="nope")


# ---------------------------------------------------------------- referrals


def test_referral_network_example():
    net = referral_network(build_context(example_graph(), park="示范园"))
    assert [(r["referrer_label"], r["referee_label"], r["kind"]) for r in net["referrals"]] == [
        ("整机链主", "冲压甲", "链主带动"), ("冲压甲", "冲压乙", "以商引商")]
    assert [(c["path_labels"], c["length"], c["reach"]) for c in net["cascades"]] == [(["整机链主", "冲压甲", "冲压乙"], 2, 2)]
    assert [(i["label"], i["out_degree"], i["reach"]) for i in net["introducers"]] == [("整机链主", 1, 2), ("冲压甲", 1, 1)]
    sh = net["share"]
    assert (sh["local_firms"], sh["via_referral"], sh["via_leader"], sh["computed"]) == (3, 2, 1, 0.6667)
    assert [r["share"] for r in sh["reported"]] == [0.5]


def test_referral_cascades_longest_first():
    ttl = """
    park:p a cg:Park ; rdfs:label "测试园"@zh .
    company:a a cg:Company ; rdfs:label "甲"@zh ; cg:park park:p .
    company:b a cg:Company ; rdfs:label "乙"@zh ; cg:park park:p .
    company:c a cg:Company ; rdfs:label "丙"@zh ; cg:park park:p .
    company:d a cg:Company ; rdfs:label "丁"@zh ; cg:park park:p .
    company:e a cg:Company ; rdfs:label "戊"@zh ; cg:park park:p .
    company:far a cg:Company ; rdfs:label "外地"@zh .
    fact:1 a cg:Referral ; cg:referrer company:a ; cg:referee company:b .
    fact:2 a cg:Referral ; cg:referrer company:b ; cg:referee company:c .
    fact:3 a cg:Referral ; cg:referrer company:c ; cg:referee company:d .
    fact:4 a cg:Referral ; cg:referrer company:e ; cg:referee company:a .
    fact:5 a cg:Referral ; cg:referrer company:far ; cg:referee company:e .
    """
    net = referral_network(build_context(graph(ttl), park="测试园"))
    assert net["cascades"][0]["path_labels"] == ["外地", "戊", "甲", "乙", "丙", "丁"]
    assert net["introducers"][0]["label"] == "外地" and net["introducers"][0]["local"] is False
    assert net["share"]["via_referral"] == 5 and net["share"]["computed"] == 1.0


def test_bundled_reported_firms_are_no_single_point(bundled_graph):
    """精密压铸 and 铸造: the graph names 意华精密压铸, the source reports “意华精密压铸等5家精密压铸
    企业”. Neither hangs on 意华, and nobody loses local supply if it leaves; a segment the graph
    knows one firm of says 图谱仅知此一家, not that there is only one."""
    risk = break_risk(build_context(bundled_graph, park="永州经开区"))
    single = {r["label"] for r in risk["single_firm_segments"]}
    assert not {"精密压铸", "铸造"} & single and "电镀及表面处理" in single
    yihua = next(f for f in risk["firms"] if f["label"] == "意华精密压铸")
    assert yihua["sole_segments"] == [] and yihua["dependents"] == [] and yihua["would_go_missing"] == []
    jinluo = next(f for f in risk["firms"] if f["label"] == "锦络电子")
    assert jinluo["sole_segments"] == ["电镀及表面处理"]
    assert {d["reason"] for d in jinluo["dependents"]} == {"其所在环节「电子元件」的本地「电镀及表面处理」图谱仅知此一家"}
