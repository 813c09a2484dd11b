"""Each evidence rule of the segment statuses on a small hand-built graph, and the bundled graph's
answers for the examples of issue #14 (stated lacks, no record, cluster, leader, scope, referrals)."""

from __future__ import annotations

import pytest

from test_analysis_graphs import graph
from chaingraph.analysis.context import build_context
from chaingraph.analysis.gaps import find_gaps, gap_report
from chaingraph.analysis.risk import break_risk
from chaingraph.analysis.status import STATUS_INFO, STATUSES, chain_coverage, legend, segment_statuses

S = "https://w3id.org/chaingraph/id/segment/"
C = "https://w3id.org/chaingraph/id/company/"

# Chain e: raw(U) → part(M) → coat(M) → board(M) → unit(D) → app(D); mould(U) → part; lone(U).
# 本园 (park:h) and 他园 (park:o) in one city.
TTL = """
chain:e a cg:IndustryChain ; rdfs:label "证据链"@zh .
seg:e-raw a cg:Segment ; cg:chain chain:e ; cg:stage cg:Upstream ; rdfs:label "原料"@zh ; cg:feeds seg:e-part .
seg:e-mould a cg:Segment ; cg:chain chain:e ; cg:stage cg:Upstream ; rdfs:label "模具"@zh ; cg:feeds seg:e-part .
seg:e-lone a cg:Segment ; cg:chain chain:e ; cg:stage cg:Upstream ; rdfs:label "孤立"@zh .
seg:e-part a cg:Segment ; cg:chain chain:e ; cg:stage cg:Midstream ; rdfs:label "零件"@zh ; cg:feeds seg:e-coat .
seg:e-coat a cg:Segment ; cg:chain chain:e ; cg:stage cg:Midstream ; rdfs:label "涂装"@zh ; cg:feeds seg:e-board .
seg:e-board a cg:Segment ; cg:chain chain:e ; cg:stage cg:Midstream ; rdfs:label "板卡"@zh ; cg:feeds seg:e-unit .
seg:e-unit a cg:Segment ; cg:chain chain:e ; cg:stage cg:Downstream ; rdfs:label "整机"@zh ; cg:feeds seg:e-app .
seg:e-app a cg:Segment ; cg:chain chain:e ; cg:stage cg:Downstream ; rdfs:label "应用"@zh .

place:city a cg:Place ; rdfs:label "证据市"@zh .
park:h a cg:Park ; rdfs:label "本园"@zh ; cg:city place:city ; cg:leadingChain chain:e .
park:o a cg:Park ; rdfs:label "他园"@zh ; cg:city place:city .

company:star a cg:Company ; rdfs:label "冠军企业"@zh ; cg:park park:h ; cg:inSegment seg:e-board .
company:u1 a cg:Company ; rdfs:label "整机一"@zh ; cg:park park:h ; cg:inSegment seg:e-unit .
company:u2 a cg:Company ; rdfs:label "整机二"@zh ; cg:park park:h ; cg:inSegment seg:e-unit .
company:p1 a cg:Company ; rdfs:label "零件一"@zh ; cg:park park:h ; cg:inSegment seg:e-part .
company:c1 a cg:Company ; rdfs:label "涂装一"@zh ; cg:park park:h ; cg:inSegment seg:e-coat .
company:m1 a cg:Company ; rdfs:label "他园模具"@zh ; cg:park park:o ; cg:inSegment seg:e-mould .

src:art a cg:Source ; dcterms:title "测试报道" .
fact:rank-star a cg:Figure ; cg:about company:star ; cg:metric cg:MarketRank ; cg:value 3.0 ; cg:unit "位（全国）" ;
    cg:evidence [ a cg:Evidence ; cg:source src:art ; cg:quote "市场占有率全国第三" ] .
fact:cluster-app a cg:SegmentStatement ; cg:claim cg:ClaimCluster ; cg:park park:h ; cg:segment seg:e-app ;
    cg:evidence [ a cg:Evidence ; cg:source src:art ; cg:quote "形成应用产业集群" ] .
fact:build-raw a cg:SegmentStatement ; cg:claim cg:ClaimUnderConstruction ; cg:park park:h ; cg:segment seg:e-raw ;
    cg:evidence [ a cg:Evidence ; cg:source src:art ; cg:quote "原料基地厂房已封顶" ] .
fact:need-coat a cg:PlanningStatement ; cg:intent cg:FillGap ; cg:park park:h ; cg:segment seg:e-coat ; cg:topic "涂装" ;
    cg:evidence [ a cg:Evidence ; cg:source src:art ; cg:quote "围绕整机企业做好涂装配套" ] .
fact:lack-mould a cg:PlanningStatement ; cg:intent cg:StatedLack ; cg:segment seg:e-mould ; cg:topic "模具" ;
    cg:hostPark park:o ;
    cg:evidence [ a cg:Evidence ; cg:source src:art ; cg:quote "模具等环节缺乏" ] .
fact:ref-u1-p1 a cg:Referral ; cg:referrer company:u1 ; cg:referee company:p1 ; cg:referralKind cg:PeerReferral .
company:u1 cg:referred company:p1 .
fact:ref-p1-c1 a cg:Referral ; cg:referrer company:p1 ; cg:referee company:c1 ; cg:referralKind cg:PeerReferral .
company:p1 cg:referred company:c1 .
"""


