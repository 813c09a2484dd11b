"""The candidate pool shipped with the package: loaded by default, replaced by a user-built
pool, credited, and giving real targets on a fresh install."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaingraph.store import GraphSource, bundled_pool_files

ROOT = Path(__file__).resolve().parents[1]


def test_loaded_by_default_and_replaced_by_a_user_pool(monkeypatch, isolated_home):
    monkeypatch.setenv("CHAINGRAPH_BUNDLED_POOL", "1")
    shipped = bundled_pool_files()
    assert shipped and shipped[0].name == "chainkg.ttl"
    assert shipped[0] in GraphSource().files()
    assert shipped[0] not in GraphSource(include_pool=False).files()
    user = isolated_home / "data" / "pool" / "chainkg.ttl"
    user.parent.mkdir(parents=True)
    user.write_text("", encoding="utf-8")
    files = GraphSource().files()
    assert user in files and shipped[0] not in files
    monkeypatch.setenv("CHAINGRAPH_BUNDLED_POOL", "0")
    assert bundled_pool_files() == []


def test_compiled_facts_only_and_credited():
    text = (ROOT / "pool" / "chainkg.ttl").read_text(encoding="utf-8")
    # a table of facts: no raw JSON lines of the source, the source and its date stated
    assert '\\"company_code\\"' not in text and "rel_weight" not in text
    assert "刘焕勇" in text and '"2021-10"^^xsd:gYearMonth' in text
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert "ChainKnowledgeGraph" in readme and "2021-10" in readme and "刘焕勇" in readme


def test_fresh_install_lists_real_targets(monkeypatch, run_cli):
    monkeypatch.setenv("CHAINGRAPH_BUNDLED_POOL", "1")
    r = run_cli("targets", "--segment", "玻璃基板", "--top", "5", "--format", "json")
    assert r.code == 0, r.err
    data = r.json()
    names = [x["name"] for x in data["rows"]]
    assert "彩虹股份" in names[:2] and "中材科技" not in names  # a substrate maker first, glass fibre never
    assert all(x["why"] for x in data["rows"])
    r = run_cli("targets", "--segment", "电镀", "--top", "5")
    assert r.code == 0, r.err
    assert "没有以「电镀」为主业的企业" in r.err and "chaingraph import" in r.err


@pytest.mark.slow
def test_partner_rows_call_the_segment_leading_not_each_firm(monkeypatch, run_cli):
    """电子元件 is 强 through 锦络电子 and 中钽电子; 信征科技 and 正德电子 are simply there: a partner
    row's 推荐理由 calls the segment leading (龙头环节的本地企业…), not every firm in it 龙头."""
    monkeypatch.setenv("CHAINGRAPH_BUNDLED_POOL", "1")
    r = run_cli("targets", "--chain", "先进电子器件", "--top", "2", "--format", "json")
    assert r.code == 0, r.err
    rows = [x for x in r.json()["rows"] if x.get("strengthens")]
    assert any(x["strengthens"]["label"] == "电子元件" for x in rows)
    for x in rows:
        assert x["why"].startswith(f"强链「{x['strengthens']['label']}」：为龙头环节的本地企业"), x["why"]
        assert "为龙头锦络电子" not in x["why"]
    # segments with no record (印制电路板: the park reports a 电路板元件 cluster, the graph names no
    # PCB maker) are ranked too, but never offered as filling a gap
    unrecorded = [x for x in r.json()["rows"] if x["gap_kind"] == "未见记录"]
    assert any(x["segment_label"] == "印制电路板" for x in unrecorded)
    for x in unrecorded:
        assert f"「{x['segment_label']}」图谱未见本地记录（不是缺口），招商前先核实本地是否已有" in x["why"]
        assert "可补" not in x["why"]


