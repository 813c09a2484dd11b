"""Target fit must be real, not a word match: an equipment maker's line named after the
activity it equips (蓝英装备: 表面处理 = 工业清洗系统) is not a firm of that segment.

Pinned on the converter (a copy of the refdata fixture with an equipment maker added) and on
the bundled graph with the shipped pool (``targets`` as investment staff read it)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from chaingraph.pool.chainkg import convert, is_equipment_name, is_equipment_segment, write_pool_turtle

FIX = Path(__file__).parent / "fixtures" / "chainkg"
SEG = "https://w3id.org/chaingraph/id/segment/"
CHAIN = "https://w3id.org/chaingraph/id/chain/"
SEGS = [
    {"iri": SEG + "ed-plating", "label": "电镀及表面处理", "chain": CHAIN + "electronic-devices",
     "terms": ["电镀", "表面处理"], "codes": ["3360"]},
    {"iri": SEG + "eq-robot", "label": "工业机器人", "chain": CHAIN + "equipment", "terms": ["机器人"], "codes": ["3491"]},
]


def _refdata_with(tmp_path, code, l3_code, l3, lines):
    """The fixture plus firm ``code`` in Shenwan L3 ``l3`` with product ``lines`` [(name, share)]."""
    src = tmp_path / "src"
    shutil.copytree(FIX, src)
    with open(src / "industry.json", "a", encoding="utf-8") as fh:
        fh.write('{"code": "%s", "name": "%s"}\n' % (l3_code, l3))
    with open(src / "company_industry.json", "a", encoding="utf-8") as fh:
        fh.write('{"company_code": "%s.SZ", "industry_code": "%s", "industry_name": "%s", "company_name": "试验%s", '
                 '"rel": "所属行业"}\n' % (code, l3_code, l3, code))
    with open(src / "company_product.json", "a", encoding="utf-8") as fh:
        for name, w in lines:
            fh.write('{"company_code": "%s.SZ", "product_name": "%s", "rel_weight": %s, "rel": "主营产品", '
                     '"company_name": "试验%s"}\n' % (code, name, w, code))
    return src


def test_equipment_words_and_segments():
    assert is_equipment_name("工业清洗系统") and is_equipment_name("OLED调测系统", "OLED")
    assert not is_equipment_name("表面处理") and not is_equipment_name("直线电机")
    # a bare 系统 after the term is the product itself (a battery pack), not a machine for it
    assert not is_equipment_name("新能源动力电池系统", "动力电池")
    assert is_equipment_segment(SEGS[1]) and not is_equipment_segment(SEGS[0])
    assert is_equipment_segment({"label": "北斗导航及智能仪器仪表", "codes": []})


def test_an_equipment_makers_activity_line_is_equipment_for_the_segment(tmp_path):
    import rdflib

    # 蓝英装备's case: 表面处理 and 工业清洗系统 are one revenue line (same share), Shenwan 其他专用设备
    src = _refdata_with(tmp_path, "300293", "640209", "其他专用设备",
                        [("表面处理", 0.788492), ("工业清洗系统", 0.788492), ("机器人", 0.1)])
    row = {r["code"]: r for r in convert(src, SEGS)}["300293"]
    lines = {p["product"]: p for p in row["products"]}
    assert lines["表面处理"]["equipment_for"] == {SEG + "ed-plating": ["工业清洗系统"]}
    assert lines["机器人"]["equipment_for"] == {}  # a robot maker's robots are its own segment's product
    g = rdflib.Graph().parse(write_pool_turtle([row], tmp_path / "pool.ttl"), format="turtle")
    cg = rdflib.Namespace("https://w3id.org/chaingraph/ns#")
    bases = {str(g.value(ln, cg.segment)).rsplit("/", 1)[-1]: g.value(ln, cg.basis)
             for ln in g.subjects(cg.basis, None)}
    assert bases == {"ed-plating": cg.EquipmentForSegment, "eq-robot": cg.StatedProduct}


def test_the_same_line_of_a_plater_is_its_own(tmp_path):
    # the same two names from a firm that is not an equipment maker: no guess, a stated product
    src = _refdata_with(tmp_path, "300888", "270104", "印制电路板",
                        [("表面处理", 0.5), ("工业清洗系统", 0.5)])
    row = {r["code"]: r for r in convert(src, SEGS)}["300888"]
    assert [p["equipment_for"] for p in row["products"]] == [{}]


def _targets(run_cli, monkeypatch, *args):
    monkeypatch.setenv("CHAINGRAPH_BUNDLED_POOL", "1")
    r = run_cli("--format", "json", "targets", *args)
    assert r.code == 0, r.err
    return json.loads(r.out)


@pytest.mark.slow
def test_lanying_is_not_ranked_as_a_plating_firm(run_cli, monkeypatch):
    res = _targets(run_cli, monkeypatch, "--segment", "电镀及表面处理", "--top", "0")
    rows = [x for x in res["rows"] if x["segment_label"] == "电镀及表面处理"]
    names = [x["name"] for x in rows]
    lanying = rows[names.index("蓝英装备")]
    line = lanying["products"][0]
    assert line["product"] == "表面处理" and line["equipment_for"] and line["weak"]
    note = lanying["components"]["product_fit"]["note"]
    assert "同一收入行另名：工业清洗系统" in note and "设备供应商：为该环节供应设备，非从事该环节" in note
    assert "仅有弱证据" in lanying["why"]
    # firms that do plating or surface treatment themselves, even on weak evidence, rank above it
    for doer in ("上海新阳", "伟星股份", "光韵达"):  # 电镀加工费, 电镀加工, 激光表面处理
        assert names.index(doer) < names.index("蓝英装备")
    # and the segment is said to have no firm whose main business it is
    assert any("没有以「电镀及表面处理」为主业的企业" in w["message"] for w in res["weak_only"])


@pytest.mark.slow
def test_top_three_where_the_fit_was_real_is_unchanged(run_cli, monkeypatch):
    res = _targets(run_cli, monkeypatch, "--top", "3")
    top = {}
    for x in res["rows"]:
        top.setdefault(x["segment_label"], []).append(x["name"])
    assert top["电镀及表面处理"][0] != "蓝英装备" and "蓝英装备" not in top["电镀及表面处理"]
    # homonyms and customers are gone: 电阻屏 (a resistive touch screen), OLED电视 (a TV using OLED
    # panels), 风电主轴/顶驱主轴 (a wind turbine's main shaft, a drilling rig's top drive)
    assert "欧菲光" not in top["电阻器"] and "兆驰股份" not in top["OLED显示"]
    assert not {"通裕重工", "金雷股份", "道森股份"} & set(top["机床功能部件"])
    # OLED调测系统 is test equipment for OLED panels: listed after the panel makers, and said to be
    oled = [x for x in res["rows"] if x["segment_label"] == "OLED显示"]
    assert [x["name"] for x in oled][:2] == ["维信诺", "彩虹股份"]
    for x in oled:
        assert x["products"][0]["equipment_for"] == (x["name"] == "精测电子")
    # segments whose top candidates were right keep them
    assert top["传感器"] == ["韦尔股份", "柯力传感", "森霸传感"]
    assert top["模具"] == ["合力科技", "威唐工业", "天汽模"]
    assert top["印制电路板"] == ["中京电子", "明阳电路", "景旺电子"]


@pytest.mark.slow
def test_the_shipped_pool_is_what_the_converter_writes(tmp_path):
    """The shipped table is regenerated from the refdata with the current rules (equipment
    suppliers, exclude terms): converting again gives the same bytes."""
    from chaingraph.pool.chainkg import SHIPPED_POOL, build_pool
    from chaingraph.store import bundled_files, bundled_root, load_files

    src = Path(__file__).resolve().parents[2] / "shared" / "refdata" / "ChainKnowledgeGraph"
    if not (src / "company_product.json").is_file():
        pytest.skip("the ChainKnowledgeGraph refdata is not beside the checkout")
    out = tmp_path / "chainkg.ttl"
    build_pool(load_files(bundled_files()), src, out, compact=True)
    shipped = (bundled_root() / SHIPPED_POOL).read_text(encoding="utf-8")
    assert out.read_text(encoding="utf-8") == shipped
    assert shipped.count("cg:basis cg:EquipmentForSegment") == 22


@pytest.mark.slow
def test_the_company_card_says_equipment_supplier(run_cli, monkeypatch):
    monkeypatch.setenv("CHAINGRAPH_BUNDLED_POOL", "1")
    r = run_cli("--format", "json", "company", "蓝英装备")
    assert r.code == 0, r.err
    segs = json.loads(r.out)["segments"]
    assert "电镀及表面处理（设备供应：为该环节供应设备，非从事该环节）" in segs
    assert "智能装备/自动化产线" in segs  # its own machines: a plain segment
