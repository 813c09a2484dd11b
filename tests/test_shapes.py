"""SHACL shapes (ontology/shapes.ttl): each shape flips on a small valid/invalid example.

Every case is a valid Turtle snippet (added to a small valid world, ``BASE``) plus mutations;
each mutation must make exactly the named shape fire.  ``test_every_shape_has_cases`` keeps
the table complete when shapes are added.
"""

from __future__ import annotations

import pyshacl
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH

from chaingraph.store import ontology_dir
from chaingraph.validate import validate_graph

CGSH = rdflib.Namespace("https://w3id.org/chaingraph/shapes#")

PREFIXES = """
@prefix cg:      <https://w3id.org/chaingraph/ns#> .
@prefix company: <https://w3id.org/chaingraph/id/company/> .
@prefix park:    <https://w3id.org/chaingraph/id/park/> .
@prefix place:   <https://w3id.org/chaingraph/id/place/> .
@prefix chain:   <https://w3id.org/chaingraph/id/chain/> .
@prefix seg:     <https://w3id.org/chaingraph/id/segment/> .
@prefix product: <https://w3id.org/chaingraph/id/product/> .
@prefix src:     <https://w3id.org/chaingraph/id/source/> .
@prefix fact:    <https://w3id.org/chaingraph/id/fact/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
"""

EV = 'cg:evidence [ a cg:Evidence ; cg:source src:s0 ; cg:quote "引文"@zh ; cg:start 0 ; cg:end 2 ]'

# A small world that conforms on its own (shapes, checks and cycles).
BASE = PREFIXES + f"""
src:s0 a cg:Source ; rdfs:label "种子文章"@zh .
place:yz a cg:Place ; rdfs:label "永州"@zh .
place:dg a cg:Place ; rdfs:label "东莞"@zh .
park:p a cg:Park ; rdfs:label "经开区"@zh .
chain:c a cg:IndustryChain ; rdfs:label "测试产业链"@zh ; cg:granularity "coarse" .
seg:up a cg:Segment ; rdfs:label "上游环节"@zh ; cg:chain chain:c ; cg:stage cg:Upstream ;
    cg:feeds seg:down .
seg:down a cg:Segment ; rdfs:label "下游环节"@zh ; cg:chain chain:c ; cg:stage cg:Downstream .
product:x a cg:Product ; rdfs:label "测试产品"@zh ; cg:inSegment seg:up .
company:a a cg:Company ; rdfs:label "甲公司"@zh ; {EV} .
company:b a cg:Company ; rdfs:label "乙公司"@zh ; {EV} .
"""

HEX = "0123456789abcdef" * 4

