"""Segments declared to name the same activity in two chain templates (``cg:sameActivityAs``):
the status of one counts the other's local firms (and its stated lacks or needs), labelled as
such, so a city chain's 电子元器件 is not called 缺失 while 先进电子器件's 电子元件 holds four
local component makers.  Hand-built graph first, then the bundled graph at park and city scope."""

from __future__ import annotations

import pytest

from test_analysis_graphs import graph
from chaingraph.analysis.context import build_context
from chaingraph.analysis.gaps import find_gaps, gap_report
from chaingraph.analysis.status import segment_statuses

S = "https://w3id.org/chaingraph/id/segment/"
C = "https://w3id.org/chaingraph/id/company/"

# chain:a (coarse, city plan) and chain:b (detailed, park); a-coat ≡ b-plating when DECLARED.
TTL = """
chain:a a cg:IndustryChain ; rdfs:label "粗链"@zh .
chain:b a cg:IndustryChain ; rdfs:label "细链"@zh .
seg:a-coat a cg:Segment ; cg:chain chain:a ; cg:stage cg:Midstream ; rdfs:label "表面处理"@zh ; cg:feeds seg:a-unit .
seg:a-unit a cg:Segment ; cg:chain chain:a ; cg:stage cg:Downstream ; rdfs:label "整机"@zh .
seg:a-other a cg:Segment ; cg:chain chain:a ; cg:stage cg:Upstream ; rdfs:label "材料"@zh ; cg:feeds seg:a-coat .
seg:b-plating a cg:Segment ; cg:chain chain:b ; cg:stage cg:Midstream ; rdfs:label "电镀及表面处理"@zh .
seg:b-gold a cg:Segment ; cg:chain chain:b ; cg:stage cg:Midstream ; rdfs:label "镀金"@zh ; skos:broader seg:b-plating .
seg:b-material a cg:Segment ; cg:chain chain:b ; cg:stage cg:Upstream ; rdfs:label "材料"@zh .

place:city a cg:Place ; rdfs:label "等同市"@zh .
park:h a cg:Park ; rdfs:label "本园"@zh ; cg:city place:city ; cg:leadingChain chain:a , chain:b .
company:g1 a cg:Company ; rdfs:label "镀金一"@zh ; cg:park park:h ; cg:inSegment seg:b-gold .
company:m1 a cg:Company ; rdfs:label "材料一"@zh ; cg:park park:h ; cg:inSegment seg:b-material .
company:u1 a cg:Company ; rdfs:label "整机一"@zh ; cg:park park:h ; cg:inSegment seg:a-unit .

src:plan a cg:Source ; dcterms:title "测试规划" .
fact:lack-coat a cg:PlanningStatement ; cg:intent cg:StatedLack ; cg:segment seg:a-coat ; cg:topic "表面处理" ;
    cg:evidence [ a cg:Evidence ; cg:source src:plan ; cg:quote "表面处理等环节缺乏" ] .
fact:lack-other a cg:PlanningStatement ; cg:intent cg:StatedLack ; cg:segment seg:a-other ; cg:topic "材料" ;
    cg:evidence [ a cg:Evidence ; cg:source src:plan ; cg:quote "材料环节缺乏" ] .
"""
DECLARED = "seg:a-coat cg:sameActivityAs seg:b-plating .\n"


@pytest.fixture(scope="module")
def small():
    return {d: graph(TTL + (DECLARED if d else "")) for d in (False, True)}


def test_without_a_declaration_the_lack_stands(small):
    st = segment_statuses(build_context(small[False], park="本园"))
    assert st[S + "a-coat"]["status"] == "缺失"
    assert st[S + "a-coat"]["same_activity_firms"] == []


