"""rank_targets: score formula, unknown rule, introducers, entity resolution, xlsx."""

from __future__ import annotations

import rdflib
import pytest

from chaingraph.analysis.context import EXAMPLE_TTL, build_context
from chaingraph.analysis.targets import DEFAULT_WEIGHTS, load_weights, rank_targets, resolve_weights
from chaingraph.errors import ChaingraphError

C = "https://w3id.org/chaingraph/id/company/"
S = "https://w3id.org/chaingraph/id/segment/"
EXTRA = """
@prefix cg: <https://w3id.org/chaingraph/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix seg: <https://w3id.org/chaingraph/id/segment/> .
@prefix company: <https://w3id.org/chaingraph/id/company/> .
@prefix park: <https://w3id.org/chaingraph/id/park/> .
@prefix place: <https://w3id.org/chaingraph/id/place/> .
@prefix fact: <https://w3id.org/chaingraph/id/fact/> .
place:dongguan a cg:Place ; rdfs:label "东莞"@zh ; cg:inRegion place:gba .
place:gba a cg:Place ; rdfs:label "粤港澳大湾区"@zh .
company:f a cg:Company ; rdfs:label "东莞电镀"@zh ; cg:city place:dongguan ; cg:inSegment seg:x-plating ;
    cg:tier cg:Listed .
fact:reloc-b a cg:Relocation ; cg:firm company:b ; cg:fromPlace place:dongguan .
company:g a cg:Company ; rdfs:label "冲壓甲"@zh ; cg:city place:far-city ; cg:inSegment seg:x-plating .
"""
GAPS = [{"segment": S + "x-plating", "priority": 0.5, "kind": "断链", "status": "缺失"},
        {"segment": S + "x-metal", "priority": 0.25, "kind": "补链", "status": "缺失"}]


@pytest.fixture
def ctx():
    g = rdflib.Graph()
    g.parse(data=EXAMPLE_TTL + EXTRA, format="turtle")
    return build_context(g, park="示范园")


def row(res, firm, seg=None):
    return next(r for r in res["rows"] if r["firm"] == C + firm and (seg is None or r["segment"] == S + seg))


def _by_hand(values: dict, weights=None) -> float:
    """The documented score: every component weighted, an unknown one at its prior."""
    from chaingraph.analysis.targets import PRIORS

    w = weights or DEFAULT_WEIGHTS
    return round(sum(w[k] * (values[k] if values.get(k) is not None else PRIORS[k]) for k in w) / sum(w.values()), 4)


def test_formula_by_hand(ctx):
    res = rank_targets(ctx, gaps=GAPS, top=0)
    f = row(res, "f")
    comps = f["components"]
    # gap: the segment's own priority 0.5 (not normalised over the segments listed); tier listed
    # 0.7; strategic gba 1; proximity: b (local) —relocation— 东莞 —city— f: distance 2 -> c = 0.5;
    # 整机链主 and 冲压乙 (referral ties of 冲压甲) at distance 3 -> 0.25 each;
    # v = 0.5 + 0.5 * (1 - 0.5 * 0.75 * 0.75) = 0.859375; product fit and contacted unknown (priors)
    assert comps["gap_priority"]["value"] == 0.5
    assert comps["tier"]["value"] == 0.7
    assert comps["strategic_fit"]["value"] == 1.0
    assert comps["proximity"]["value"] == 0.8594
    assert not comps["product_fit"]["known"] and not comps["contacted"]["known"]
    w = DEFAULT_WEIGHTS
    assert f["score"] == _by_hand({"gap_priority": 0.5, "tier": 0.7, "strategic_fit": 1.0, "proximity": 0.8594})
    known = w["gap_priority"] + w["tier"] + w["strategic_fit"] + w["proximity"]
    assert f["coverage"] == round(known / sum(w.values()), 4)
    # the introducer is 冲压甲 with the relocation path and its fact
    intro = f["introducers"][0]
    assert intro["label"] == "冲压甲" and intro["distance"] == 2
    assert [e["kind"] for e in intro["path"]] == ["relocation", "city"]
    # 远方电镀 (no tie, far city) ranks below 东莞电镀
    assert f["rank"] == 1 and row(res, "d")["rank"] == 2
    # the 推荐理由 says where it is, who introduces it and what is unknown, in Chinese
    assert "粤港澳大湾区" in f["why"] and "冲压甲" in f["why"] and "没有产品证据" in f["why"]
    assert "未知：所在地" in row(res, "d")["why"] or "位于" in row(res, "d")["why"]