@pytest.fixture(scope="module")
def g():
    return graph(TTL)


@pytest.fixture(scope="module")
def park(g):
    return build_context(g, park="本园")


def status(ctx, seg):
    return segment_statuses(ctx)[S + seg]


def test_leader_firm_alone_is_strong(park):
    st = status(park, "e-board")
    assert st["status"] == "强" and st["local_firms"] == [C + "star"]
    assert any(e["kind"] == "leader" and e["quote"] == "市场占有率全国第三" for e in st["evidence"])
    assert "市场占有率全国第三" in st["explanation"]


def test_cluster_statement_makes_a_segment_present_without_a_named_firm(park):
    st = status(park, "e-app")
    assert st["status"] == "具备" and st["local_firms"] == [] and "形成应用产业集群" in st["explanation"]


def test_project_under_construction_is_its_own_status(park):
    st = status(park, "e-raw")
    assert st["status"] == "在建/签约" and not st["present"] and "原料基地厂房已封顶" in st["explanation"]
    assert S + "e-raw" not in {r["segment"] for r in find_gaps(park)}
    assert ("原料", "在建/签约") in [(u["label"], u["status"]) for u in gap_report(park)["unrecorded"]]


def test_no_firm_and_no_statement_is_no_record_not_a_lack(park):
    st = status(park, "e-lone")
    assert st["status"] == "未见记录" and st["missing"] and st["explanation"].startswith("未见记录：")
    rep = gap_report(park)
    assert S + "e-lone" not in {r["segment"] for r in rep["rows"]}
    assert S + "e-lone" in {u["segment"] for u in rep["unrecorded"]}


def test_stated_need_of_local_firms_makes_a_present_segment_weak(park):
    st = status(park, "e-coat")
    assert st["status"] == "薄弱" and "围绕整机企业做好涂装配套" in st["explanation"]
    row = {r["segment"]: r for r in find_gaps(park)}[S + "e-coat"]
    assert row["kind"] == "强链" and row["recruit"]["mode"] == "peers"


def test_scope_a_city_lack_meant_for_another_park(g, park):
    # park scope: the plan puts moulds in 他园 → not claimed lacking here, shown as meant elsewhere
    st = status(park, "e-mould")
    assert st["status"] == "未见记录" and st["elsewhere"] and "他园" in st["explanation"]
    # city scope: the same sentence counts fully, and 他园's mould firm is local → present but stated lacking
    city = build_context(g, park="本园", scope="city")
    assert status(city, "e-mould")["status"] == "薄弱"
    # a lack at city scope without a local firm is 缺失 with the plan's sentence
    city_no_firm = build_context(graph(TTL.replace("company:m1 a cg:Company", "company:m1 a cg:Thing")), park="本园", scope="city")
    st = status(city_no_firm, "e-mould")
    assert st["status"] == "缺失" and "模具等环节缺乏" in st["explanation"]


