"""Extraction rules on short sentences written for these tests (not taken from the seeds)."""

import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from chaingraph.ingest.extract import extract
from chaingraph.ingest.names import find_firm_mentions, parse_name
from chaingraph.ingest.report import to_report
from chaingraph.ingest.merging import known_firms, merge_staging
from chaingraph.ingest.staging import company_iri, to_staging
from chaingraph.namespaces import CG
from chaingraph.normalize import normalize


def firm_names(text, **kw):
    return sorted(f.name for f in extract(text, **kw).firms)


def rels(text, kind, **kw):
    ex = extract(text, **kw)
    names = {f.key: f.name for f in ex.firms}
    return sorted((names.get(r.source, r.source), names.get(r.target, r.target))
                  for r in ex.relations if r.type == kind)


# ---------------------------------------------------------------- names

def test_full_legal_name_after_verb():
    ms = find_firm_mentions("近日，市领导走访了江西蓝海光电科技有限公司。")
    assert [m.text for m in ms] == ["江西蓝海光电科技有限公司"]


def test_full_name_with_parenthesised_region():
    ms = find_firm_mentions("他们来到鼎丰机电（赣州）有限公司的新车间。")
    assert [m.text for m in ms] == ["鼎丰机电（赣州）有限公司"]
    p = parse_name("鼎丰机电（赣州）有限公司")
    assert (p.trade, p.paren) == ("鼎丰", "（赣州）")


def test_chained_regions_kept():
    ms = find_firm_mentions("据介绍，江苏省苏州市恒远精密模具股份有限公司已投产。")
    assert ms[0].text == "江苏省苏州市恒远精密模具股份有限公司"


def test_trade_name_with_function_like_char_not_cut():
    # 为 is a preposition, but cutting there would leave no trade name
    assert [m.text for m in find_firm_mentions("记者采访了华为技术有限公司。")] == ["华为技术有限公司"]


def test_short_name_with_role_noun():
    assert "博瑞电子" in firm_names("博瑞电子负责人表示，订单已排到年底。")


def test_x_gongsi_short_name():
    ex = extract("2021年，鑫泰源公司从宁波整体回迁。")
    assert [f.name for f in ex.firms] == ["鑫泰源"]


def test_bare_trade_names_in_firm_list():
    assert firm_names("园区先后引进了云舟、洛石、青禾等企业。") == ["云舟", "洛石", "青禾"]


def test_category_list_is_not_firms():
    assert firm_names("同时引进纺纱、涂料、贴膜等配套企业。") == []
    assert firm_names("补足冲压、抛光等生产环节企业。") == []


@pytest.mark.parametrize("text", [
    "市商务局、市发改委、园区管委会和区政府联合召开会议。",
    "浙江理工大学与湖南工程学院签订合作协议。",
    "赣州经开区、吉安高新区和鹰潭产业园联合推介。",
    "通过“赣商汇”平台加强与异地商会的联络。",
    "江西省电子行业协会和赣州市湖南商会参加了活动。",
    "2024中国电子信息博览会暨产业发展大会在南昌举行。",
    "该公司与建设银行、兴业银行合作开展融资。",
    "中南大学、湘潭大学等高校与园区企业开展合作。",
])
def test_non_firms(text):
    assert firm_names(text) == []


def test_short_alias_links_to_full_name():
    text = "江西蓝海光电科技有限公司是园区骨干企业。蓝海光电负责人介绍，订单增长三成。"
    ex = extract(text)
    assert len(ex.firms) == 1
    f = ex.firms[0]
    assert f.full_name == "江西蓝海光电科技有限公司"
    assert "蓝海光电" in f.aliases
    assert f.name == "蓝海光电"


def test_link_to_known_firm():
    ex = extract("蓝海光电负责人表示将扩产。", known_firms=[("urn:firm:lh", ["江西蓝海光电科技有限公司"])])
    assert ex.firms[0].known_iri == "urn:firm:lh"


# ---------------------------------------------------------------- relations

def test_referral_chain_leader_pull():
    r = rels("通过星河电子带动，园区成功引进了蓝鲸、白鹭等企业。", "referral")
    assert r == [("星河电子", "白鹭"), ("星河电子", "蓝鲸")]
    ex = extract("通过星河电子带动，园区成功引进了蓝鲸、白鹭等企业。")
    assert {x.kind for x in ex.relations if x.type == "referral"} == {"LeaderPull"}