def test_unknown_takes_its_prior(ctx):
    res = rank_targets(ctx, gaps=GAPS, top=0)
    d = row(res, "d")
    # 远方电镀: gap 0.5 and a known place outside the target regions (0.2); the rest at its prior
    assert d["components"]["strategic_fit"]["value"] == 0.2
    assert d["score"] == _by_hand({"gap_priority": 0.5, "strategic_fit": 0.2})
    assert d["components"]["proximity"]["value"] is None
    # no evidence never outranks evidence: the same firm with every component unknown scores
    # between a firm known to be bad and one known to be good
    from chaingraph.analysis.targets import PRIORS

    assert _by_hand({"gap_priority": 0.5, "strategic_fit": 0.0}) < _by_hand({"gap_priority": 0.5}) < _by_hand({"gap_priority": 0.5, "strategic_fit": 1.0})
    assert all(0 <= v < 1 for v in PRIORS.values())


def test_score_does_not_depend_on_the_segments_listed(ctx):
    one = rank_targets(ctx, gaps=GAPS[:1], top=0)
    both = rank_targets(ctx, gaps=GAPS, top=0)
    assert row(one, "f")["score"] == row(both, "f")["score"]


def test_weights_change_and_echo(ctx):
    weights = {"strategic_fit": 0, "tier": 0}
    res = rank_targets(ctx, gaps=GAPS, top=0, weights=weights)
    assert res["weights"]["tier"] == 0
    assert row(res, "d")["score"] == _by_hand({"gap_priority": 0.5}, resolve_weights(weights))
    with pytest.raises(ChaingraphError):
        resolve_weights({"nonsense": 1})
    with pytest.raises(ChaingraphError):
        resolve_weights({"tier": -1})


def test_weights_file(tmp_path):
    p = tmp_path / "w.toml"
    p.write_text("tier = 0.5\nproximity = 0.4\n", encoding="utf-8")
    assert load_weights(p)["tier"] == 0.5
    p.write_text('{"weights": {"contacted": 1}}', encoding="utf-8")
    assert load_weights(p)["contacted"] == 1.0


def test_local_firm_in_traditional_script_is_not_proposed(ctx):
    res = rank_targets(ctx, gaps=GAPS, top=0)
    assert C + "g" not in {r["firm"] for r in res["rows"]}
    assert res["excluded_local"] == [{"firm": C + "g", "name": "冲壓甲", "local_firm": C + "b", "local_name": "冲压甲"}]


def test_region_filter_and_empty_segment(ctx):
    res = rank_targets(ctx, gaps=GAPS, top=0, regions=["粤港澳大湾区"])
    assert {r["firm"] for r in res["rows"]} == {C + "f"}
    assert [e["label"] for e in res["empty"]] == ["金属材料"]
    assert "pool build" in res["empty"][0]["message"]


def test_notices_say_what_the_rows_do_not(ctx, bundled_graph):
    """The lines printed beside a ranking (targets.notices): empty segments, 强链 partners, the
    A-share pool's data date when its firms are listed, the firms set apart as local."""
    from chaingraph.analysis.targets import notices

    res = rank_targets(ctx, gaps=GAPS, top=0, regions=["粤港澳大湾区"])
    # 金属材料: no candidate in the region; 电镀: only 东莞电镀, with no product evidence
    assert notices(res) == [res["empty"][0]["message"], res["weak_only"][0]["message"]]
    assert "金属材料" in notices(res)[0] and "「电镀」" in notices(res)[1]
    pooled = dict(res, rows=[dict(res["rows"][0], firm=C + "sc-600000")], local_rows=[res["rows"][0]],
                  params={**res["params"], "home_label": "永州市"})
    lines = notices(pooled)
    assert "ChainKnowledgeGraph" in lines[2] and "2021年10月" in lines[2]
    assert lines[3] == "另有1家已在永州市的企业单列为「本地企业增资扩产 / 市内协作」（不算新引进）"
    strong = rank_targets(build_context(bundled_graph, park="永州经开区"), top=1)
    assert strong["partners_instead"]
    for p in strong["partners_instead"]:
        assert any(line.startswith(f"「{p['label']}」是本地龙头环节") for line in notices(strong))


def test_removed_edges_cut_ties(ctx):
    res = rank_targets(ctx, gaps=GAPS, top=0, removed_edges=["https://w3id.org/chaingraph/id/fact/reloc-b"])
    assert row(res, "f")["components"]["proximity"]["known"] is False