# class -> (valid snippet, [(property shape id, old, new), ...]); "{EV}" stands for evidence.
CASES: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "Company": (
        """company:t a cg:Company ; rdfs:label "测试"@zh , "Test"@en ;
            cg:fullName "湖南测试科技有限公司"@zh ; cg:shortName "测试科技"@zh ; cg:park park:p ;
            cg:city place:yz ; cg:origin place:dg ; cg:tier cg:HighTech ; cg:makes product:x ;
            cg:inSegment seg:up ; cg:xiangshang true ; cg:stockCode "600707.SH" ; {EV} .""",
        [
            ("label", '"测试"@zh , "Test"@en', '"测试"@zh , "测试二"@zh'),
            ("label", '"测试"@zh , "Test"@en', '"Test"@en'),
            ("label", '"测试"@zh , "Test"@en', '"测试"'),
            ("fullName", '"湖南测试科技有限公司"@zh', '"湖南测试科技有限公司"@zh , "测试有限公司"@zh'),
            ("shortName", '"测试科技"@zh', '""'),
            ("park", "cg:park park:p", "cg:park place:yz"),
            ("city", "cg:city place:yz", "cg:city park:p"),
            ("origin", "cg:origin place:dg", "cg:origin company:a"),
            ("tier", "cg:tier cg:HighTech", "cg:tier cg:Upstream"),
            ("makes", "cg:makes product:x", "cg:makes seg:up"),
            ("inSegment", "cg:inSegment seg:up", "cg:inSegment product:x"),
            ("xiangshang", "cg:xiangshang true", 'cg:xiangshang "yes"'),
            ("stockCode", '"600707.SH"', '"600707"'),
            ("evidence", "{EV}", 'rdfs:comment "no evidence"'),
            ("evidence", "{EV}", "cg:evidence company:a"),
        ],
    ),
    "Park": (
        """park:t a cg:Park ; rdfs:label "测试园"@zh ; cg:fullName "测试经济开发区"@zh ;
            cg:shortName "测试园区"@zh ; cg:parkLevel cg:NationalLevel ; cg:city place:yz ;
            cg:leadingChain chain:c ; cg:characteristicChain chain:c ; cg:industryNote "电子信息"@zh ;
            {EV} .""",
        [
            ("label", 'rdfs:label "测试园"@zh', 'rdfs:label "Test park"@en'),
            ("fullName", '"测试经济开发区"@zh', '"测试经济开发区"@zh , "测试开发区"@zh'),
            ("shortName", 'cg:shortName "测试园区"@zh', "cg:shortName park:p"),
            ("parkLevel", "cg:NationalLevel", "cg:Upstream"),
            ("city", "cg:city place:yz", "cg:city chain:c"),
            ("leadingChain", "cg:leadingChain chain:c", "cg:leadingChain seg:up"),
            ("characteristicChain", "cg:characteristicChain chain:c", "cg:characteristicChain park:p"),
            ("industryNote", '"电子信息"@zh', '""'),
            ("evidence", "{EV}", "cg:evidence company:a"),
        ],
    ),
    "IndustryChain": (
        """chain:t a cg:IndustryChain ; rdfs:label "测试链"@zh , "Test chain"@en ;
            cg:granularity "detailed" ; skos:definition "A test chain."@en .""",
        [
            ("label", '"Test chain"@en', '"另一个名字"@zh'),
            ("label", 'rdfs:label "测试链"@zh , "Test chain"@en ;', ""),
            ("granularity", '"detailed"', '"fine"'),
            ("granularity", 'cg:granularity "detailed" ;', ""),
            ("definition", '"A test chain."@en', '"A test chain."'),
        ],
    ),
    "Segment": (
        """seg:t a cg:Segment ; rdfs:label "测试环节"@zh ; cg:chain chain:c ; cg:stage cg:Midstream ;
            cg:feeds seg:down ; skos:broader seg:up ; cg:productTerm "测试"@zh ;
            cg:industryCode "3982" ; cg:leaderExpected true ; cg:sameActivityAs seg:o ;
            cg:includesActivityOf seg:o .
        chain:c2 a cg:IndustryChain ; rdfs:label "另一产业链"@zh ; cg:granularity "coarse" .
        seg:o a cg:Segment ; rdfs:label "等同环节"@zh ; cg:chain chain:c2 ; cg:stage cg:Midstream .""",
        [
            ("label", '"测试环节"@zh', '"测试环节"@en'),
            ("sameActivityAs", "cg:sameActivityAs seg:o", "cg:sameActivityAs chain:c"),
            # the same activity within one chain is a sub-segment (skos:broader), not an equivalent
            ("sameActivityChain", "cg:sameActivityAs seg:o", "cg:sameActivityAs seg:down"),
            ("includesActivityOf", "cg:includesActivityOf seg:o", "cg:includesActivityOf chain:c"),
            ("includesActivityChain", "cg:includesActivityOf seg:o", "cg:includesActivityOf seg:down"),
            ("chain", "cg:chain chain:c ;", ""),
            ("chain", "cg:chain chain:c", "cg:chain park:p"),
            ("stage", "cg:Midstream", "cg:Landed"),
            ("stage", "cg:stage cg:Midstream ;", ""),
            ("stage", "cg:stage cg:Midstream", "cg:stage cg:Midstream , cg:Upstream"),
            ("feeds", "cg:feeds seg:down", "cg:feeds product:x"),
            ("broader", "skos:broader seg:up", "skos:broader chain:c"),
            ("productTerm", '"测试"@zh', '""'),
            ("industryCode", '"3982"', '"398"'),
            ("leaderExpected", "cg:leaderExpected true", 'cg:leaderExpected "true"'),
        ],
    ),
    "Product": (
        """product:t a cg:Product ; rdfs:label "测试产品二"@zh ; cg:inSegment seg:up .""",
        [
            ("label", 'rdfs:label "测试产品二"@zh ;', ""),
            ("inSegment", "cg:inSegment seg:up", "cg:inSegment chain:c"),
        ],
    ),
    "Place": (
        """place:t a cg:Place ; rdfs:label "测试市"@zh ; cg:partOf place:yz ; cg:inRegion place:dg .""",
        [
            ("label", 'rdfs:label "测试市"@zh ;', ""),
            ("partOf", "cg:partOf place:yz", "cg:partOf park:p"),
            ("inRegion", "cg:inRegion place:dg", "cg:inRegion chain:c"),
        ],
    ),
    "Source": (
        f"""src:t a cg:Source ; rdfs:label "测试文章"@zh ; cg:fileName "s1.txt" ;
            cg:sha256 "{HEX}" ; cg:script "simplified" ; cg:date "2024-05-01"^^xsd:date .""",
        [
            ("label", 'rdfs:label "测试文章"@zh ;', ""),
            ("fileName", '"s1.txt"', '"s1.txt" , "s2.txt"'),
            ("sha256", f'"{HEX}"', '"ABC"'),
            ("script", '"simplified"', '"hanzi"'),
            ("date", '"2024-05-01"^^xsd:date', '"2024-05-01"'),
        ],
    ),
    "Evidence": (
        """company:t a cg:Company ; rdfs:label "测试"@zh ; cg:evidence fact:ev .
           fact:ev a cg:Evidence ; cg:source src:s0 ; cg:quote "测试"@zh ; cg:start 10 ; cg:end 12 ;
            cg:confidence 0.9 ; cg:supportsProperty cg:tier .""",
        [
            ("source", "cg:source src:s0", "cg:source place:yz"),
            ("source", "cg:source src:s0 ;", ""),
            ("quote", '"测试"@zh ; cg:start', '"" ; cg:start'),
            ("quote", 'cg:quote "测试"@zh ;', ""),
            ("start", "cg:start 10", "cg:start 12"),
            ("start", "cg:start 10", "cg:start 13"),
            ("start", "cg:start 10", 'cg:start "10"'),
            ("start", "cg:start 10", "cg:start -1"),
            ("end", "cg:end 12", "cg:end 12 , 14"),
            ("confidence", "0.9", "1.5"),
            ("supportsProperty", "cg:supportsProperty cg:tier", 'cg:supportsProperty "tier"'),
        ],
    ),
    "Referral": (
        """fact:t a cg:Referral ; cg:referrer company:a ; cg:referee company:b ;
            cg:referralKind cg:PeerReferral ; cg:leadStage cg:Landed ; cg:year "2023"^^xsd:gYear ; {EV} .""",
        [
            ("referrer", "cg:referrer company:a", "cg:referrer company:b"),
            ("referrer", "cg:referrer company:a ;", ""),
            ("referee", "cg:referee company:b", "cg:referee park:p"),
            ("referralKind", "cg:PeerReferral", "cg:Landed"),
            ("leadStage", "cg:leadStage cg:Landed", "cg:leadStage cg:PeerReferral"),
            ("year", '"2023"^^xsd:gYear', "2023"),
            ("evidence", "{EV}", 'rdfs:comment "no evidence"'),
        ],
    ),
    "Supply": (
        """fact:t a cg:Supply ; cg:supplier company:a ; cg:customer company:b ; cg:product product:x ;
            {EV} .""",
        [
            ("supplier", "cg:supplier company:a", "cg:supplier company:b"),
            ("customer", "cg:customer company:b", "cg:customer place:yz"),
            ("product", "cg:product product:x", "cg:product seg:up"),
            ("evidence", "{EV}", 'rdfs:comment "no evidence"'),
        ],
    ),
    "Investment": (
        """fact:t a cg:Investment ; cg:investor company:a ; cg:investee company:b ; {EV} .""",
        [
            ("investor", "cg:investor company:a", "cg:investor company:b"),
            ("investee", "cg:investee company:b", "cg:investee place:yz"),
            ("evidence", "{EV}", 'rdfs:comment "no evidence"'),
        ],
    ),
    "Relocation": (
        """fact:t a cg:Relocation ; cg:firm company:a ; cg:fromPlace place:dg ; cg:toPark park:p ;
            cg:year "2021"^^xsd:gYear ; {EV} .""",
        [
            ("firm", "cg:firm company:a", "cg:firm park:p"),
            ("fromPlace", "cg:fromPlace place:dg", "cg:fromPlace park:p"),
            ("toPark", "cg:toPark park:p ;", ""),
            ("year", '"2021"^^xsd:gYear', '"2021"'),
            ("evidence", "{EV}", 'rdfs:comment "no evidence"'),
        ],
    ),
    "Visit": (
        """fact:t a cg:Visit ; cg:visitor park:p ; cg:visitorNote "经开区招商局"@zh ; cg:target company:a ;
            cg:date "2024-03"^^xsd:gYearMonth ; {EV} .""",
        [
            ("visitor", "cg:visitor park:p", "cg:visitor company:b"),
            ("visitorNote", 'cg:visitorNote "经开区招商局"@zh ;', ""),
            ("target", "cg:target company:a", "cg:target company:a , company:b"),
            ("date", '"2024-03"^^xsd:gYearMonth', '"2024-03"'),
            ("evidence", "{EV}", 'rdfs:comment "no evidence"'),
        ],
    ),
    "Project": (
        """fact:t a cg:Project ; rdfs:label "测试项目"@zh ; cg:firm company:a ; cg:park park:p ;
            cg:leadStage cg:Signed ; cg:year "2024"^^xsd:gYear ; {EV} .""",
        [
            ("label", 'rdfs:label "测试项目"@zh ;', ""),
            ("firm", "cg:firm company:a", "cg:firm company:a , company:b"),
            ("park", "cg:park park:p ;", ""),
            ("leadStage", "cg:Signed", "cg:HighTech"),
            ("year", '"2024"^^xsd:gYear', "2024"),
            ("evidence", "{EV}", 'rdfs:comment "no evidence"'),
        ],
    ),
    "RecruitmentLead": (
        """fact:t a cg:RecruitmentLead ; cg:park park:p ; cg:target company:a ; cg:leadStage cg:Visited ;
            {EV} .""",
        [
            ("park", "cg:park park:p", "cg:park place:yz"),
            ("target", "cg:target company:a ;", ""),
            ("leadStage", "cg:leadStage cg:Visited ;", ""),
            ("evidence", "{EV}", 'rdfs:comment "no evidence"'),
        ],
    ),
    "SegmentLink": (
        """fact:t a cg:SegmentLink ; cg:firm company:a ; cg:segment seg:up ; cg:basis cg:StatedProduct ;
            cg:product product:x ; cg:revenueShare 0.35 ; cg:sameRevenueLineAs "工业清洗系统"@zh ; {EV} .""",
        [
            ("firm", "cg:firm company:a", "cg:firm product:x"),
            ("segment", "cg:segment seg:up", "cg:segment chain:c"),
            ("basis", "cg:StatedProduct", "cg:Upstream"),
            ("product", "cg:product product:x", "cg:product company:b"),
            ("revenueShare", "0.35", "35.0"),
            ("sameRevenueLineAs", '"工业清洗系统"@zh', "product:y"),
            ("sameRevenueLineAs", '"工业清洗系统"@zh', '""'),
            ("evidence", "{EV}", 'rdfs:comment "no evidence"'),
        ],
    ),
    "Figure": (
        """fact:t a cg:Figure ; cg:about company:a ; cg:metric cg:InvestmentAmount ; cg:value 12.5 ;
            cg:unit "亿元"@zh ; cg:year "2023"^^xsd:gYear ; {EV} .""",
        [
            ("about", "cg:about company:a", "cg:about chain:c"),
            ("about", "cg:about company:a", "cg:about company:a , park:p"),
            ("metric", "cg:InvestmentAmount", "cg:HighTech"),
            ("value", "12.5", "12"),
            ("value", "cg:value 12.5 ;", ""),
            ("unit", 'cg:unit "亿元"@zh ;', ""),
            ("year", '"2023"^^xsd:gYear', '"2023-01-01"^^xsd:date'),
            ("evidence", "{EV}", 'rdfs:comment "no evidence"'),
        ],
    ),
    "ReportedCount": (
        """fact:t a cg:ReportedCount ; cg:park park:p ; cg:segment seg:up ; cg:aboutChain chain:c ;
            cg:count 5 ; cg:population "精密压铸企业"@zh ; cg:year "2023"^^xsd:gYear ; {EV} .""",
        [
            ("scope", "cg:park park:p ;", ""),
            ("scope", "cg:park park:p", "cg:park park:p ; cg:city place:yz"),
            ("park", "cg:park park:p", "cg:park place:yz"),
            ("city", "cg:park park:p", "cg:city park:p"),
            ("segment", "cg:segment seg:up", "cg:segment seg:up , seg:down"),
            ("aboutChain", "cg:aboutChain chain:c", "cg:aboutChain seg:up"),
            ("count", "cg:count 5", "cg:count 5.0"),
            ("count", "cg:count 5", "cg:count -1"),
            ("population", 'cg:population "精密压铸企业"@zh ;', ""),
            ("year", '"2023"^^xsd:gYear', '"二〇二三"'),
            ("evidence", "{EV}", 'rdfs:comment "no evidence"'),
        ],
    ),
    "ReportedShare": (
        """fact:t a cg:ReportedShare ; cg:park park:p ; cg:metric cg:ReferralShareMetric ; cg:share 0.5 ;
            cg:population "新引进项目"@zh ; {EV} .""",
        [
            ("scope", "cg:park park:p ;", ""),
            ("scope", "cg:park park:p", "cg:park park:p ; cg:city place:yz"),
            ("park", "cg:park park:p", "cg:park place:yz"),
            ("city", "cg:park park:p", "cg:city park:p"),
            ("metric", "cg:ReferralShareMetric", "cg:Upstream"),
            ("share", "0.5", "1.5"),
            ("share", "0.5", '"近一半"@zh'),
            ("population", 'cg:population "新引进项目"@zh ;', ""),
            ("evidence", "{EV}", 'rdfs:comment "no evidence"'),
        ],
    ),
    "PlanningStatement": (
        """fact:t a cg:PlanningStatement ; cg:intent cg:FillGap ; cg:topic "玻璃基板"@zh ; cg:segment seg:up ;
            cg:aboutChain chain:c ; cg:park park:p ; {EV} .""",
        [
            ("intent", "cg:FillGap", "cg:Upstream"),
            ("intent", "cg:intent cg:FillGap ;", ""),
            ("topic", 'cg:topic "玻璃基板"@zh ;', ""),
            ("segment", "cg:segment seg:up", "cg:segment product:x"),
            ("aboutChain", "cg:aboutChain chain:c", "cg:aboutChain chain:c , seg:up"),
            ("park", "cg:park park:p", "cg:park place:yz"),
            ("evidence", "{EV}", 'rdfs:comment "no evidence"'),
        ],
    ),
}

