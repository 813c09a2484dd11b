"""A tiny demo chain and park (示范链, 示范园) for docstring examples and tests."""

from __future__ import annotations

import rdflib

from chaingraph.namespaces import turtle_prologue

EXAMPLE_TTL = turtle_prologue() + """

cg:Upstream cg:order 1 ; rdfs:label "上游"@zh .
cg:Midstream cg:order 2 ; rdfs:label "中游"@zh .
cg:Downstream cg:order 3 ; rdfs:label "下游"@zh .
cg:LeaderPull rdfs:label "链主带动"@zh .
cg:PeerReferral rdfs:label "以商引商"@zh .
cg:FillGap rdfs:label "补链"@zh .

chain:demo a cg:IndustryChain ; rdfs:label "示范链"@zh , "Demo chain"@en .
seg:x-metal a cg:Segment ; cg:chain chain:demo ; cg:stage cg:Upstream ; rdfs:label "金属材料"@zh ;
    cg:feeds seg:x-stamping .
seg:x-stamping a cg:Segment ; cg:chain chain:demo ; cg:stage cg:Midstream ; rdfs:label "冲压"@zh ;
    cg:feeds seg:x-plating , seg:x-assembly .
seg:x-plating a cg:Segment ; cg:chain chain:demo ; cg:stage cg:Midstream ; rdfs:label "电镀"@zh ;
    cg:feeds seg:x-assembly .
seg:x-assembly a cg:Segment ; cg:chain chain:demo ; cg:stage cg:Downstream ; rdfs:label "整机"@zh ;
    cg:leaderExpected true ; cg:feeds seg:x-recycling .
seg:x-recycling a cg:Segment ; cg:chain chain:demo ; cg:stage cg:Downstream ; rdfs:label "回收"@zh .

place:demo-city a cg:Place ; rdfs:label "示范市"@zh .
place:far-city a cg:Place ; rdfs:label "远方市"@zh .
park:demo-park a cg:Park ; rdfs:label "示范园"@zh , "Demo Park"@en ; cg:city place:demo-city ;
    cg:leadingChain chain:demo .
park:next-park a cg:Park ; rdfs:label "邻园"@zh ; cg:city place:demo-city .

company:a a cg:Company ; rdfs:label "整机链主"@zh ; cg:park park:demo-park ; cg:inSegment seg:x-assembly .
company:b a cg:Company ; rdfs:label "冲压甲"@zh ; cg:park park:demo-park ; cg:inSegment seg:x-stamping .
company:c a cg:Company ; rdfs:label "冲压乙"@zh ; cg:park park:demo-park ; cg:inSegment seg:x-stamping .
company:d a cg:Company ; rdfs:label "远方电镀"@zh ; cg:city place:far-city ; cg:inSegment seg:x-plating .
company:e a cg:Company ; rdfs:label "邻园金属"@zh ; cg:park park:next-park ; cg:inSegment seg:x-metal .

fact:r-a-b a cg:Referral ; cg:referrer company:a ; cg:referee company:b ; cg:referralKind cg:LeaderPull .
fact:r-b-c a cg:Referral ; cg:referrer company:b ; cg:referee company:c ; cg:referralKind cg:PeerReferral .

src:p a cg:Source ; dcterms:title "示范规划" .
fact:plan-plating a cg:PlanningStatement ; cg:intent cg:FillGap ; cg:segment seg:x-plating ;
    cg:topic "电镀" ; cg:evidence [ a cg:Evidence ; cg:source src:p ; cg:quote "补齐电镀环节" ] .
fact:share a cg:ReportedShare ; cg:park park:demo-park ; cg:metric cg:ReferralShareMetric ;
    cg:share 0.5 ; cg:population "引荐落户项目占比" .
"""


def example_graph() -> rdflib.Graph:
    """A tiny demo chain and park for docstring examples and tests.

    Chain 示范链: 金属材料 (upstream) → 冲压 → 电镀 → 整机 (leader expected) → 回收, and
    冲压 → 整机.  示范园 has 整机链主 (整机), who brought 冲压甲, who referred 冲压乙 (both 冲压).
    远方电镀 (电镀) is in another city; 邻园金属 (金属材料) in the neighbouring park 邻园.
    A plan names 电镀 (补链).
    """
    g = rdflib.Graph()
    g.parse(data=EXAMPLE_TTL, format="turtle")
    return g