def test_a_declared_equivalent_firm_makes_the_stated_lack_weak_not_missing(small):
    ctx = build_context(small[True], park="本园")
    st = segment_statuses(ctx)
    coat = st[S + "a-coat"]
    # a firm of the equivalent's sub-segment (镀金 under 电镀及表面处理) counts, labelled as such
    assert coat["status"] == "薄弱" and coat["present"]
    assert coat["local_firms"] == [] and coat["same_activity_firms"] == [C + "g1"]
    assert coat["reason"] == "本地已有，已知1家（等同环节细链「电镀及表面处理」：镀金一），但来源表述缺乏或配套需求"
    ev = next(e for e in coat["evidence"] if e["kind"] == "same_activity")
    assert ev["text"] == "图谱有等同环节细链「电镀及表面处理」的本地企业1家：镀金一" and ev["segment"] == S + "b-plating"
    # the declaration is symmetric, and the stated lack of the same activity reaches the other side
    plating = st[S + "b-plating"]
    assert plating["status"] == "薄弱" and plating["same_activity_firms"] == []
    assert "等同环节粗链「表面处理」“表面处理等环节缺乏”（测试规划）" in plating["explanation"]
    # a segment with no declared equivalent is unchanged (same firm names, same statement kind)
    assert st[S + "a-other"]["status"] == "缺失" and st[S + "b-material"]["status"] == "具备"
    # the gap row and its demand: the equivalent's firm is not its own downstream demand
    row = next(r for r in find_gaps(ctx, chain="粗链") if r["segment"] == S + "a-coat")
    assert (row["status"], row["kind"]) == ("薄弱", "强链")
    assert [d["label"] for d in row["demand"]] == ["整机一"]


def test_the_equivalent_firms_leaving_gives_the_lack_back(small):
    ctx = build_context(small[True], park="本园")
    rows = {r["segment"]: r for r in find_gaps(ctx, chain="粗链", without=[C + "g1"])}
    coat = rows[S + "a-coat"]
    assert (coat["status"], coat["baseline_status"]) == ("缺失", "薄弱")
    assert coat["status_reason"] == "假设镀金一迁出后，本地无已知企业"


def test_a_context_of_one_chain_still_sees_the_equivalent(small):
    whole = segment_statuses(build_context(small[True], park="本园"))
    one = segment_statuses(build_context(small[True], park="本园", chain="粗链"))
    assert S + "b-plating" not in one
    for key in ("status", "reason", "same_activity_firms"):
        assert one[S + "a-coat"][key] == whole[S + "a-coat"][key]


def test_an_included_activity_counts_one_way_and_shares_no_lack():
    """``cg:includesActivityOf``: the part's firms are evidence for the whole, labelled 所含环节;
    the whole's firms are none for the part, and the whole's stated lack is no lack of the part."""
    whole = segment_statuses(build_context(graph(TTL + "seg:a-coat cg:includesActivityOf seg:b-plating .\n"), park="本园"))
    assert whole[S + "a-coat"]["status"] == "薄弱"
    assert whole[S + "a-coat"]["reason"] == "本地已有，已知1家（所含环节细链「电镀及表面处理」：镀金一），但来源表述缺乏或配套需求"
    assert whole[S + "b-plating"]["status"] == "具备" and "表面处理等环节缺乏" not in whole[S + "b-plating"]["explanation"]
    part = segment_statuses(build_context(graph(TTL + "seg:b-plating cg:includesActivityOf seg:a-coat .\n"), park="本园"))
    assert part[S + "a-coat"]["status"] == "缺失" and part[S + "a-coat"]["same_activity_firms"] == []


# ---------------------------------------------------------------- the bundled graph


@pytest.fixture(scope="module")
def bundled():
    from chaingraph.store import GraphSource, open_graph

    return open_graph(GraphSource(include_user=False))


COMPONENT_MAKERS = ["jinluo-dianzi", "xinzheng-keji", "zhengde-dianzi", "zhongtan-dianzi"]


