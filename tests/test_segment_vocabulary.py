"""Segment vocabulary (product, process/form and exclude terms in the chain templates): for each
segment the plan names (玻璃基板, 电镀, 模具, 铸造, 电机外壳) the firms that must and must not
match, on a small pool written for this test from product lines as the A-share data states them
(firm, product line, revenue share; 0.001 = placeholder share of a business-scope line)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib

from chaingraph.pool.chainkg import convert, pool_turtle, segments_from_graph

SEG = "https://w3id.org/chaingraph/id/segment/"
# (code, short name, full name, product line, revenue share)
POOL = [
    # 玻璃基板
    ("600707.SH", "彩虹股份", "彩虹显示器件股份有限公司", "液晶玻璃基板", 0.731475),
    ("000413.SZ", "东旭光电", "东旭光电科技股份有限公司", "玻璃基板", 0.21071),
    ("600876.SH", "洛阳玻璃", "洛阳玻璃股份有限公司", "超薄玻璃", 0.542328),
    ("002080.SZ", "中材科技", "中材科技股份有限公司", "无碱玻璃纤维", 0.442099),
    ("000937.SZ", "冀中能源", "冀中能源股份有限公司", "无碱玻璃纤维及制品", 0.001),
    ("002667.SZ", "和科达", "深圳市和科达精密清洗设备股份有限公司", "电子玻璃加工设备", 0.001),
    # 电镀
    ("300236.SZ", "上海新阳", "上海新阳半导体材料股份有限公司", "电镀加工费", 0.017243),
    ("000020.SZ", "深华发A", "深圳中恒华发股份有限公司", "电镀及表面处理", 0.001),
    ("300554.SZ", "三超新材", "南京三超新材料股份有限公司", "电镀金刚线", 0.678143),
    ("002652.SZ", "扬子新材", "苏州扬子江新型材料股份有限公司", "镀锌板", 0.224365),
    ("002085.SZ", "万丰奥威", "浙江万丰奥威汽轮股份有限公司", "电镀轮", 0.057642),
    ("002488.SZ", "金固股份", "浙江金固股份有限公司", "热镀锌钢圈制造", 0.001),
    ("002132.SZ", "恒星科技", "河南恒星科技股份有限公司", "镀锌钢绞线", 0.233049),
    ("300472.SZ", "新元科技", "北京万向新元科技股份有限公司", "电镀系统", 0.143649),
    ("002667.SZ", "和科达", "深圳市和科达精密清洗设备股份有限公司", "电镀设备", 0.198472),
    # 模具
    ("603917.SH", "合力科技", "宁波合力模具科技股份有限公司", "模具", 0.73),
    ("300707.SZ", "威唐工业", "无锡威唐工业技术股份有限公司", "冲压模具", 0.91),
    ("002510.SZ", "天汽模", "天津汽车模具股份有限公司", "模具", 0.751754),
    ("000708.SZ", "中信特钢", "中信泰富特钢集团股份有限公司", "模具钢", 0.02),
    ("300415.SZ", "伊之密", "伊之密股份有限公司", "压铸机", 0.344764),
    # 铸造
    ("603218.SH", "日月股份", "日月重工股份有限公司", "风电铸件", 0.47),
    ("601218.SH", "吉鑫科技", "江苏吉鑫风能科技股份有限公司", "铸件", 0.84),
    ("300345.SZ", "红宇新材", "湖南红宇耐磨新材料股份有限公司", "耐磨铸件", 0.60),
    ("603928.SH", "兴业股份", "苏州兴业材料科技股份有限公司", "铸造树脂", 0.71),
    ("300415.SZ", "伊之密", "伊之密股份有限公司", "低压铸造机", 0.001),
    # 电机外壳
    ("603348.SH", "文灿股份", "广东文灿压铸股份有限公司", "压铸件", 0.983792),
    ("002664.SZ", "长鹰信质", "长鹰信质科技股份有限公司", "机壳", 0.050957),
    ("002056.SZ", "横店东磁", "横店集团东磁股份有限公司", "电机机壳", 0.021338),
    ("300680.SZ", "隆盛科技", "无锡隆盛科技股份有限公司", "冲压件", 0.282992),
    ("300694.SZ", "蠡湖股份", "无锡蠡湖增压技术股份有限公司", "压气机壳", 0.744342),
    ("600482.SH", "中国动力", "中国船舶重工集团动力股份有限公司", "电池壳体", 0.021245),
    ("002976.SZ", "兴瑞科技", "宁波兴瑞电子科技股份有限公司", "塑料外壳", 0.013017),
]

# segment -> (must match, must not match), by short name
EXPECT = {
    "ed-glass-substrate": ({"彩虹股份", "东旭光电", "洛阳玻璃"}, {"中材科技", "冀中能源", "和科达"}),
    "eq-plating": ({"上海新阳", "深华发A"}, {"三超新材", "扬子新材", "万丰奥威", "金固股份", "恒星科技", "新元科技", "和科达"}),
    "eq-mould": ({"合力科技", "威唐工业", "天汽模"}, {"中信特钢", "伊之密"}),
    "eq-casting": ({"日月股份", "吉鑫科技", "红宇新材"}, {"兴业股份", "伊之密"}),
    "eq-motor-housing": ({"文灿股份", "长鹰信质", "横店东磁", "隆盛科技"}, {"蠡湖股份", "中国动力", "兴瑞科技", "伊之密"}),
}


@pytest.fixture(scope="module")
def pool_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("vocab-pool")
    firms = {}
    for code, short, full, _, _ in POOL:
        firms[code] = (short, full)
    (d / "company.json").write_text("".join(
        json.dumps({"name": s, "fullname": f, "code": c, "location": "", "time": "2010-01-01"}, ensure_ascii=False) + "\n"
        for c, (s, f) in sorted(firms.items())), encoding="utf-8")
    (d / "company_industry.json").write_text("", encoding="utf-8")
    (d / "industry.json").write_text("", encoding="utf-8")
    (d / "company_product.json").write_text("".join(
        json.dumps({"company_code": c, "product_name": p, "rel_weight": w, "rel": "主营产品", "company_name": s},
                   ensure_ascii=False) + "\n" for c, s, _, p, w in POOL), encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def converted(bundled_graph, pool_dir):
    return convert(pool_dir, segments_from_graph(bundled_graph))


@pytest.mark.parametrize("segment", sorted(EXPECT))
def test_must_and_must_not_match(converted, segment):
    must, must_not = EXPECT[segment]
    members = {r["name"] for r in converted if SEG + segment in r["segments"]}
    assert must <= members, f"{segment}: missing {sorted(must - members)}"
    assert not (must_not & members), f"{segment}: look-alikes matched {sorted(must_not & members)}"


def test_form_match_is_marked(converted):
    wencan = next(r for r in converted if r["name"] == "文灿股份")
    line = wencan["products"][0]
    # 压铸件 is a product of 精密压铸 and only a form (process term) of 电机外壳
    assert SEG + "eq-die-casting" in line["segments"] and SEG + "eq-motor-housing" in line["segments"]
    assert line["process"] == [SEG + "eq-motor-housing"]


def test_ranking_on_the_pool(bundled_graph, converted):
    """The named segments ranked with this pool: makers first, look-alikes absent, a placeholder
    share shown as weak evidence, and a segment with only weak evidence says so."""
    from chaingraph.analysis.context import build_context
    from chaingraph.analysis.targets import rank_targets, target_facts

    # the templates, places and parks of the bundled data, and this pool (no other firm)
    root = Path(__file__).resolve().parents[1]
    g = rdflib.Graph()
    for f in [root / "ontology" / "chaingraph.ttl", *sorted((root / "ontology" / "chains").glob("*.ttl")),
              root / "data" / "places.ttl", root / "data" / "parks.ttl"]:
        g.parse(f, format="turtle")
    g.parse(data=pool_turtle(converted), format="turtle")
    ctx = build_context(g, park="永州经开区")
    for segment, (must, must_not) in EXPECT.items():
        res = rank_targets(ctx, segment=SEG + segment, top=5, facts=target_facts(g, [SEG + segment]))
        names = [r["name"] for r in res["rows"]]
        assert not (set(names) & must_not), (segment, names)
        if segment == "eq-plating":
            # no firm makes plating its business: every row is weak evidence, and the result says so
            assert res["rows"] and all(r["weak_evidence"] for r in res["rows"])
            assert [w["segment"] for w in res["weak_only"]] == [SEG + segment]
            assert "弱证据" in res["rows"][0]["why"]
            shf = next(r for r in res["rows"] if r["name"] == "深华发A")
            assert shf["products"][0]["business_scope"] and shf["products"][0]["weak"]
        else:
            assert not res["weak_only"], segment
            assert names[0] in must, (segment, names)
    # a housing maker by product word with a tiny share is weak; the die-caster is a strong form match
    res = rank_targets(ctx, segment=SEG + "eq-motor-housing", top=0, facts=target_facts(g, [SEG + "eq-motor-housing"]))
    by = {r["name"]: r for r in res["rows"]}
    assert by["文灿股份"]["products"][0]["form"] and not by["文灿股份"]["products"][0]["weak"]
    assert by["横店东磁"]["products"][0]["weak"] and not by["横店东磁"]["products"][0]["form"]
    assert by["文灿股份"]["rank"] < by["横店东磁"]["rank"]