def test_referral_with_anaphor_and_supply_from_upstream():
    text = "宏川科技有限公司2022年落户高新区。该公司成功引荐上游企业锐拓电子落户。"
    assert rels(text, "referral") == [("宏川科技", "锐拓电子")]
    assert rels(text, "supply") == [("锐拓电子", "宏川科技")]
    ex = extract(text)
    ref = next(r for r in ex.relations if r.type == "referral")
    assert ref.kind == "PeerReferral" and ref.stage == "Landed"


def test_referral_by_introduction():
    assert rels("经朋友牵线，远航电子介绍凌云科技落户园区。", "referral") == [("远航电子", "凌云科技")]


def test_no_referral_when_park_recruits():
    assert rels("园区引进了云舟、洛石等企业。", "referral") == []


def test_supply_pei_tao():
    assert rels("恒远精密模具有限公司主要为比邻汽车提供配套。", "supply") == [("恒远精密模具", "比邻汽车")]


def test_relocation_origin():
    ex = extract("2023年，鑫泰源科技有限公司从苏州整体回迁至园区。")
    f = ex.firms[0]
    assert f.origin == "苏州"
    r = next(r for r in ex.relations if r.type == "relocation")
    assert (r.place, r.year) == ("苏州", 2023)


def test_visit_targets_and_note():
    text = "3月2日，市委常委、高新区党工委书记李明率队赴杭州招商。此行先后考察了杭州云帆科技有限公司、浙江青石智能装备有限公司。"
    ex = extract(text, park="赣州高新区")
    visits = [r for r in ex.relations if r.type == "visit"]
    assert sorted(ex.firm(r.target).name for r in visits) == ["云帆科技", "青石智能装备"]
    assert all(r.source == "赣州高新区" for r in visits)
    assert "书记" in visits[0].note
    assert not any(f.in_park for f in ex.firms)


def test_project_with_amount_and_year():
    ex = extract("宏川科技有限公司2022年落户高新区，总投资约5.5亿元。")
    inv = [r for r in ex.relations if r.type == "project"]
    assert len(inv) == 1 and inv[0].amount == 5.5 and inv[0].unit == "亿元" and inv[0].year == 2022
    assert ex.firms[0].in_park


def test_tier_and_products_to_segments():
    text = "湖南晶钽电子有限公司是国家级专精特新“小巨人”企业，主要生产片式钽电容、陶瓷电容等。"
    ex = extract(text, product_terms={"钽电容": "urn:seg:tantalum", "陶瓷电容": "urn:seg:mlcc"})
    f = ex.firms[0]
    assert [t.tier for t in f.tiers] == ["LittleGiant"]
    assert f.segments == ["urn:seg:mlcc", "urn:seg:tantalum"]


def test_high_tech_tier():
    ex = extract("江西蓝海光电科技有限公司是一家集研发、生产于一体的高新技术企业。")
    assert [t.tier for t in ex.firms[0].tiers] == ["HighTech"]


# ---------------------------------------------------------------- offsets

def test_offsets_in_traditional_spaced_original():
    original = "近日，記者走訪了湖 南 藍 海 光 電 科 技 有 限 公 司 。"
    ex = extract(original)
    f = ex.firms[0]
    assert f.full_name == "湖南蓝海光电科技有限公司"
    m = f.mentions[0]
    assert original[m.span.start] == "湖" and original[m.span.end - 1] == "司"
    assert normalize(original).slice_original(m.span.start, m.span.end) == m.span.quote


def test_relation_evidence_offsets_round_trip():
    original = "通過星河電子帶動，\n成功引進了 藍鯨、白鷺等企業。"
    ex = extract(original)
    norm = normalize(original)
    for r in ex.relations:
        assert norm.slice_original(r.evidence.start, r.evidence.end) == r.evidence.quote


# ---------------------------------------------------------------- staging and merge

TEXT = "通过星河电子带动，园区成功引进了蓝鲸、白鹭等企业。星河电子科技有限公司从东莞整体回迁。"


def stage(text=TEXT, **kw):
    return to_staging(extract(text, **kw), file_name="t.txt", sha256="ab" * 32, park_iri="urn:park:p")


def test_staging_is_deterministic():
    g1, g2 = stage(), stage()
    assert isomorphic(g1, g2)
    assert len(g1 + g2) == len(g1)  # same IRIs, no blank-node copies