# Variants of a valid snippet that must stay valid: (class, old, new).  Each pairs with a
# mutation above (same ``old``) that flips the verdict, e.g. a city-wide count (cg:city) is
# valid, a count with both cg:park and cg:city or a cg:city that is not a place is not.
VALID_VARIANTS: list[tuple[str, str, str]] = [
    ("Figure", "cg:about company:a", "cg:about park:p"),
    ("Figure", "cg:about company:a", "cg:about place:yz"),
    ("ReportedCount", "cg:park park:p", "cg:city place:yz"),
    ("ReportedShare", "cg:park park:p", "cg:city place:yz"),
]


def _graph(snippet: str = "") -> rdflib.Graph:
    return rdflib.Graph().parse(data=BASE + snippet.replace("{EV}", EV), format="turtle")


def _shacl_rules(snippet: str) -> set[str]:
    report = validate_graph(_graph(snippet), checks=False, cycles=False)
    assert report.conforms == (not report.problems)
    return {p.rule for p in report.problems}


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")


def test_base_world_conforms():
    report = validate_graph(_graph())
    assert report.conforms, report.to_text()


@pytest.mark.parametrize("cls", sorted(CASES))
def test_valid_example_conforms(cls):
    valid, _ = CASES[cls]
    assert _shacl_rules(valid) == set()