def test_xlsx_contents(ctx, tmp_path):
    from openpyxl import load_workbook

    from chaingraph.target_list import TARGET_COLUMNS, write_target_list

    res = rank_targets(ctx, gaps=GAPS, top=0)
    out = tmp_path / "招商清单.xlsx"
    write_target_list(res, out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["示范链", "评分说明"]
    ws = wb["示范链"]
    assert [c.value for c in ws[1]] == [h for _, h in TARGET_COLUMNS]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws.column_dimensions["E"].width >= 8
    col = [h for _, h in TARGET_COLUMNS].index("企业") + 1
    names = [ws.cell(row=i, column=col).value for i in range(2, ws.max_row + 1)]
    assert names[:2] == ["东莞电镀", "远方电镀"]
    notes = [ws2[0].value for ws2 in wb["评分说明"].iter_rows(min_row=2)]
    assert "未知证据" in notes


def test_bundled_glass_substrate_and_plating(bundled_graph, run_cli):
    r = run_cli("--no-user-data", "targets", "--segment", "玻璃基板", "--format", "json")
    assert r.code == 0, r.err
    data = r.json()
    assert data["weights"] == DEFAULT_WEIGHTS
    if data["rows"]:
        assert all(x["products"] or x["components"]["product_fit"]["known"] is False for x in data["rows"])
    else:
        assert "pool build" in r.err and data["empty"]
    r = run_cli("--no-user-data", "targets", "--segment", "电镀", "--top", "3")
    assert r.code == 0, r.err
    assert ("pool build" in r.err) or "电镀" in r.out


def test_strong_chain_of_a_leader_recommends_partners_not_competitors(bundled_graph):
    """A 强链 gap of a segment a leading local firm holds (find_gaps: recruit mode "partners"):
    its suppliers and customers are ranked (tagged with the segment they strengthen), not firms
    of its own segment."""
    from chaingraph.analysis.context import build_context
    from chaingraph.analysis.gaps import find_gaps

    ctx = build_context(bundled_graph, park="永州经开区")
    gaps = find_gaps(ctx, candidates_listed=0)
    strong = [g for g in gaps if (g.get("recruit") or {}).get("mode") == "partners"]
    assert strong, "the bundled park has a leading firm in a 强链 segment"
    res = rank_targets(ctx, top=3, gaps=gaps)
    assert {p["segment"] for p in res["partners_instead"]} == {g["segment"] for g in strong}
    ranked = {s["segment"] for s in res["segments"]}
    for g in strong:
        assert g["segment"] not in ranked  # no competitors of the leading firm
        assert set(g["recruit"]["segments"]) <= ranked
    for r in res["rows"]:
        if r.get("strengthens"):
            assert r["strengthens"]["segment"] in {g["segment"] for g in strong} and "强链" in r["why"]


def test_signed_lead_is_a_warm_lead(ctx):
    """A lead of the focal park at stage 已签约 lifts the firm (contacted 1.0) and says so."""
    ctx.source.graph.parse(data="""@prefix cg: <https://w3id.org/chaingraph/ns#> .
        <https://w3id.org/chaingraph/id/fact/lead-d> a cg:RecruitmentLead ;
            cg:firm <https://w3id.org/chaingraph/id/company/d> ;
            cg:park <https://w3id.org/chaingraph/id/park/demo-park> ; cg:leadStage cg:Signed .""", format="turtle")
    res = rank_targets(ctx, gaps=GAPS, top=0)
    d = row(res, "d")
    assert d["components"]["contacted"]["value"] == 1.0 and d["components"]["contacted"]["note"] == "园区已签约"
    assert "园区已签约（热线索）" in d["why"]
    assert d["score"] == _by_hand({"gap_priority": 0.5, "strategic_fit": 0.2, "contacted": 1.0})


def test_a_share_reported_under_two_names_counts_no_more_than_unknown():
    """A line whose share the firm also reports under another name (cg:sameRevenueLineAs) is
    one revenue line with two names: its share counts at most as an unstated one, and a small
    share stays small."""
    from chaingraph.analysis.targets.scoring import SHARE_UNSTATED, product_fit

    stated = str(rdflib.Namespace("https://w3id.org/chaingraph/ns#").StatedProduct)

    def fit(share, same):
        link = {"product": "表面处理", "share": share, "basis": stated, "confidence": 0.9, "same_line": same}
        return product_fit({}, [link], None)

    best, shown = fit(0.788492, ["工业清洗系统"])
    assert best == pytest.approx(0.9 * SHARE_UNSTATED * 0.7)  # 0.7: product strength without a matcher
    assert shown[0]["same_line"] == ["工业清洗系统"] and shown[0]["share"] == 0.788492
    assert fit(0.788492, [])[0] == pytest.approx(0.9 * 1.0 * 0.7)
    assert fit(0.0013, ["塑料件"])[0] == fit(0.0013, [])[0] < best


def test_the_shipped_pool_says_when_a_share_has_two_names(monkeypatch, run_cli):
    """蓝英装备 (an equipment maker): its 表面处理 79 % is its 工业清洗系统 line; the row says so."""
    import json

    monkeypatch.setenv("CHAINGRAPH_BUNDLED_POOL", "1")
    r = run_cli("--format", "json", "targets", "--segment", "电镀及表面处理", "--top", "0")
    row = next(x for x in json.loads(r.out)["rows"] if x["name"] == "蓝英装备")
    assert "表面处理 79%（同一收入行另名：工业清洗系统，设备供应商：为该环节供应设备，非从事该环节，弱证据）" in \
        row["components"]["product_fit"]["note"]
    assert row["components"]["product_fit"]["value"] < 0.3  # equipment for the activity: weak (tests/test_target_fit.py)