def test_planning_weight_at_park_scope(g):
    ttl = TTL.replace("company:m1 a cg:Company", "company:m1 a cg:Thing").replace("cg:hostPark park:o ;", "")
    ctx = build_context(graph(ttl), park="本园")
    row = {r["segment"]: r for r in find_gaps(ctx)}[S + "e-mould"]
    assert row["status"] == "缺失" and row["components"]["planning"]["raw"] == 1.0
    # with the host park elsewhere the statement is no lack here (see above): no row at all
    assert S + "e-mould" not in {r["segment"] for r in find_gaps(build_context(g, park="本园"))}


def test_completeness_rule():
    # the named firms cover a whole-population count → no firm means none
    complete = TTL + """
    fact:all a cg:ReportedCount ; cg:park park:h ; cg:aboutChain chain:e ; cg:count 6 ; cg:wholePopulation true ;
        cg:population "本园证据链企业"@zh .
    """
    ctx = build_context(graph(complete), park="本园")
    cov = chain_coverage(ctx, "https://w3id.org/chaingraph/id/chain/e")
    assert (cov["named"], cov["reported"], cov["complete"]) == (5, 6, True)
    st = status(ctx, "e-lone")
    assert st["status"] == "缺失" and st["evidence"][-1]["kind"] == "coverage"
    # a count of a subset (not whole) never makes the data complete
    partial = TTL + """
    fact:some a cg:ReportedCount ; cg:park park:h ; cg:aboutChain chain:e ; cg:count 5 ; cg:population "回乡企业"@zh .
    """
    ctx = build_context(graph(partial), park="本园")
    assert status(ctx, "e-lone")["status"] == "未见记录"
    assert chain_coverage(ctx, "https://w3id.org/chaingraph/id/chain/e")["complete"] is False


def test_leader_strengthen_row_recruits_partners_not_peers(g):
    ttl = TTL + """
    fact:grow-board a cg:PlanningStatement ; cg:intent cg:StrengthenChain ; cg:park park:h ; cg:segment seg:e-board ;
        cg:topic "板卡" ; cg:evidence [ a cg:Evidence ; cg:source src:art ; cg:quote "做强板卡产业" ] .
    """
    row = {r["segment"]: r for r in find_gaps(build_context(graph(ttl), park="本园"))}[S + "e-board"]
    assert (row["status"], row["kind"], row["recruit"]["mode"]) == ("强", "强链", "partners")
    assert row["recruit"]["segments"] == [S + "e-coat", S + "e-unit"]
    assert "不招同环节竞争者" in row["explanation"]


def test_referral_tied_firms_count_in_risk(park):
    firms = {f["label"]: f for f in break_risk(park)["firms"]}
    u1 = firms["整机一"]
    # 整机一 brought 零件一, who brought 涂装一: both are tied to it
    assert [r["label"] for r in u1["referees"]] == ["涂装一", "零件一"] and u1["referee_count"] == 2
    # if 整机一 and the firms it brought left, part and coat would have no named firm (unit keeps 整机二)
    assert u1["would_go_missing_with_referees"] == ["零件", "涂装"]
    assert firms["整机二"]["referee_count"] == 0


def test_words_and_colours_cover_every_status():
    assert [x["status"] for x in legend()] == list(STATUSES)
    assert all(STATUS_INFO[s]["zh"] and STATUS_INFO[s]["color"] for s in STATUSES)


# ---------------------------------------------------------------- the bundled graph (issue examples)


@pytest.fixture(scope="module")
def bundled():
    from chaingraph.store import GraphSource, open_graph

    return open_graph(GraphSource(include_user=False))