def test_staging_shape():
    g = stage()
    star = company_iri("星河")
    assert (star, RDF.type, CG.Company) in g
    assert (star, CG.fullName, Literal("星河电子科技有限公司", lang="zh")) in g
    assert len(list(g.objects(star, RDFS.label))) == 1
    assert len(list(g.subjects(RDF.type, CG.Referral))) == 2
    assert len(list(g.objects(star, CG.referred))) == 2
    for ev in g.subjects(RDF.type, CG.Evidence):
        assert g.value(ev, CG.start) is not None and g.value(ev, CG.quote) is not None


def test_merge_twice_adds_nothing(tmp_path):
    first = merge_staging(tmp_path, stage())
    assert first["added"] > 0 and (tmp_path / "ingested.ttl").exists()
    again = merge_staging(tmp_path, stage())
    assert again["added"] == 0
    assert not list(tmp_path.glob(".ingested-*"))


def test_merge_new_alias_not_duplicate(tmp_path):
    merge_staging(tmp_path, stage("江西蓝海光电科技有限公司是园区骨干企业。"))
    report = merge_staging(tmp_path, stage("蓝海光电负责人表示，将扩建厂房。"))
    g = Graph().parse(tmp_path / "ingested.ttl")
    firms = set(g.subjects(RDF.type, CG.Company))
    assert len(firms) == 1
    firm = firms.pop()
    assert Literal("蓝海光电", lang="zh") in set(g.objects(firm, CG.shortName))
    assert len(list(g.objects(firm, RDFS.label))) == 1
    assert report["linked_firms"] == 1


def test_merge_links_to_known_graph():
    known = Graph()
    known.add((company_iri("x"), RDF.type, CG.Company))
    from rdflib import URIRef
    k = URIRef("https://w3id.org/chaingraph/id/company/lanhai")
    known.add((k, RDF.type, CG.Company))
    known.add((k, RDFS.label, Literal("蓝海光电", lang="zh")))
    target = Graph()
    merge_staging(target, stage("江西蓝海光电科技有限公司是园区骨干企业。"), known=known)
    assert set(target.subjects(RDF.type, CG.Company)) == {k}
    assert (k, CG.fullName, Literal("江西蓝海光电科技有限公司", lang="zh")) in target
    assert not list(target.objects(k, RDFS.label))  # the known graph already labels it
    assert ("https://w3id.org/chaingraph/id/company/lanhai", ["蓝海光电"]) in known_firms(known)


def test_report_shape():
    r = to_report(extract(TEXT))
    assert set(r) == {"source", "park", "firms", "relations", "projects"}
    star = next(f for f in r["firms"] if f["full_name"] == "星河电子科技有限公司")
    assert star["origin"] == "东莞" and "星河电子" in star["aliases"]
    assert {x["type"] for x in r["relations"]} >= {"referral", "relocation"}


# ---------------------------------------------------------------- generalisation patterns

def test_one_char_before_preposition_is_not_a_cut():
    # 为 is a preposition, but 华为 is one word: 华为终端 must not lose 华为
    assert [m.text for m in find_firm_mentions("据了解，华为数码有限公司已签约。")] == ["华为数码有限公司"]


def test_soft_boundary_inside_anchored_name():
    ms = find_firm_mentions("调研组走访了无锡天合联合机电有限公司。")
    assert [m.text for m in ms] == ["无锡天合联合机电有限公司"]


def test_group_prefix_before_region():
    ms = find_firm_mentions("代表团考察了中铁长沙轨道装备有限公司。")
    assert [m.text for m in ms] == ["中铁长沙轨道装备有限公司"]


def test_research_institute_company_is_a_firm_but_institute_is_not():
    names = firm_names("市科技局与湘南新材料研究院有限公司签约。湘南研究院负责人表示满意。")
    assert names == ["湘南新材料研究院"] or names == ["湘南研究院"]
    assert firm_names("市工业技术研究院举办了座谈会。") == []


def test_latin_trade_name_short_form():
    assert "ABC星光电" in firm_names("ABC星光电与园区开展了多轮对接。")


def test_enumeration_siblings_without_deng():
    names = firm_names("依托链主企业，园区吸引了配套企业金源五金、华泰模具、立信包装入驻。")
    assert {"金源五金", "华泰模具", "立信包装"} <= set(names)


def test_enumeration_stops_at_deng():
    names = firm_names("星辰科技、远航电子等一批企业实现当月签约、当月投产。")
    assert "当月" not in names


def test_counted_list_with_yu_and_generic_filler():
    names = firm_names("累计引进了鼎盛科技、云岭锦绣、华辉电控等30余家产业链企业。")
    assert {"云岭锦绣", "华辉电控"} <= set(names)


def test_category_list_still_not_firms():
    assert firm_names("围绕电机、电池、电控等关键环节企业补链。") == []


