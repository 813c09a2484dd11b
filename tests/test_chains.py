"""Checks on the chain templates (panorama maps) in ontology/chains/*.ttl."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from chaingraph.namespaces import CG, CHAIN, SEGMENT
from chaingraph.normalize import normalize

CHAINS_DIR = Path(__file__).resolve().parents[1] / "ontology" / "chains"

# file -> (chain slug, segment prefix, granularity, minimum segment count)
EXPECTED = {
    "electronic-devices.ttl": ("electronic-devices", "ed-", "detailed", 25),
    "equipment.ttl": ("equipment", "eq-", "detailed", 25),
    "biomedicine.ttl": ("biomedicine", "bm-", "coarse", 8),
    "new-materials.ttl": ("new-materials", "nm-", "coarse", 8),
    "new-energy.ttl": ("new-energy", "ne-", "coarse", 8),
    "light-textile.ttl": ("light-textile", "lt-", "coarse", 8),
    "agri-processing.ttl": ("agri-processing", "ag-", "coarse", 8),
    "electronic-information.ttl": ("electronic-information", "ei-", "coarse", 8),
}
COARSE_MAX = 12
STAGES = {CG.Upstream: 1, CG.Midstream: 2, CG.Downstream: 3}
# Words too generic to map a product line onto one segment.
TOO_GENERIC = {
    "电子", "设备", "材料", "产品", "加工", "制造", "配件", "零件", "零部件", "器件", "元件", "机械", "装备",
    "电器", "塑料", "金属", "五金", "化工", "食品", "服务", "软件", "系统", "模块", "组件", "新材料", "新能源",
}
# GB/T 4754-2017 classes used by the templates (keyed in from the NBS publication; a code not listed here
# is rejected so that typos such as a 2011-edition code do not slip in — add new codes with their name).
GBT4754_2017 = {
    "0171": "中草药种植", "0313": "猪的饲养", "0321": "鸡的饲养", "0820": "锰矿、铬矿采选",
    "1011": "石灰石、石膏开采", "1311": "稻谷加工", "1329": "其他饲料加工", "1331": "食用植物油加工",
    "1351": "牲畜屠宰", "1352": "禽类屠宰", "1353": "肉制品及副产品加工", "1371": "蔬菜加工",
    "1373": "水果和坚果加工", "1391": "淀粉及淀粉制品制造", "1392": "豆制品制造", "1393": "蛋品加工",
    "1431": "米、面制品制造", "1432": "速冻食品制造", "1453": "蔬菜、水果罐头制造", "1492": "保健食品制造",
    "1513": "啤酒制造", "1519": "其他酒制造", "1523": "果菜汁及果菜汁饮料制造", "1530": "精制茶加工",
    "1620": "卷烟制造", "1711": "棉纺纱加工", "1751": "化纤织造加工", "1752": "化纤织物染整精加工",
    "1784": "篷、帆布制造", "1811": "运动机织服装制造", "1821": "运动休闲针织服装制造", "1910": "皮革鞣制加工",
    "1922": "皮箱、包（袋）制造", "1951": "纺织面料鞋制造", "1952": "皮鞋制造", "2021": "胶合板制造",
    "2041": "竹制品制造", "2120": "竹、藤家具制造", "2231": "纸和纸板容器制造", "2319": "包装装潢及其他印刷",
    "2451": "电玩具制造", "2452": "塑胶玩具制造", "2651": "初级形态塑料及合成树脂制造", "2682": "化妆品制造",
    "2710": "化学药品原料药制造", "2720": "化学药品制剂制造", "2730": "中药饮片加工", "2740": "中成药生产",
    "2750": "兽用药品制造", "2761": "生物药品制造", "2762": "基因工程药物和疫苗制造", "2770": "卫生材料及医药用品制造",
    "2822": "涤纶纤维制造", "2925": "塑料人造革、合成革制造", "2929": "塑料零件及其他塑料制品制造",
    "3022": "砼结构构件制造", "3042": "特种玻璃制造", "3120": "炼钢", "3130": "钢压延加工", "3140": "铁合金冶炼",
    "3232": "稀土金属冶炼", "3240": "有色金属合金制造", "3252": "铝压延加工", "3311": "金属结构制造",
    "3360": "金属表面处理及热处理加工", "3391": "黑色金属铸造", "3392": "有色金属铸造", "3393": "锻件及粉末冶金制品制造",
    "3415": "风能原动设备制造", "3421": "金属切削机床制造", "3422": "金属成形机床制造", "3425": "机床功能部件及附件制造",
    "3444": "液压动力机械及元件制造", "3451": "滚动轴承制造", "3452": "滑动轴承制造",
    "3453": "齿轮及齿轮减、变速箱制造", "3459": "其他传动部件制造", "3464": "制冷、空调设备制造",
    "3482": "紧固件制造", "3484": "机械零部件加工", "3491": "工业机器人制造", "3493": "增材制造装备制造",
    "3499": "其他未列明通用设备制造业", "3511": "矿山机械制造", "3514": "建筑工程用机械制造", "3525": "模具制造",
    "3571": "拖拉机制造", "3572": "机械化农业及园艺机具制造", "3584": "医疗、外科及兽医用器械制造",
    "3591": "环境保护专用设备制造", "3592": "地质勘查专用设备制造", "3594": "商业、饮食、服务专用设备制造",
    "3611": "汽柴油车整车制造", "3612": "新能源车整车制造", "3630": "改装汽车制造", "3670": "汽车零部件及配件制造",
    "3811": "发电机及发电机组制造", "3812": "电动机制造", "3813": "微特电机及组件制造",
    "3821": "变压器、整流器和电感器制造", "3823": "配电开关控制设备制造", "3825": "光伏设备及元器件制造",
    "3831": "电线、电缆制造", "3841": "锂离子电池制造", "3843": "铅蓄电池制造", "3853": "家用通风电器具制造",
    "3854": "家用厨房电器具制造", "3855": "家用清洁卫生电器具制造", "3856": "家用美容、保健护理电器具制造",
    "3911": "计算机整机制造", "3921": "通信系统设备制造", "3922": "通信终端设备制造", "3961": "可穿戴智能设备制造",
    "3962": "智能车载设备制造", "3963": "智能无人飞行器制造", "3969": "其他智能消费设备制造",
    "3972": "半导体分立器件制造", "3973": "集成电路制造", "3974": "显示器件制造", "3975": "半导体照明器件制造",
    "3981": "电阻电容电感元件制造", "3982": "电子电路制造", "3983": "敏感元件及传感器制造",
    "3984": "电声器件及零件制造", "3985": "电子专用材料制造", "3989": "其他电子元件制造",
    "4011": "工业自动控制系统装置制造", "4040": "光学仪器制造", "4411": "火力发电", "4412": "热电联产",
    "4415": "风力发电", "4416": "太阳能发电", "4417": "生物质能发电", "4420": "电力供应",
    "4511": "天然气生产和供应业", "5720": "陆地管道运输", "5930": "低温仓储", "6450": "互联网数据服务",
    "6513": "应用软件开发", "6531": "信息系统集成服务",
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HAN = re.compile(r"[\u4e00-\u9fff]")

params = pytest.mark.parametrize("fname", sorted(EXPECTED))


def load(fname: str) -> Graph:
    path = CHAINS_DIR / fname
    assert path.exists(), f"missing chain template {path}"
    return Graph().parse(path, format="turtle")


def segments(g: Graph, chain: URIRef) -> set:
    return set(g.subjects(CG.chain, chain))


def chain_of(fname: str) -> URIRef:
    return CHAIN[EXPECTED[fname][0]]


def feeds_graph(g: Graph, segs: set) -> nx.DiGraph:
    d = nx.DiGraph()
    d.add_nodes_from(segs)
    for s in segs:
        for o in g.objects(s, CG.feeds):
            d.add_edge(s, o)
    return d


def test_all_files_present_and_no_extras():
    present = {p.name for p in CHAINS_DIR.glob("*.ttl")}
    assert set(EXPECTED) <= present
    assert present <= set(EXPECTED), f"unexpected chain files: {present - set(EXPECTED)}"


@params
def test_chain_node(fname):
    g = load(fname)
    slug, _, gran, _ = EXPECTED[fname]
    chains = set(g.subjects(RDF.type, CG.IndustryChain))
    assert chains == {chain_of(fname)}, f"{fname} must declare exactly chain:{slug}"
    c = chain_of(fname)
    for lang in ("zh", "en"):
        labels = [l for l in g.objects(c, RDFS.label) if l.language == lang]
        assert len(labels) == 1, f"chain:{slug} needs one @{lang} label"
    assert any(d.language == "en" for d in g.objects(c, SKOS.definition))
    assert list(g.objects(c, CG.granularity)) == [Literal(gran)]


@params
def test_segment_count(fname):
    g = load(fname)
    n = len(segments(g, chain_of(fname)))
    _, _, gran, minimum = EXPECTED[fname]
    assert n >= minimum
    if gran == "coarse":
        assert n <= COARSE_MAX


@params
def test_every_segment_is_declared_and_in_this_chain(fname):
    g = load(fname)
    c = chain_of(fname)
    _, prefix, _, _ = EXPECTED[fname]
    typed = set(g.subjects(RDF.type, CG.Segment))
    segs = segments(g, c)
    assert typed == segs, f"typed but chainless or chained but untyped: {typed ^ segs}"
    for s in segs:
        assert list(g.objects(s, CG.chain)) == [c], f"{s} must have exactly one cg:chain"
        assert str(s).startswith(str(SEGMENT)), s
        slug = str(s)[len(str(SEGMENT)):]
        assert slug.startswith(prefix) and SLUG.match(slug), f"bad segment slug {slug!r}"
    # Nothing else typed or referenced in this file under another chain.
    assert set(g.objects(None, CG.chain)) == {c}


@params
def test_segment_fields(fname):
    g = load(fname)
    for s in segments(g, chain_of(fname)):
        zh = [l for l in g.objects(s, RDFS.label) if isinstance(l, Literal) and l.language == "zh"]
        en = [l for l in g.objects(s, RDFS.label) if isinstance(l, Literal) and l.language == "en"]
        assert len(zh) == 1 and HAN.search(zh[0]), f"{s}: need exactly one Chinese @zh label, got {zh}"
        assert len(en) == 1 and not HAN.search(en[0]), f"{s}: need exactly one English @en label, got {en}"
        assert len(list(g.objects(s, RDFS.label))) == 2, f"{s}: stray label"
        defs = [d for d in g.objects(s, SKOS.definition) if d.language == "en"]
        assert len(defs) == 1 and len(defs[0]) >= 20, f"{s}: need one short @en definition"
        stages = list(g.objects(s, CG.stage))
        assert len(stages) == 1 and stages[0] in STAGES, f"{s}: need exactly one stage, got {stages}"
        terms = list(g.objects(s, CG.productTerm))
        assert terms, f"{s}: no cg:productTerm"
        for lead in g.objects(s, CG.leaderExpected):
            assert lead.datatype == XSD.boolean and lead.toPython() is True, f"{s}: leaderExpected must be true"


@params
def test_product_terms_are_normalised_and_specific(fname):
    g = load(fname)
    for s in segments(g, chain_of(fname)):
        for t in g.objects(s, CG.productTerm):
            assert isinstance(t, Literal) and t.language == "zh", f"{s}: term {t!r} must be @zh"
            text = str(t)
            assert text.strip() == text and text, f"{s}: blank or padded term {text!r}"
            assert normalize(text).text == text, f"{s}: term {text!r} is not normalised (simplified, half-width, no spaces)"
            assert text not in TOO_GENERIC, f"{s}: term {text!r} is too generic"
            assert len(text) >= 2, f"{s}: term {text!r} too short"


@params
def test_industry_codes(fname):
    g = load(fname)
    for s in segments(g, chain_of(fname)):
        for code in g.objects(s, CG.industryCode):
            assert isinstance(code, Literal) and code.datatype is None and code.language is None, code
            assert re.fullmatch(r"\d{4}", str(code)), f"{s}: industry code {code!r} is not 4 digits"
            assert str(code) in GBT4754_2017, f"{s}: industry code {code} is not a known GB/T 4754-2017 class"


@params
def test_links_stay_inside_the_chain(fname):
    g = load(fname)
    segs = segments(g, chain_of(fname))
    for p in (CG.feeds, SKOS.broader):
        for s, o in g.subject_objects(p):
            assert s in segs, f"{s} uses {p} but is not a segment of this chain"
            assert o in segs, f"{s} {p} {o}: object is not a declared segment of this chain"
            assert s != o, f"{s} {p} itself"


@params
def test_feeds_is_a_connected_dag(fname):
    g = load(fname)
    segs = segments(g, chain_of(fname))
    d = feeds_graph(g, segs)
    assert nx.is_directed_acyclic_graph(d), f"cycle: {nx.find_cycle(d)}"
    comps = list(nx.weakly_connected_components(d))
    assert len(comps) == 1, f"feeds graph splits into {len(comps)} parts: {sorted(map(len, comps))} {[sorted(map(str, c)) for c in comps if len(c) < 5]}"


@params
def test_feeds_never_point_upstream(fname):
    g = load(fname)
    segs = segments(g, chain_of(fname))
    for s, o in feeds_graph(g, segs).edges:
        a, b = STAGES[g.value(s, CG.stage)], STAGES[g.value(o, CG.stage)]
        assert a <= b, f"{s} ({a}) feeds {o} ({b}): an edge must not point to an earlier stage"


@params
def test_every_stage_has_segments_and_sources_sinks_make_sense(fname):
    g = load(fname)
    segs = segments(g, chain_of(fname))
    by_stage = defaultdict(set)
    for s in segs:
        by_stage[g.value(s, CG.stage)].add(s)
    assert set(by_stage) == set(STAGES), "each chain needs upstream, midstream and downstream segments"
    d = feeds_graph(g, segs)
    for s in by_stage[CG.Upstream]:
        assert d.out_degree(s) > 0, f"upstream segment {s} feeds nothing"
    for s in by_stage[CG.Downstream]:
        assert d.in_degree(s) > 0, f"downstream segment {s} is fed by nothing"


@params
def test_broader_is_a_forest(fname):
    g = load(fname)
    segs = segments(g, chain_of(fname))
    b = nx.DiGraph()
    b.add_nodes_from(segs)
    for s in segs:
        parents = list(g.objects(s, SKOS.broader))
        assert len(parents) <= 1, f"{s} has several broader segments"
        for p in parents:
            b.add_edge(s, p)
    assert nx.is_directed_acyclic_graph(b)


def _broader_closure(g: Graph, s) -> set:
    out, todo = set(), [s]
    while todo:
        for p in g.objects(todo.pop(), SKOS.broader):
            if p not in out:
                out.add(p)
                todo.append(p)
    return out


@params
def test_product_terms_not_shared_within_chain(fname):
    g = load(fname)
    owners = defaultdict(set)
    for s in segments(g, chain_of(fname)):
        for t in g.objects(s, CG.productTerm):
            owners[str(t)].add(s)
    clashes = []
    for term, segs in owners.items():
        segs = sorted(segs)
        for i, a in enumerate(segs):
            for b in segs[i + 1:]:
                if a not in _broader_closure(g, b) and b not in _broader_closure(g, a):
                    clashes.append((term, str(a), str(b)))
    assert not clashes, f"product terms shared by unrelated segments: {clashes}"


@params
def test_no_duplicate_labels_within_chain(fname):
    g = load(fname)
    for lang in ("zh", "en"):
        seen = defaultdict(list)
        for s in segments(g, chain_of(fname)):
            for l in g.objects(s, RDFS.label):
                if l.language == lang:
                    seen[str(l)].append(s)
        dup = {k: v for k, v in seen.items() if len(v) > 1}
        assert not dup, f"duplicate @{lang} labels: {dup}"


def test_leading_chains_are_detailed_and_name_required_segments():
    required = {
        "electronic-devices.ttl": [
            "ed-glass-substrate", "ed-ito-glass", "ed-polarizer", "ed-liquid-crystal", "ed-backlight",
            "ed-touch-module", "ed-cover-glass", "ed-display-panel", "ed-display-module", "ed-oled", "ed-ccl",
            "ed-pcb", "ed-fpc", "ed-electronic-chemicals", "ed-components", "ed-capacitor", "ed-tantalum-capacitor",
            "ed-resistor", "ed-inductor", "ed-connector", "ed-sensor", "ed-crystal", "ed-ic", "ed-packaging-testing",
            "ed-plating", "ed-smt", "ed-lithium-battery", "ed-power-supply", "ed-wire-harness",
            "ed-precision-structural", "ed-injection-parts", "ed-smart-terminal", "ed-consumer-electronics",
            "ed-wearable", "ed-e-paper", "ed-electroacoustic", "ed-drone",
        ],
        "equipment.ttl": [
            "eq-steel", "eq-aluminium-alloy", "eq-casting", "eq-forging", "eq-die-casting", "eq-stamping",
            "eq-polishing", "eq-plating", "eq-heat-treatment", "eq-mould", "eq-machining", "eq-fastener",
            "eq-bearing", "eq-gear", "eq-hydraulic", "eq-motor", "eq-motor-housing", "eq-micro-motor",
            "eq-controller", "eq-cnc-system", "eq-cnc-machine-tool", "eq-industrial-robot", "eq-auto-parts",
            "eq-vehicle", "eq-construction-machinery", "eq-mining-machinery", "eq-geological-equipment",
            "eq-drill-bit", "eq-agricultural-machinery", "eq-smart-equipment",
        ],
    }
    for fname, slugs in required.items():
        g = load(fname)
        segs = segments(g, chain_of(fname))
        missing = [s for s in slugs if SEGMENT[s] not in segs]
        assert not missing, f"{fname} lacks {missing}"
        # sub-segment structure the mapping relies on
    g = load("electronic-devices.ttl")
    assert SEGMENT["ed-components"] in _broader_closure(g, SEGMENT["ed-tantalum-capacitor"])
    assert g.value(SEGMENT["ed-capacitor"], SKOS.broader) == SEGMENT["ed-components"]
    g = load("equipment.ttl")
    assert g.value(SEGMENT["eq-micro-motor"], SKOS.broader) == SEGMENT["eq-motor"]
    assert any(g.subjects(SKOS.broader, SEGMENT["eq-auto-parts"])), "汽车零部件 needs sub-segments"


@params
def test_leaders_expected_somewhere(fname):
    g = load(fname)
    leaders = [s for s in segments(g, chain_of(fname)) if g.value(s, CG.leaderExpected) is not None]
    assert leaders, f"{fname}: no segment expects a chain leader"


def test_segment_iris_unique_across_chains():
    seen = {}
    for fname in EXPECTED:
        path = CHAINS_DIR / fname
        if not path.exists():
            continue
        for s in Graph().parse(path).subjects(RDF.type, CG.Segment):
            assert s not in seen, f"{s} declared in {seen[s]} and {fname}"
            seen[s] = fname


def test_only_known_predicates():
    allowed = {RDF.type, RDFS.label, SKOS.definition, SKOS.broader, CG.chain, CG.stage, CG.productTerm,
               CG.industryCode, CG.leaderExpected, CG.feeds, CG.granularity, CG.processTerm, CG.excludeTerm,
               CG.feedsAcross, CG.sameActivityAs, CG.includesActivityOf}
    for fname in EXPECTED:
        path = CHAINS_DIR / fname
        if path.exists():
            preds = set(Graph().parse(path).predicates())
            assert preds <= allowed, f"{fname}: unexpected predicates {preds - allowed}"


def test_feeds_across_chains_join_two_chains_and_keep_the_whole_graph_acyclic():
    """cg:feedsAcross (#14) links a segment of one chain to a segment of another, never within one."""
    g = Graph()
    for fname in EXPECTED:
        g.parse(CHAINS_DIR / fname)
    pairs = list(g.subject_objects(CG.feedsAcross))
    assert pairs, "the leading chains have cross-chain feeds (stamping → precision structural parts …)"
    whole = nx.DiGraph()
    for p in (CG.feeds, CG.feedsAcross):
        whole.add_edges_from(g.subject_objects(p))
    for s, o in pairs:
        cs, co = g.value(s, CG.chain), g.value(o, CG.chain)
        assert cs is not None and co is not None and cs != co, f"{s} feedsAcross {o}: must join two chains"
    assert nx.is_directed_acyclic_graph(whole)


def test_same_activity_joins_segments_of_two_chains():
    """cg:sameActivityAs links a segment to one of another chain (within one chain: skos:broader),
    each declared once, on segments that exist."""
    g = Graph()
    for fname in EXPECTED:
        if (CHAINS_DIR / fname).exists():
            g.parse(CHAINS_DIR / fname)
    pairs = list(g.subject_objects(CG.sameActivityAs))
    assert len(pairs) == 2
    pairs += list(g.subject_objects(CG.includesActivityOf))
    assert len(pairs) == 6
    for a, b in pairs:
        assert g.value(a, CG.chain) and g.value(b, CG.chain) and g.value(a, CG.chain) != g.value(b, CG.chain)
        assert (b, CG.sameActivityAs, a) not in g