def test_bundled_park_scope(bundled):
    ctx = build_context(bundled, park="永州经开区")
    st = segment_statuses(ctx)
    rep = gap_report(ctx)
    lacking = {r["label"] for r in rep["rows"] if r["status"] == "缺失"}
    # every row claimed lacking quotes a source
    assert all(any(e["quote"] for e in r["status_evidence"]) for r in rep["rows"] if r["status"] == "缺失")
    # the plan's stated lacks and 引进 items without a host park elsewhere
    assert {"模具", "电镀", "玻璃基板"} <= lacking
    assert "“引进玻璃基板等上下游相关配套企业”" in next(r for r in rep["rows"] if r["label"] == "玻璃基板")["status_explanation"]
    # 电机外壳: the plan means motors for 江华高新区 → not a lack of this park, shown as meant elsewhere
    housing = st[S + "eq-motor-housing"]
    assert housing["status"] == "未见记录" and "江华高新区" in housing["explanation"]
    # present or leading segments are neither lacking nor weak
    assert st[S + "ed-components"]["status"] == "强"       # cluster + 锦络电子 (province first) + 中钽电子
    assert "形成电路板元件省级产业集群" in st[S + "ed-components"]["explanation"]
    assert st[S + "ed-tantalum-capacitor"]["status"] == "强"  # 中钽电子 world fourth, the only firm
    assert st[S + "ed-display-module"]["status"] == "具备"    # 5 returning display-module firms
    assert st[S + "eq-cnc-machine-tool"]["status"] == "在建/签约"  # the 骏捷 park being built
    assert st[S + "eq-machining"]["status"] == "具备"          # 400+ CNC machines at 骏捷
    # coverage beside the figures: 8 named of 79 reported electronics firms
    cov = {c["chain_label"]: c for c in rep["coverage"]}
    assert (cov["先进电子器件"]["named"], cov["先进电子器件"]["reported"]) == (8, 79)
    assert rep["park_coverage"]["reported"] == 124
    # far fewer claimed lacks than template segments without a firm
    assert len(lacking) < 15 and len(rep["unrecorded"]) > 40


def test_bundled_city_scope_motor_housing_lacking_with_the_plan_sentence(bundled):
    st = segment_statuses(build_context(bundled, park="永州经开区", scope="city"))
    housing = st[S + "eq-motor-housing"]
    assert housing["status"] == "缺失" and "“引进电机外壳等关键配件项目”" in housing["explanation"]
    assert st[S + "eq-micro-motor"]["status"] == "强"  # 科力尔's stepper motors lead (city scope)


def test_one_stated_lack_two_statuses_each_says_why(bundled):
    """The city plan's “电镀件、铸造件、模具等环节缺乏” covers 电镀 (先进装备制造) and 电镀及表面处理
    (先进电子器件): one is 缺失, the other 薄弱.  Each explanation names the other segment, its
    status and the firms that made the difference (锦络电子 plates electronic components)."""
    ctx = build_context(bundled, park="永州经开区")
    st = segment_statuses(ctx)
    eq, ed = st[S + "eq-plating"], st[S + "ed-plating"]
    assert (eq["status"], ed["status"]) == ("缺失", "薄弱")
    assert ("同一表述也涵盖先进电子器件「电镀及表面处理」，该环节为薄弱，因图谱有本地企业1家：锦络电子；"
            "本环节图谱未见本地企业，故为缺失") in eq["explanation"]
    assert ("同一表述也涵盖先进装备制造「电镀」，该环节为缺失，因图谱未见本地企业；"
            "本环节图谱有本地企业1家：锦络电子，故为薄弱") in ed["explanation"]
    assert "同一表述下先进电子器件「电镀及表面处理」为薄弱（有锦络电子）" in eq["brief"]
    pointer = next(e for e in eq["evidence"] if e["kind"] == "same_statement")
    assert pointer["fact"].endswith("plan-city-lack-plating-casting-moulds")
    assert pointer["quote"] == "电镀件、铸造件、模具等环节缺乏" and pointer["other_status"] == "薄弱"
    # the same statement's 模具 is another activity: no pointer to plating
    assert "电镀及表面处理" not in st[S + "eq-mould"]["explanation"]
    # the gap rows, the map and the Excel list carry the same sentence
    rows = {r["segment"]: r for r in gap_report(ctx)["rows"]}
    assert "锦络电子" in rows[S + "eq-plating"]["status_explanation"]
    # what-if 锦络电子 leaves: both 缺失, nothing left to explain
    gone = segment_statuses(ctx.without([C + "jinluo-dianzi"]))
    assert gone[S + "ed-plating"]["status"] == "缺失"
    assert not any(e["kind"] == "same_statement" for e in gone[S + "eq-plating"]["evidence"])