@pytest.mark.parametrize(
    "cls, old, new", [pytest.param(*v, id=f"{v[0]}-{i}") for i, v in enumerate(VALID_VARIANTS)]
)
def test_valid_variant_conforms(cls, old, new):
    valid, mutations = CASES[cls]
    assert old in valid, f"variant {old!r} does not apply"
    assert any(o == old for _s, o, _n in mutations), "each valid variant pairs with an invalid mutation"
    assert _shacl_rules(valid.replace(old, new, 1)) == set()


INVALID = [
    pytest.param(cls, shape, old, new, id=f"{cls}-{shape}-{i}")
    for cls, (_, mutations) in sorted(CASES.items())
    for i, (shape, old, new) in enumerate(mutations)
]


@pytest.mark.parametrize("cls, shape, old, new", INVALID)
def test_invalid_example_fires_its_shape(cls, shape, old, new):
    valid, _ = CASES[cls]
    assert old in valid, f"mutation {old!r} does not apply"
    rules = _shacl_rules(valid.replace(old, new, 1))
    assert f"cgsh:{cls}-{shape}" in rules, rules


def test_every_shape_has_cases(shapes):
    node_shapes = {str(s) for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, rdflib.URIRef)}
    prop_shapes = {str(s) for s in shapes.subjects(RDF.type, SH.PropertyShape)}
    assert node_shapes == {str(CGSH[f"{cls}Shape"]) for cls in CASES}
    covered = {str(CGSH[f"{cls}-{shape}"]) for cls, (_, muts) in CASES.items() for shape, _o, _n in muts}
    assert prop_shapes == covered


