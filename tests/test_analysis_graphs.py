"""Small hand-built graphs for the analysis tests (Turtle inline; answers worked out by hand)."""

from __future__ import annotations

import rdflib

from chaingraph.namespaces import turtle_prologue

PREFIXES = turtle_prologue() + """
cg:Upstream cg:order 1 ; rdfs:label "上游"@zh .
cg:Midstream cg:order 2 ; rdfs:label "中游"@zh .
cg:Downstream cg:order 3 ; rdfs:label "下游"@zh .
cg:FillGap rdfs:label "补链"@zh .
cg:StatedLack rdfs:label "缺乏"@zh .
cg:StrengthenChain rdfs:label "强链"@zh .
"""

# Chain t:  tool(U) ─┐
#           ore(U) ──┴→ part(M) → coat(M) → unit(M, leader expected) → device(D) → service(D) → recycle(D)
#                        part ───────────────↗
#           island(U) (no links)
# 园区 P: part = P1, P2 (具备); unit = U1, U2, no leader (具备: a template wish is no evidence);
# device = L (链主), D2 (强); service = reported count 3 only (具备); tool = T1 (具备, one known firm).
# Outside: X (coat, no park, other city); Q1 in the neighbouring park Q (same city) in ore.
# The city plan (no park) states ore lacking, and asks to fill coat and recycle: 缺失;
# island has neither firm nor statement: 未见记录.
T_GRAPH = """
chain:t a cg:IndustryChain ; rdfs:label "测试链"@zh , "Test chain"@en .
seg:t-ore a cg:Segment ; cg:chain chain:t ; cg:stage cg:Upstream ; rdfs:label "矿料"@zh ; cg:feeds seg:t-part .
seg:t-tool a cg:Segment ; cg:chain chain:t ; cg:stage cg:Upstream ; rdfs:label "工装"@zh ; cg:feeds seg:t-part .
seg:t-island a cg:Segment ; cg:chain chain:t ; cg:stage cg:Upstream ; rdfs:label "孤岛"@zh .
seg:t-part a cg:Segment ; cg:chain chain:t ; cg:stage cg:Midstream ; rdfs:label "零件"@zh ;
    cg:feeds seg:t-coat , seg:t-unit .
seg:t-coat a cg:Segment ; cg:chain chain:t ; cg:stage cg:Midstream ; rdfs:label "涂层"@zh ; cg:feeds seg:t-unit .
seg:t-unit a cg:Segment ; cg:chain chain:t ; cg:stage cg:Midstream ; rdfs:label "部件"@zh ;
    cg:leaderExpected true ; cg:feeds seg:t-device .
seg:t-device a cg:Segment ; cg:chain chain:t ; cg:stage cg:Downstream ; rdfs:label "整机"@zh ; cg:feeds seg:t-service .
seg:t-service a cg:Segment ; cg:chain chain:t ; cg:stage cg:Downstream ; rdfs:label "服务"@zh ; cg:feeds seg:t-recycle .
seg:t-recycle a cg:Segment ; cg:chain chain:t ; cg:stage cg:Downstream ; rdfs:label "回收"@zh .

place:c1 a cg:Place ; rdfs:label "甲市"@zh .
place:c2 a cg:Place ; rdfs:label "乙市"@zh .
park:p a cg:Park ; rdfs:label "测试园"@zh ; cg:fullName "测试经济开发区"@zh ; cg:city place:c1 ; cg:leadingChain chain:t .
park:q a cg:Park ; rdfs:label "邻近园"@zh ; cg:city place:c1 .
park:r a cg:Park ; rdfs:label "远方园"@zh ; cg:city place:c2 .

company:p1 a cg:Company ; rdfs:label "零件一"@zh ; cg:park park:p ; cg:inSegment seg:t-part .
company:p2 a cg:Company ; rdfs:label "零件二"@zh ; cg:park park:p ; cg:inSegment seg:t-part .
company:u1 a cg:Company ; rdfs:label "部件一"@zh ; cg:park park:p ; cg:inSegment seg:t-unit .
company:u2 a cg:Company ; rdfs:label "部件二"@zh ; cg:park park:p ; cg:inSegment seg:t-unit .
company:l a cg:Company ; rdfs:label "整机链主"@zh ; cg:park park:p ; cg:inSegment seg:t-device ; cg:tier cg:ChainLeader .
company:d2 a cg:Company ; rdfs:label "整机二"@zh ; cg:park park:p ; cg:inSegment seg:t-device .
company:t1 a cg:Company ; rdfs:label "工装一"@zh ; cg:park park:p ; cg:inSegment seg:t-tool .
company:x a cg:Company ; rdfs:label "外地涂层"@zh ; cg:city place:c2 ; cg:inSegment seg:t-coat .
company:q1 a cg:Company ; rdfs:label "邻园矿料"@zh ; cg:park park:q ; cg:city place:c1 ; cg:inSegment seg:t-ore .

fact:count-service a cg:ReportedCount ; cg:park park:p ; cg:segment seg:t-service ; cg:count 3 ;
    cg:population "服务企业"@zh .
fact:count-chain a cg:ReportedCount ; cg:park park:p ; cg:aboutChain chain:t ; cg:count 40 ;
    cg:population "测试链企业"@zh .
fact:count-other-park a cg:ReportedCount ; cg:park park:r ; cg:segment seg:t-coat ; cg:count 9 .

fact:supply-t1-u1 a cg:Supply ; cg:supplier company:t1 ; cg:customer company:u1 .
fact:supply-p1-u1 a cg:Supply ; cg:supplier company:p1 ; cg:customer company:u1 .

src:plan a cg:Source ; dcterms:title "测试规划" .
fact:plan-coat a cg:PlanningStatement ; cg:intent cg:FillGap ; cg:segment seg:t-coat ; cg:topic "涂层" ;
    cg:evidence [ a cg:Evidence ; cg:source src:plan ; cg:quote "补齐涂层环节" ] .
fact:plan-ore a cg:PlanningStatement ; cg:intent cg:StatedLack ; cg:segment seg:t-ore ; cg:topic "矿料" ;
    cg:evidence [ a cg:Evidence ; cg:source src:plan ; cg:quote "矿料等环节缺乏" ] .
fact:plan-recycle a cg:PlanningStatement ; cg:intent cg:FillGap ; cg:segment seg:t-recycle ; cg:topic "回收" ;
    cg:evidence [ a cg:Evidence ; cg:source src:plan ; cg:quote "引进回收项目" ] .
"""

S = "https://w3id.org/chaingraph/id/segment/"
C = "https://w3id.org/chaingraph/id/company/"
P = "https://w3id.org/chaingraph/id/park/"
CH = "https://w3id.org/chaingraph/id/chain/"


def graph(ttl: str = T_GRAPH) -> rdflib.Graph:
    """An Oxigraph-backed graph (like the real store) holding ``ttl``."""
    from chaingraph.store import new_graph

    g = new_graph()
    g.parse(data=PREFIXES + ttl, format="turtle")
    return g