@pytest.mark.slow
def test_report_says_where_candidates_come_from_and_how_old(monkeypatch, run_cli, tmp_path):
    """The main job lists A-share candidates: its output and the map's candidate lists say they
    come from ChainKnowledgeGraph, data of 2021-10 (until now only `targets` and the Excel sheet
    评分说明 said so)."""
    import json
    import re

    monkeypatch.setenv("CHAINGRAPH_BUNDLED_POOL", "1")
    r = run_cli("report", "-o", str(tmp_path))
    assert r.code == 0, r.err
    assert "ChainKnowledgeGraph（刘焕勇），数据截至2021年10月" in r.err
    page = (tmp_path / "chain-map.html").read_text(encoding="utf-8")
    meta = json.loads(re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', page, re.S).group(1))["meta"]
    assert "数据截至2021年10月" in meta["candidate_note"]


REFDATA = ROOT.parent / "shared" / "refdata" / "ChainKnowledgeGraph"


@pytest.mark.slow
@pytest.mark.skipif(not (REFDATA / "company_product.json").is_file(), reason="needs ../shared/refdata/ChainKnowledgeGraph")
def test_shipped_pool_is_current_with_the_templates():
    """The shipped table is what the converter makes from the source with today's chain templates
    and vocabulary: after a template edit, regenerate it (python3 -m chaingraph.pool.chainkg SRC)."""
    from chaingraph.pool.chainkg import build_pool
    from chaingraph.store import bundled_files, load_files

    import tempfile

    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "chainkg.ttl"
        build_pool(load_files(bundled_files()), REFDATA, out, compact=True)
        same = out.read_text(encoding="utf-8") == (ROOT / "pool" / "chainkg.ttl").read_text(encoding="utf-8")
        assert same, ("pool/chainkg.ttl is out of date with the chain templates: regenerate it with "
                      "`python3 -m chaingraph.pool.chainkg ../shared/refdata/ChainKnowledgeGraph` and commit it")


def test_pool_build_summary_one_row_per_segment_with_chain(run_cli):
    import csv
    import io

    r = run_cli("pool", "build", str(ROOT / "tests" / "fixtures" / "chainkg"), "--format", "csv")
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert rows and all(x["chain"] and x["stage"] and x["segment"] for x in rows)
    keys = [(x["chain"], x["segment"]) for x in rows]
    assert len(keys) == len(set(keys))
    assert "2021-10" in r.err


def test_one_revenue_line_under_two_names_is_marked():
    """蓝英装备 (an equipment maker) reports 表面处理 and 工业清洗系统 with the same share: its
    plating link says the share is that of its cleaning-systems line."""
    import rdflib

    g = rdflib.Graph().parse(ROOT / "pool" / "chainkg.ttl", format="turtle")
    cg = rdflib.Namespace("https://w3id.org/chaingraph/ns#")
    link = rdflib.URIRef("https://w3id.org/chaingraph/id/fact/seglink-sc-300293-p-8122af3614-ed-plating")
    assert [str(o) for o in g.objects(link, cg.sameRevenueLineAs)] == ["工业清洗系统"]
    assert float(g.value(link, cg.revenueShare)) == 0.788492


@pytest.mark.parametrize("segment,stale_firm,makers", [
    ("工程机械", "爱旭股份", ("振华重工", "天桥起重", "华东重机")),  # ex-ST新梅/上海港机: port cranes 78%
    ("矿山机械", "晶澳科技", ("中信重工", "鞍重股份", "创力集团")),  # ex-天业通联: 硬岩掘进机 39%
])
def test_renamed_firms_earlier_business_is_flagged_not_top(monkeypatch, run_cli, segment, stale_firm, makers):
    """A solar maker renamed from a machine maker keeps its old machine lines in the source; its
    Shenwan L1 (电力设备) fits the chain, so only the renamed-firm rule flags them (疑似历史业务):
    not the first candidate any more, and the real makers stay unflagged at the top."""
    monkeypatch.setenv("CHAINGRAPH_BUNDLED_POOL", "1")
    r = run_cli("targets", "--segment", segment, "--top", "0", "--format", "json")
    assert r.code == 0, r.err
    rows = sorted(r.json()["rows"], key=lambda x: x["rank"])
    assert rows[0]["name"] != stale_firm
    old = [x for x in rows if x["name"] == stale_firm]
    assert all(p["stale_suspect"] for x in old for p in x["products"]) and all("疑似历史业务" in x["why"] for x in old)
    top = {x["name"]: x for x in rows[:3]}
    assert set(top) == set(makers)
    assert not any(p["stale_suspect"] for x in top.values() for p in x["products"])


@pytest.mark.slow
@pytest.mark.skipif(not (REFDATA / "company_product.json").is_file(), reason="needs ../shared/refdata/ChainKnowledgeGraph")
def test_renamed_firm_rule_flags_only_the_earlier_business_lines():
    """The renamed-firm rule on the whole source: the lines it flags are all read and judged
    lines of an earlier business (晶澳科技's tunnel borer, 爱旭股份's port cranes), nothing else."""
    from chaingraph.pool.chainkg import convert, segments_from_graph
    from chaingraph.store import bundled_files, load_files

    rows = convert(REFDATA, segments_from_graph(load_files(bundled_files())))
    flagged = sorted((r["name"], p["product"], p["stale_reason"]) for r in rows for p in r["products"] if p.get("stale_reason"))
    cranes = ("集装箱起重机", "集装箱岸边桥式起重机", "龙门式起重机", "集装箱轮胎式起重机", "门座式起重机", "浮式起重机")
    assert flagged == sorted([("晶澳科技", "硬岩掘进机", "太阳能组件")]
                             + [("爱旭股份", c, "单晶PERC太阳能电池片") for c in cranes])
    by_name = {r["name"]: r for r in rows}
    for maker in ("振华重工", "中信重工", "三一重工", "徐工机械", "中联重科"):
        if maker in by_name:
            assert not any(p.get("stale_reason") for p in by_name[maker]["products"])