def test_targets_are_instance_classes_of_the_tbox(shapes):
    tbox = rdflib.Graph().parse(ontology_dir() / "chaingraph.ttl", format="turtle")
    targets = set(shapes.objects(None, SH.targetClass))
    assert {t.split("#")[1] for t in targets} == set(CASES)
    for t in targets:
        assert (t, RDF.type, OWL.Class) in tbox, t


def test_every_shape_is_named_in_both_languages(shapes):
    named = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    named = {s for s in named if isinstance(s, rdflib.URIRef)}
    assert len(named) > 100
    for s in named:
        assert str(s).startswith(str(CGSH)), s
        for prop in (RDFS.label, SH.name, SH.message):
            langs = sorted(o.language for o in shapes.objects(s, prop))
            assert langs == ["en", "zh"], (s, prop, langs)


def test_every_property_shape_is_used_by_a_node_shape(shapes):
    used = set(shapes.objects(None, SH.property))
    assert set(shapes.subjects(RDF.type, SH.PropertyShape)) == used


def test_shapes_graph_is_valid_shacl(shapes):
    # pyshacl's meta-validation checks the shapes graph against SHACL-SHACL.
    conforms, _g, text = pyshacl.validate(rdflib.Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def test_violation_messages_are_bilingual():
    valid, _ = CASES["Figure"]
    report = validate_graph(_graph(valid.replace("12.5", "12", 1)), checks=False, cycles=False)
    (problem,) = report.problems
    assert problem.kind == "shacl"
    assert problem.focus == "fact:t" and problem.path == "cg:value"
    assert "xsd:decimal" in problem.message and "数值" in problem.message


def test_park_or_city_message_is_bilingual():
    valid, _ = CASES["ReportedCount"]
    report = validate_graph(_graph(valid.replace("cg:park park:p ;", "", 1)), checks=False, cycles=False)
    (problem,) = report.problems
    assert problem.rule == "cgsh:ReportedCount-scope" and problem.focus == "fact:t"
    assert "cg:city" in problem.message and "城市" in problem.message