@pytest.mark.parametrize("scope", ["park", "city"])
def test_every_statement_over_both_chains_explains_differing_statuses(bundled, scope):
    """For every planning statement a status rests on (a stated lack or need), every two segments
    of different chains it covers that name the same activity and got different statuses point
    to each other."""
    from chaingraph.analysis.status import same_activity

    ctx = build_context(bundled, park="永州经开区", scope=scope)
    st = segment_statuses(ctx)
    checked = 0
    for p in ctx.planning:
        segs = [s for s in p["segments"] if s in st]
        for a in segs:
            if not any(e["kind"] in ("lack", "need") and e["fact"] == p["fact"] for e in st[a]["evidence"]):
                continue
            for b in segs:
                if (ctx.dag.nodes[a]["chain"] != ctx.dag.nodes[b]["chain"] and same_activity(ctx.dag, a, b)
                        and st[a]["status"] != st[b]["status"]):
                    assert any(e["kind"] == "same_statement" and e["segment"] == b for e in st[a]["evidence"]), (a, b)
                    assert ctx.segment_label(b) in st[a]["explanation"]
                    checked += 1
    # 电镀 ↔ 电镀及表面处理, and the 电子信息 plan's 新型显示器件 / 显示面板 (电子元器件 and 电子元件 are
    # declared the same activity, cg:sameActivityAs: one status, no pointer; tests/test_same_activity.py)
    assert checked >= 3


@pytest.mark.parametrize("scope", ["park", "city"])
def test_every_gap_row_quotes_what_makes_it_a_gap(bundled, scope):
    """Every gap row's short evidence (the 依据 cell of `report`, `gaps`) quotes a source: a 强链
    row of a 具备 or 强 segment rests on the plan asking to strengthen it, not on its status, and
    says so with the plan's words."""
    ctx = build_context(bundled, park="永州经开区", scope=scope)
    rows = find_gaps(ctx)
    assert rows
    for r in rows:
        assert "“" in r["status_brief"], (r["label"], r["status_brief"])
        assert "“" in r["status_explanation"] and "（" in r["status_explanation"], r["label"]
    sensor = next(r for r in rows if r["segment"] == S + "ed-sensor")
    assert (sensor["status"], sensor["kind"]) == ("具备", "强链")
    assert sensor["gap_basis"].startswith("列为强链的依据：全市规划要求强链“发展手机配件、电脑配件、电声器件、传感器")
    assert "列为强链：全市规划要求强链“发展手机配件" in sensor["status_brief"]
    assert sensor["gap_basis"] in sensor["explanation"]
    # a cell's quote is cut around the words naming the segment, not before them
    panel = next(r for r in rows if r["segment"] == S + "ed-display-panel")
    assert "新型电子元器件、光电显示、半导体照明等产业”" in panel["status_brief"]
    # the park's own plan comes first where there is one
    comp = next(r for r in rows if r["segment"] == S + "ed-components")
    assert "列为强链：本园规划要求强链“推动电路板元件产业集优成群”" in comp["status_brief"]
    # a row whose status quotes the lack needs no second basis
    mould = next(r for r in rows if r["segment"] == S + "eq-mould")
    assert mould["gap_basis"] is None
    # demand comes from the template, not from a source, and says so
    assert "下游本地企业（按链条模板推断的需求，非来源表述）：" in mould["explanation"]
    assert "本地需求：" not in mould["explanation"]


def test_status_reasons_name_their_firms_and_quote_their_counts(bundled):
    st = segment_statuses(build_context(bundled, park="永州经开区"))
    casting = st[S + "eq-casting"]
    assert casting["reason"] == "本地已有，已知5家（含具名意华精密压铸），但来源表述缺乏或配套需求"
    # the 5 is a reported count of its sub-segment 精密压铸, quoted with its source
    assert "来源报道回乡投资企业中的精密压铸企业（含意华精密压铸）5家“意华精密压铸等5家精密压铸企业”" in casting["explanation"]
    assert st[S + "ed-sensor"]["reason"] == "已知1家（信征科技），数据未覆盖全部企业，深度未知"
    assert st[S + "ed-plating"]["reason"].startswith("本地已有，已知1家（锦络电子）")
    # a 强 status cites its leader first, not a statement about a factory being built
    opto = st[S + "ed-optoelectronics"]
    assert opto["status"] == "强"
    assert opto["brief"].startswith("强：含领先企业：骏捷智能（仅此1家亦计为强）：骏捷智能：链主带动")
    # a firm's own capability says whose it is
    assert st[S + "eq-machining"]["brief"].startswith("具备：来源表述已有：企业自有能力：骏捷智能“400余台CNC设备整齐排列”")