@pytest.mark.parametrize("scope", ["park", "city"])
def test_bundled_components_and_surface_treatment_are_not_missing(bundled, scope):
    ctx = build_context(bundled, park="永州经开区", scope=scope)
    st = segment_statuses(ctx)
    sf = ctx.segment_firms()
    comp = st[S + "ei-components"]
    assert sf[S + "ei-components"] == [] and sf[S + "ed-components"] == [C + f for f in COMPONENT_MAKERS]
    assert comp["status"] == "强" and comp["same_activity_firms"] == sf[S + "ed-components"]
    assert "已知4家（等同环节先进电子器件「电子元件」：锦络电子、信征科技、正德电子等）" in comp["explanation"]
    surf = st[S + "ei-surface-treatment"]
    assert surf["status"] == "薄弱" == st[S + "ed-plating"]["status"]
    assert surf["same_activity_firms"] == [C + "jinluo-dianzi"]
    assert "已知1家（等同环节先进电子器件「电镀及表面处理」：锦络电子）" in surf["explanation"]
    # segments without a declared equivalent keep their statuses
    assert st[S + "eq-plating"]["status"] == "缺失"  # machinery-parts plating: another activity
    assert "同一表述也涵盖先进电子器件「电镀及表面处理」，该环节为薄弱" in st[S + "eq-plating"]["explanation"]
    if scope == "city":
        assert st[S + "ei-display-materials"]["status"] == "缺失"
        assert st[S + "ei-navigation-instruments"]["status"] == "缺失"


@pytest.mark.parametrize("scope", ["park", "city"])
def test_bundled_display_devices_count_the_display_module_maker_one_way(bundled, scope):
    """电子信息「新型显示器件」 includes 先进电子器件's 显示模组 (创鑫隆): not 缺失 at park scope any more;
    先进电子器件「显示面板」 stays 缺失 (经纬辉开's touch displays make no panel)."""
    st = segment_statuses(build_context(bundled, park="永州经开区", scope=scope))
    dev = st[S + "ei-display-devices"]
    assert dev["status"] == "具备" and C + "chuangxinlong" in dev["same_activity_firms"]
    assert "所含环节先进电子器件「显示模组（LCM/TFT模组）」：创鑫隆" in dev["explanation"]
    assert st[S + "ed-display-panel"]["status"] == "缺失"
    assert st[S + "ed-display-panel"]["same_activity_firms"] == []


@pytest.mark.parametrize("scope", ["park", "city"])
def test_bundled_display_devices_carry_the_display_modules_reported_count(bundled, scope):
    """“包括创鑫隆等5家显示屏模组企业” is a count for 显示模组; 新型显示器件, which includes it, had no
    count of its own and said 已知1家…数据未覆盖全部企业: now it cites the 5 with its source."""
    st = segment_statuses(build_context(bundled, park="永州经开区", scope=scope))
    dev = st[S + "ei-display-devices"]
    assert dev["reported_count"] is None  # its own: none; the carried one says where it comes from
    assert (dev["same_activity_count"]["count"], dev["same_activity_count"]["segment"]) == (5, S + "ed-display-module")
    assert dev["status"] == "具备" and dev["reason"].startswith("已知5家（")
    assert "所含环节先进电子器件「显示模组（LCM/TFT模组）」：创鑫隆，来源报道共5家）" in dev["reason"]
    assert "数据未覆盖全部企业" not in dev["explanation"] and dev["missing"] == ""
    [ev] = [e for e in dev["evidence"] if e["kind"] == "count"]
    assert ev["text"] == "来源报道所含环节先进电子器件「显示模组（LCM/TFT模组）」5家"
    assert ev["quote"] == "包括创鑫隆等5家显示屏模组企业" and ev["source_title"]
    assert "“包括创鑫隆等5家显示屏模组企业”" in dev["explanation"]
    # the count is the included segment's, not a sum with the count of the segment itself
    assert st[S + "ed-display-module"]["reported_count"] == 5
    assert st[S + "ed-display-module"]["same_activity_count"] is None
    # a segment with links but no linked count, and one without links, are unchanged
    assert st[S + "ei-components"]["same_activity_count"] is None
    assert st[S + "eq-die-casting"]["same_activity_count"] is None
    assert st[S + "eq-die-casting"]["reason"] == "已知5家（含具名意华精密压铸）"


