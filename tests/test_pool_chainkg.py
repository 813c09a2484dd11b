"""The ChainKnowledgeGraph converter on a tiny fixture shaped like the refdata files."""

from __future__ import annotations

from pathlib import Path

import rdflib

from chaingraph.pool.chainkg import convert, write_pool_turtle
from chaingraph.pool.matching import TermMatcher
from chaingraph.pool.regions import region_of

FIX = Path(__file__).parent / "fixtures" / "chainkg"
SEG = "https://w3id.org/chaingraph/id/segment/"
SEGS = [
    {"iri": SEG + "ed-pcb", "label": "印制电路板", "chain": "https://w3id.org/chaingraph/id/chain/electronic-devices",
     "terms": ["PCB", "印制电路板"]},
    {"iri": SEG + "ed-inductor", "label": "电感", "chain": "https://w3id.org/chaingraph/id/chain/electronic-devices",
     "terms": ["电感", "片式电感"]},
]


def test_convert_cleans_rows():
    rows = {r["code"]: r for r in convert(FIX, SEGS)}
    assert sorted(rows) == ["000665", "002138", "002916", "300999"]
    snd = rows["002916"]
    # duplicate keeps the larger share; placeholder -> unknown; service/equipment/accounting dropped
    assert [(p["product"], p["share"], p["share_status"]) for p in snd["products"]] == [
        ("印制电路板", 0.6, "stated"), ("PCB样板", None, "placeholder")]
    assert snd["dropped"] == {"accounting": 2, "duplicate": 1}
    # negative and >1 shares dropped
    assert [p["product"] for p in rows["300999"]["products"]] == ["多层印制电路板"]
    assert rows["300999"]["dropped"]["bad_share"] == 2
    # stale: a media company's PCB line is flagged
    assert rows["000665"]["products"][0]["stale_suspect"] is True
    assert rows["002916"]["products"][0]["stale_suspect"] is False
    # duplicated code: the full name of the entry matching the Shenwan short name
    assert rows["000665"]["full_name"] == "湖北旧名传媒股份有限公司" and rows["000665"]["aliases"] == ["错接公司"]
    assert rows["300999"]["region"]["province"] == "湖南"
    assert rows["002138"]["region"]["city"] == "深圳" and rows["002138"]["region"]["regions"] == ["gba"]


def test_entity_resolution_reuses_existing_firm():
    known = {"https://w3id.org/chaingraph/id/company/shunluo-dianzi": ["顺络电子", "深圳順絡電子股份有限公司"]}
    rows = {r["code"]: r for r in convert(FIX, SEGS, known=known)}
    assert rows["002138"]["iri"].endswith("/shunluo-dianzi") and rows["002138"]["resolved"]
    assert rows["002916"]["iri"].endswith("/sc-002916")


def test_turtle_round_trip_and_atomic(tmp_path):
    rows = convert(FIX, SEGS)
    out = write_pool_turtle(rows, tmp_path / "pool" / "chainkg.ttl", src_dir=FIX)
    g = rdflib.Graph().parse(out, format="turtle")
    cg = rdflib.Namespace("https://w3id.org/chaingraph/ns#")
    firm = rdflib.URIRef("https://w3id.org/chaingraph/id/company/sc-002916")
    assert (firm, cg.stockCode, rdflib.Literal("002916.SZ")) in g
    assert (firm, cg.tier, cg.Listed) in g
    shares = sorted(float(s) for lk in g.subjects(cg.firm, firm) for s in g.objects(lk, cg.revenueShare))
    assert shares == [0.6]  # the placeholder line has no cg:revenueShare
    assert list((tmp_path / "pool").glob("*.tmp")) == []
    text = (FIX / "company_product.json").read_text(encoding="utf-8")
    for ev in g.subjects(cg.source, rdflib.URIRef("https://w3id.org/chaingraph/id/source/chainkg-company-product")):
        s, e = int(g.value(ev, cg.start)), int(g.value(ev, cg.end))
        assert text[s:e].startswith("{") and text[s:e].endswith("}")


def test_matcher_specificity_and_head_shift():
    m = TermMatcher(SEGS)
    assert m.match("片式电感系列")["term"] == "片式电感"
    assert m.match("PCB设备") is None and m.match("印制电路板材料") is None
    assert m.match("调整项目") is None


def test_region_prefixes():
    assert region_of("湖南省永州市创鑫隆科技有限公司")["city"] == "永州"
    assert region_of("上海新阳半导体材料股份有限公司")["regions"] == ["yrd"]
    assert region_of("东莞市某某公司")["regions"] == ["gba"]


def test_risk_warning_firms_are_not_candidates():
    # *ST丹板 (002618) makes 柔性印制电路板 at 90% share, but is under delisting risk warning
    assert "002618" not in {r["code"] for r in convert(FIX, SEGS)}


def test_one_revenue_line_under_two_names(tmp_path):
    """A share the firm also reports under a name outside the segment (蓝英装备: 表面处理 and
    工业清洗系统 both 0.788492) is one revenue line with two names: the link says so."""
    import shutil

    src = tmp_path / "src"
    shutil.copytree(FIX, src)
    lines = [("印制电路板", 0.71), ("工业清洗系统", 0.71), ("PCB", 0.71), ("片式电感", 0.2), ("电感业务", 0.05)]
    with open(src / "company_product.json", "a", encoding="utf-8") as fh:
        for name, w in lines:
            fh.write('{"company_code": "002463.SZ", "product_name": "%s", "rel_weight": %s, '
                     '"rel": "主营产品", "company_name": "沪电股份"}\n' % (name, w))
    row = {r["code"]: r for r in convert(src, SEGS)}["002463"]
    same = {p["product"]: p["same_line"] for p in row["products"]}
    # PCB has the same share but is in the segment too: not a second name for another business
    assert same == {"印制电路板": {SEG + "ed-pcb": ["工业清洗系统"]}, "PCB": {SEG + "ed-pcb": ["工业清洗系统"]},
                    "片式电感": {}, "电感业务": {}}
    # the other lines of the fixture have no twin
    assert all(p["same_line"] == {} for r in convert(FIX, SEGS) for p in r["products"])
    g = rdflib.Graph().parse(write_pool_turtle([row], tmp_path / "pool.ttl"), format="turtle")
    cg = rdflib.Namespace("https://w3id.org/chaingraph/ns#")
    assert sorted(str(o) for o in g.objects(None, cg.sameRevenueLineAs)) == ["工业清洗系统", "工业清洗系统"]