def test_alias_trade_plus_group_and_last_industry_word():
    ex = extract("湖南鸿图集团股份有限公司落户园区。鸿图集团负责人表示满意。")
    assert len(ex.firms) == 1 and "鸿图集团" in ex.firms[0].names


def test_contraction_links_to_full_name():
    ex = extract("代表团考察了中铁长沙轨道装备有限公司。在中铁长装的推荐下，星河电子签约落户。")
    full = [f for f in ex.firms if f.full_name == "中铁长沙轨道装备有限公司"][0]
    assert "中铁长装" in full.names
    assert rels("代表团考察了中铁长沙轨道装备有限公司。在中铁长装的推荐下，星河电子签约落户。", "referral")


def test_supply_is_core_supplier():
    got = rels("湖南金川铜业有限公司是广东银河电子有限公司的核心供应商。", "supply")
    assert got == [("金川铜业", "银河电子")]


def test_supply_its_suppliers_enumeration():
    got = rels("在广东银河电子有限公司的带动下，其上游供应商湖南金川铜业有限公司、"
               "湖南宝峰化工有限公司先后落户园区。", "supply")
    assert ("金川铜业", "银河电子") in got and ("宝峰化工", "银河电子") in got


def test_supply_for_it_then_de():
    got = rels("在链主企业广东银河电子有限公司的带动下，为其提供结构件配套的金川精密五金有限公司、"
               "提供电解液的宝峰化学有限公司相继入驻。", "supply")
    assert len(got) == 2 and all(c == "银河电子" for _, c in got)


def test_supply_long_pei_tao_clause():
    got = rels("湖南宝峰化工有限公司主要为广东银河电子有限公司提供蚀刻液、显影液等化学品配套。", "supply")
    assert got == [("宝峰化工", "银河电子")]


def test_supplier_noun_is_not_a_supply_verb():
    # 推荐其供应商B: B supplies the referrer, never the reverse
    got = rels("银河电子有限公司推荐其供应商宝峰光学科技有限公司落户。", "supply")
    assert got == [("宝峰光学科技", "银河电子")]


def test_relocation_with_firm_after():
    ex = extract("据了解，从深圳市南山区整体搬迁至园区的飞扬通讯设备有限公司产值增长三成。")
    r = [r for r in ex.relations if r.type == "relocation"]
    assert [(x.place) for x in r] == ["深圳"]


def test_visit_skips_possessive_qualifier():
    ex = extract("管委会主任率队考察了星河电子有限公司的合作伙伴——远航精密制造有限公司。")
    targets = {ex.firm(r.target).name for r in ex.relations if r.type == "visit"}
    assert targets == {"远航精密制造"}


def test_project_she_li():
    ex = extract("银河光学科技有限公司在园区设立研发总部。")
    assert [r.type for r in ex.relations] == ["project"]  # a project in the park, not an investment


@pytest.mark.parametrize("text", [
    "东莞市电子信息行业协会组织会员企业考察。",
    "邵阳市在粤商会发挥桥梁作用。",
    "中国国际电子信息博览会在深圳举行。",
    "东莞农村商业银行为企业授信15亿元。",
    "松山湖材料实验室与园区共建平台。",
    "湖南有色金属职业技术学院举办推介会。",
])
def test_more_non_firms(text):
    assert firm_names(text) == []


# ---------------------------------------------------------------- second round (heldout2)

def test_plant_named_region_product_chang():
    assert firm_names("衡阳卷烟厂是当地的纳税大户。") == ["衡阳卷烟厂"]


@pytest.mark.parametrize("text", [
    "今年新增湖南省绿色工厂8家。",          # an honour, not a plant
    "园区建设了一批智能工厂。",
])
def test_generic_gongchang_is_not_a_firm(text):
    assert firm_names(text) == []


def test_time_word_before_gongsi_is_not_a_firm():
    names = firm_names("宏图电子董事长介绍，近两年公司先后推荐了8家企业。")
    assert names == ["宏图电子"]


def test_xin_after_de_starts_a_trade_name():
    ex = extract("蓝天化工集团有限公司旗下的新宇精细化工有限公司正式开工。")
    assert any(f.full_name == "新宇精细化工有限公司" for f in ex.firms)