def test_a_linked_count_is_the_largest_not_a_sum_and_an_own_count_wins():
    """Two included segments with counts 3 and 4: the whole says 4 (a lower bound; they may count
    the same firm); with a count of its own (2) the whole keeps it."""
    counts = """
seg:b-other a cg:Segment ; cg:chain chain:b ; cg:stage cg:Midstream ; rdfs:label "化学镀"@zh .
seg:a-coat cg:includesActivityOf seg:b-plating , seg:b-other .
src:news a cg:Source ; dcterms:title "测试报道" .
fact:n1 a cg:ReportedCount ; cg:park park:h ; cg:segment seg:b-plating ; cg:count 3 ; cg:population "电镀企业" ;
    cg:evidence [ a cg:Evidence ; cg:source src:news ; cg:quote "电镀企业3家" ] .
fact:n2 a cg:ReportedCount ; cg:park park:h ; cg:segment seg:b-other ; cg:count 4 ; cg:population "化学镀企业" ;
    cg:evidence [ a cg:Evidence ; cg:source src:news ; cg:quote "化学镀企业4家" ] .
"""
    st = segment_statuses(build_context(graph(TTL + counts), park="本园"))
    whole = st[S + "a-coat"]
    assert whole["reported_count"] is None and whole["same_activity_count"]["count"] == 4
    assert whole["reason"] == "本地已有，已知4家（所含环节细链「电镀及表面处理」：镀金一；来源报道所含环节细链「化学镀」4家），但来源表述缺乏或配套需求"
    assert [e["quote"] for e in whole["evidence"] if e["kind"] == "count"] == ["化学镀企业4家"]
    own = counts + """fact:n3 a cg:ReportedCount ; cg:park park:h ; cg:segment seg:a-coat ; cg:count 2 ; cg:population "表面处理企业" ;
    cg:evidence [ a cg:Evidence ; cg:source src:news ; cg:quote "表面处理企业2家" ] .
"""
    st = segment_statuses(build_context(graph(TTL + own), park="本园"))
    assert st[S + "a-coat"]["reported_count"] == 2 and st[S + "a-coat"]["same_activity_count"] is None
    assert [e["quote"] for e in st[S + "a-coat"]["evidence"] if e["kind"] == "count"] == ["表面处理企业2家"]
    # one way: the parts do not take the whole's count
    assert st[S + "b-plating"]["same_activity_count"] is None


def test_bundled_city_gap_rows_and_what_if(bundled):
    ctx = build_context(bundled, park="永州经开区", scope="city")
    rows = {r["label"]: r for r in gap_report(ctx, chain="电子信息")["rows"]}
    assert (rows["电子元器件"]["status"], rows["电子元器件"]["kind"]) == ("强", "强链")
    assert (rows["表面处理"]["status"], rows["表面处理"]["kind"]) == ("薄弱", "强链")
    assert not any(r["status"] == "缺失" and r["label"] in ("电子元器件", "表面处理") for r in rows.values())
    # the firms of the equivalents gone: the stated lack is claimed again, saying why
    gone = find_gaps(ctx, chain="电子信息", without=[C + f for f in COMPONENT_MAKERS])
    again = {r["label"]: r for r in gone}
    assert again["电子元器件"]["status"] == "缺失" and again["电子元器件"]["baseline_status"] == "强"
    assert again["电子元器件"]["status_reason"].startswith("假设锦络电子、信征科技、正德电子、中钽电子迁出后")
    assert again["表面处理"]["status"] == "缺失" and again["表面处理"]["baseline_status"] == "薄弱"


def test_bundled_targets_rank_by_the_same_status(bundled):
    """``targets`` reads the gap rows: 电子元器件 is planned as a 强链 with the gap row's priority,
    not as a lack to fill (the candidate pool is left out of the tests: no candidate rows)."""
    from chaingraph.analysis.targets import rank_targets

    ctx = build_context(bundled, park="永州经开区", scope="city")
    ei = "https://w3id.org/chaingraph/id/chain/electronic-information"
    row = next(r for r in find_gaps(ctx, chain=ei) if r["segment"] == S + "ei-components")
    res = rank_targets(ctx, chain=ei, segment=S + "ei-components", top=3)
    [seg] = res["segments"]
    assert (seg["kind"], seg["priority"]) == ("强链", row["priority"])
    assert all((r["gap_status"], r["gap_kind"]) == ("强", "强链") for r in res["rows"])
