"""The phrasing patterns of issue #19 (real local news), pinned on short sentences written for
these tests (invented firms; no development-set text), plus a floor on the development set
itself when it is present beside the repository."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from chaingraph.ingest.extract import extract
from chaingraph.ingest.report import to_report
from chaingraph.normalize import normalize


def _names(ex) -> set[str]:
    return {f.name for f in ex.firms}


def _rels(ex, typ: str) -> set[tuple[str, str]]:
    names = {f.key: f.name for f in ex.firms}
    return {(names.get(r.source, r.source), names.get(r.target, r.target)) for r in ex.relations if r.type == typ}


# ---------------------------------------------------------------- cleaning

def test_pinyin_inserted_after_characters_is_dropped():
    n = normalize("星河電(diàn)子科技有限公司与摩托车(mótuōchē)产业")
    assert n.text == "星河电子科技有限公司与摩托车产业"
    assert n.slice_original(0, 2) == "星河"


def test_ascii_punctuation_between_chinese_words_becomes_full_width():
    assert normalize("县长:王某,带队考察;数量1,000台").text == "县长：王某，带队考察；数量1,000台"


def test_name_split_by_a_line_break_and_in_traditional_script():
    ex = extract("湖南星\n河電子科技有限公司落戶園區。")
    assert ex.firms[0].full_name == "湖南星河电子科技有限公司"


def test_place_in_brackets_inside_a_name_and_stock_code_after_a_name():
    ex = extract("青禾（永州）新能源有限公司签约落户。考察组走访了蓝海科技（300123）。")
    assert "青禾（永州）新能源有限公司" in {f.full_name for f in ex.firms}
    assert "蓝海科技" in _names(ex)


# ---------------------------------------------------------------- firms

def test_bare_trade_names_in_a_counted_enumeration():
    ex = extract("去年园区引进了蓝海、金帆、青禾等12家机械制造类企业。")
    assert {"蓝海", "金帆", "青禾"} <= _names(ex)


def test_enumeration_after_a_verb_without_deng():
    ex = extract("全区先后引进金帆、青禾、白鹭、紫荆电动车整车项目。")
    assert {"金帆", "青禾", "白鹭", "紫荆"} <= _names(ex)


def test_firm_and_person_items_in_a_guest_list():
    ex = extract("金帆木工机械张明、青禾精密机械李强、白鹭数控机械王刚等应邀同行。")
    assert {"金帆木工机械", "青禾精密机械", "白鹭数控机械"} <= _names(ex)


def test_known_firm_is_linked_without_replacing_the_articles_name():
    ex = extract("湖南星海精密科技有限公司与白鹭包装有限公司签约落户。",
                 known_firms=[("urn:x:xinghai", ["星海精密"])])
    star = next(f for f in ex.firms if f.known_iri == "urn:x:xinghai")
    assert star.full_name == "湖南星海精密科技有限公司"  # the article's own form
    assert star.name == "星海精密科技" and "星海精密科技" in star.aliases
    assert any(f.full_name == "白鹭包装有限公司" and f.known_iri is None for f in ex.firms)


def test_declared_short_name_joins_its_firm():
    ex = extract("常宁青禾光电科技有限公司（下称“常宁青禾”）投产。常宁青禾主要生产光伏玻璃。")
    assert len(ex.firms) == 1 and "常宁青禾" in ex.firms[0].aliases


def test_same_trade_name_in_two_places_is_two_firms():
    ex = extract("由杭州金帆鞋业进出口有限公司投资建设的河南金帆鞋业公司即将投产。")
    assert len(ex.firms) == 2
    assert _rels(ex, "investment") == {("金帆鞋业进出口", "金帆鞋业")}


@pytest.mark.parametrize("text", [
    "园区与东莞市湖南商会、湘南学院签订战略合作框架协议，带来20余家配套企业。",
    "永州经开区管委会与星城大学共建研究院。",
    "临武县已与广州、深圳、东莞等地多家企业签订一批项目。",
])
def test_non_firms_are_not_firms(text):
    ex = extract(text)
    assert not ex.firms and not [r for r in ex.relations if r.type != "project"]


# ---------------------------------------------------------------- relations

def test_supplier_of_listed_customers():
    ex = extract("宏远电子科技有限公司是华星汽车、蓝天电器等知名企业的一、二级供应商。")
    assert _rels(ex, "supply") == {("宏远电子科技", "华星汽车"), ("宏远电子科技", "蓝天电器")}
    assert all(r.collective for r in ex.relations if r.type == "supply")


def test_supply_lead_and_support_is_collective():
    ex = extract("园区形成了以星河食品、蓝鲸食品为龙头，白鹭包装、青禾包装为配套的产业集群。")
    assert _rels(ex, "supply") == {(s, c) for s in ("白鹭包装", "青禾包装") for c in ("星河食品", "蓝鲸食品")}
    assert all(r.collective for r in ex.relations if r.type == "supply")


def test_supply_up_and_downstream_from_a_quote():
    ex = extract("星辰车业有限公司落户园区。“我们的产品上游有白鹭电机公司，下游有蓝天车业和青禾模具等公司。”")
    assert _rels(ex, "supply") == {("白鹭电机", "星辰车业"), ("星辰车业", "蓝天车业"), ("星辰车业", "青禾模具")}


def test_supply_from_an_order():
    ex = extract("金帆塑胶有限公司落户园区。公司当年就拿到了蓝鲸日化有限公司的订单。")
    assert _rels(ex, "supply") == {("金帆塑胶", "蓝鲸日化")}


@pytest.mark.parametrize("text, firms", [
    ("考察组一行先后走访了星河电子、蓝鲸科技等企业。", {"星河电子", "蓝鲸科技"}),
    ("县委书记率队赴深圳拜访了金帆智能科技有限公司。", {"金帆智能科技"}),
    ("今年以来，招商局先后南下长三角招商，与银杉集团进行对接洽谈。", {"银杉集团"}),
    ("区长一行面拜会了青禾新材料有限公司董事长。", {"青禾新材料"}),
    ("考察团先后走进白鹭电子、一家无人机企业、江苏蓝海、紫荆照明股份有限公司等地。", {"白鹭电子", "江苏蓝海", "紫荆照明"}),
])
def test_visits_by_the_delegation(text, firms):
    ex = extract(text)
    got = {t for s, t in _rels(ex, "visit")}
    assert got == firms
    assert {r["source"] for r in to_report(ex)["relations"] if r["type"] == "visit"} == {"park"}


def test_a_firm_visiting_is_not_a_visit_of_the_park():
    ex = extract("星河电子有限公司董事长一行来到园区参观考察。")
    assert not _rels(ex, "visit")


@pytest.mark.parametrize("text, firm, place", [
    ("从东莞引进的星河电子有限公司已经投产。", "星河电子", "东莞"),
    ("金帆科技有限公司由深圳整体迁入园区。", "金帆科技", "深圳"),
    ("青禾汽车部件有限公司落户园区。企业原本在浙江温州。", "青禾汽车部件", "温州"),
    ("白鹭鞋业有限公司负责人说：“我们是从上海搬迁过来的。”", "白鹭鞋业", "上海"),
    ("他将自家工厂从保定迁到了县城。如今，他的蓝湾鞋业有限公司年产鞋百万双。", "蓝湾鞋业", "保定"),
])
def test_relocations(text, firm, place):
    ex = extract(text)
    assert (firm, place) in _rels(ex, "relocation")


def test_relocation_founded_elsewhere_then_home():
    ex = extract("刘某返乡创业。他曾在浙江德清创办了加工企业。金帆家具有限公司董事长刘某说。")
    assert ("金帆家具", "浙江德清") in {(a, b) for a, b in _rels(ex, "relocation")} or \
        ("金帆家具", "德清") in _rels(ex, "relocation")


@pytest.mark.parametrize("text, pairs", [
    ("星河集团投资兴建了蓝湾电子有限公司。", {("星河集团", "蓝湾电子")}),
    ("星河集团与白鹭科技共同出资15亿元，设立青禾新材料有限公司。",
     {("星河集团", "青禾新材料"), ("白鹭科技", "青禾新材料")}),
    ("由金帆能源与银杉能源、紫荆公司三方合资组建金帆（木垒）风电有限公司。",
     {("金帆能源", "金帆风电"), ("银杉能源", "金帆风电"), ("紫荆", "金帆风电")}),
])
def test_investments(text, pairs):
    ex = extract(text)
    assert _rels(ex, "investment") == pairs


def test_a_project_in_the_park_is_not_an_investment():
    ex = extract("星河电子有限公司投资5亿元建设电池项目，已签约落户园区。")
    assert not _rels(ex, "investment")
    assert [r.type for r in ex.relations] == ["project"]
    assert to_report(ex)["projects"][0]["firm"] == "星河电子"


def test_referrals_put_in_by_a_person_of_the_firm():
    ex = extract("白鹭智能科技有限公司当起了“招商员”。董事长陈某把产业链上下游的金帆科技公司、青禾机器人公司推介到园区落户。")
    assert _rels(ex, "referral") == {("白鹭智能科技", "金帆科技"), ("白鹭智能科技", "青禾机器人")}
    assert all(r.collective for r in ex.relations if r.type == "referral")


def test_referral_the_firm_brought_in_two_firms():
    ex = extract("通过以商招商，星河光学先后为园区引进了投资2亿元的金帆科技和投资1亿元的青禾医疗两家企业。")
    assert _rels(ex, "referral") == {("星河光学", "金帆科技"), ("星河光学", "青禾医疗")}


def test_collective_referral_is_expanded_and_flagged():
    ex = extract("星河电子、白鹭科技带动了金帆精密、青禾模具落户园区。")
    assert _rels(ex, "referral") == {(a, b) for a in ("星河电子", "白鹭科技") for b in ("金帆精密", "青禾模具")}
    assert all(r.collective for r in ex.relations if r.type == "referral")


def test_anaphora_to_the_previous_sentences_firm():
    ex = extract("星河电子有限公司落户园区。该公司是蓝鲸汽车的供应商。")
    assert _rels(ex, "supply") == {("星河电子", "蓝鲸汽车")}


def test_cooperation_agreement_is_no_relation():
    ex = extract("星河电子有限公司与蓝鲸汽车有限公司签订了战略合作框架协议。")
    assert not [r for r in ex.relations if r.type in ("referral", "supply", "investment")]


def test_report_shape_of_the_issue():
    rep = to_report(extract("星河集团投资兴建了蓝湾电子有限公司。考察组走访了蓝湾电子。"))
    assert {"source", "park", "firms", "relations"} <= set(rep)
    for f in rep["firms"]:
        assert {"name", "full_name", "aliases", "in_park", "origin", "products", "segments", "known_iri"} <= set(f)
    names = {f["name"] for f in rep["firms"]}
    for r in rep["relations"]:
        assert {"type", "source", "target", "evidence"} <= set(r)
        assert {"quote", "start", "end"} <= set(r["evidence"])
        assert r["target"] in names and (r["source"] in names or r["source"] == "park")


# ---------------------------------------------------------------- the development set

DEVSET = Path(os.environ.get("CHAINGRAPH_DEVSET", Path(__file__).resolve().parents[2] / "shared" / "devset"))


@pytest.mark.slow
@pytest.mark.skipif(not (DEVSET / "score.py").is_file(), reason="development set not beside the repository")
def test_devset_floors():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import extraction_devset as bench

    groups, _, sc = bench.run(DEVSET)
    ft, rt = groups["all"]
    assert sc.prf(ft["ftp"], ft["ffp"], ft["ffn"])[2] >= 0.88
    tot: dict = {}
    for d in rt.values():
        sc.add(tot, d)
    assert sc.prf(tot["tp"], tot["fp"], tot["fn"])[2] >= 0.85
    for typ, d in rt.items():
        assert sc.prf(d["tp"], d["fp"], d["fn"])[2] >= 0.7, typ
    assert json.dumps(groups)  # plain data


def test_investment_is_staged_valid_and_merged_once():
    import rdflib

    from chaingraph.ingest.merging import merge_staging
    from chaingraph.ingest.staging import to_staging
    from chaingraph.namespaces import CG
    from chaingraph.validate import validate_graph

    ex = extract("星河集团与白鹭科技共同出资15亿元，设立青禾新材料有限公司。", source="t.txt")
    staged = to_staging(ex, file_name="t.txt", sha256="0" * 64)
    inv = list(staged.subjects(rdflib.RDF.type, CG.Investment))
    assert len(inv) == 2 and all(staged.value(n, CG.investee) for n in inv)
    shacl = [p for p in validate_graph(staged, checks=False, cycles=False).problems
             if "Investment" in str(p) or "invest" in str(p)]
    assert not shacl, shacl
    target = rdflib.Graph()
    first = merge_staging(target, staged)
    again = merge_staging(target, staged)
    assert first["added"] > 0 and again["added"] == 0
    assert len(list(target.subjects(rdflib.RDF.type, CG.Investment))) == 2


def test_advert_lines_are_not_read():
    ex = extract("【广告】金帆电动车有限公司加盟代理 详询：400-0000-000\n星河电子有限公司落户园区。"
                 "▲▲【广告】白鹭厂房有限公司直租 电话139****0000 ▲▲青禾科技有限公司投产。")
    assert {f.name for f in ex.firms} == {"星河电子", "青禾科技"}
    q = ex.firms[0].mentions[0].span
    assert ex.text.original[q.start:q.end] == "星河电子有限公司"


@pytest.mark.parametrize("known, text", [
    ("机器人", "园区大力发展工业机器人产业，引进星河电子有限公司。"),  # a listed firm's short name that is a common word
    ("新华网", "新华网长沙3月7日电 星河电子有限公司落户园区。"),  # a news outlet in a dateline
])
def test_known_names_shaped_like_common_words_are_not_mentions(known, text):
    ex = extract(text, known_firms=[("urn:x:k", [known])])
    assert {f.name for f in ex.firms} == {"星河电子"} and all(f.known_iri is None for f in ex.firms)


@pytest.mark.parametrize("text, firms", [
    ("周边50公里范围内还有金帆、青禾、白鹭、紫荆汽车等。", {"金帆", "青禾", "白鹭", "紫荆汽车"}),
    ("园区内，蓝海汽车部件的座椅车间正在满负荷运转。", {"蓝海汽车部件"}),
    ("星河国际拟与蓝湾化工携手建设新项目。", {"蓝湾化工"}),
])
def test_more_name_positions(text, firms):
    assert firms <= _names(extract(text))


def test_products_closing_a_sentence_are_not_firms():
    ex = extract("重点发展电机、电池、电控等。建设土猪、土鸡等特色原料生产基地。")
    assert not ex.firms