def test_subsidiary_of_group_is_a_second_firm():
    ex = extract("经鑫源印务推荐，浙江大成科技集团旗下的大成包装材料有限公司签约落户。大成包装负责人表示满意。")
    fulls = sorted(f.full_name for f in ex.firms if f.full_name)
    assert fulls == ["大成包装材料有限公司", "浙江大成科技集团"]
    sub = next(f for f in ex.firms if f.full_name == "大成包装材料有限公司")
    assert "大成包装" in sub.names
    got = rels("经鑫源印务推荐，浙江大成科技集团旗下的大成包装材料有限公司签约落户。", "referral")
    assert len(got) == 1 and got[0][1].startswith("大成包装")  # the parent is not a referee


def test_region_plus_trade_short_form():
    ex = extract("湖北星源新能源科技有限公司投产。湖北星源的订单持续增长。")
    assert len(ex.firms) == 1 and "湖北星源" in ex.firms[0].names


def test_truncated_industry_word_short_form():
    ex = extract("湖南岳峰新材料股份有限公司是链主企业。岳峰新材带来了多家配套企业。")
    assert len(ex.firms) == 1 and "岳峰新材" in ex.firms[0].names


def test_branch_office_is_one_name():
    ex = extract("深圳市远航精密模组有限公司衡阳分公司签约落户。远航衡阳分公司主要生产模组。")
    assert len(ex.firms) == 1
    assert ex.firms[0].full_name == "深圳市远航精密模组有限公司衡阳分公司"
    assert "远航衡阳分公司" in ex.firms[0].names


@pytest.mark.parametrize("text,name", [
    ("在华岳钢铁的带动下，宏图精密冷轧有限公司落户园区。", "华岳钢铁"),
    ("在湘钢的牵线下，宏图精密冷轧有限公司落户园区。", "湘钢"),
    ("宏图精密冷轧有限公司由湘钢引荐落户。", "湘钢"),
    ("经中联重科推荐，宏图精密冷轧有限公司签约。", "中联重科"),
    ("星辉电子是天宇光电有限公司的供应商。", "星辉电子"),
    ("作为行业龙头天成时代的全资子公司，宜宾天成新能源有限公司落户园区。", "天成时代"),
])
def test_bare_name_in_argument_position(text, name):
    assert name in firm_names(text)


@pytest.mark.parametrize("text", [
    "在市委市政府的带动下，园区发展迅速。",
    "在老乡的介绍下，他回到家乡创业。",
    "经大家推荐，他当选为会长。",
    "公司总经理张立新介绍，项目进展顺利。",
    "园区为企业提供全方位服务。",
])
def test_argument_positions_without_firms(text):
    assert firm_names(text) == []


def test_suffix_bare_name_links_to_longer():
    ex = extract("在华岳湘钢的带动下，宏图精密冷轧有限公司落户。湘钢是园区的链主企业。")
    leader = [f for f in ex.firms if "华岳湘钢" in f.names]
    assert leader and "湘钢" in leader[0].names and len(ex.firms) == 2


def test_passive_referral_and_project_subject():
    ex = extract("湖南宏图特钢股份有限公司由湘钢引荐落户。该公司原在广东佛山，从佛山整体搬迁至园区。")
    names = {f.key: f.name for f in ex.firms}
    got = [(names[r.source], names[r.target]) for r in ex.relations if r.type == "referral"]
    assert got == [("湘钢", "宏图特钢")]
    inv = [names[r.source] for r in ex.relations if r.type == "project"]
    assert inv == ["宏图特钢"]
    reloc = [names[r.source] for r in ex.relations if r.type == "relocation"]
    assert reloc == ["宏图特钢"]  # 该公司 is the subject, not the referrer


def test_passive_referral_after_comma():
    got = rels("宏图锂业（衡阳）有限公司是星源时代新能源有限公司的正极材料供应商，2021年由星源时代引荐来到园区。",
               "referral")
    assert len(got) == 1 and got[0][0].startswith("星源时代") and got[0][1] == "宏图锂业"


def test_supply_product_qualified_supplier_noun():
    got = rels("宏图锂业（衡阳）有限公司是星源时代新能源有限公司的正极材料供应商。", "supply")
    assert got == [("宏图锂业", "星源时代新能源")]


def test_supply_for_several_customers():
    got = rels("宏图板材有限公司主要为三一重工、中联重科提供高强钢板材配套。", "supply")
    assert got == [("宏图板材", "三一重工"), ("宏图板材", "中联重科")]


def test_product_model_is_not_an_alias():
    ex = extract("代表团拜访了比亚迪股份有限公司。新区公务用车已更换为比亚迪汉等新能源车型。")
    assert len(ex.firms) == 1 and [m.text for m in ex.firms[0].mentions] == ["比亚迪股份有限公司"]
