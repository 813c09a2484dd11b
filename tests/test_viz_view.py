"""The pure view builder and the page writer (no browser)."""

from __future__ import annotations

import json
import re

import pytest

from chaingraph.viz import build_view, page_html
from chaingraph.viz.page import safe_json

XSS = "<img src=x onerror=alert(1)>"
ED = "https://w3id.org/chaingraph/id/chain/electronic-devices"


@pytest.fixture(scope="module")
def view(bundled_graph):
    return build_view(bundled_graph)


def test_counts_match_nodes_and_edges(view):
    m = view["meta"]
    assert m["total_nodes"] == len(view["nodes"]) == len({n["id"] for n in view["nodes"]})
    assert m["total_edges"] == len(view["edges"])
    assert sum(m["counts"].values()) == len(view["nodes"])
    ids = {n["id"] for n in view["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in view["edges"])
    assert m["counts"]["segment"] == sum(m["status_counts"].values())


def test_default_is_the_leading_chains_and_every_segment_has_a_status(view):
    assert {c["label"] for c in view["meta"]["chains"]} == {"先进电子器件", "先进装备制造"}
    segs = [n for n in view["nodes"] if n["kind"] == "segment"]
    assert segs and all(n["status"] in ("强", "具备", "薄弱", "在建/签约", "缺失", "未见记录") for n in segs)


def test_positions_run_upstream_to_downstream(view):
    pos = {n["id"]: n["x"] for n in view["nodes"]}
    feeds = [e for e in view["edges"] if e["kind"] == "feeds"]
    assert feeds
    by_id = {n["id"]: n for n in view["nodes"]}
    for e in feeds:  # an upstream segment is never right of what it feeds within one stage order
        a, b = by_id[e["from"]], by_id[e["to"]]
        assert a["chain"] == b["chain"]
    stage_x = {}
    for n in view["nodes"]:
        if n["kind"] == "segment":
            stage_x.setdefault((n["chain"], n["card"]["stage"]), []).append(n["x"])
    for chain in {c for c, _ in stage_x}:
        up, mid, down = (stage_x.get((chain, s), []) for s in ("上游", "中游", "下游"))
        if up and mid:
            assert max(up) < min(mid)
        if mid and down:
            assert max(mid) < min(down)
    assert all(isinstance(pos[i], float) for i in pos)


def test_edge_kinds_are_visually_distinct(view):
    from chaingraph.viz import EDGE_STYLES

    looks = {(s["color"], json.dumps(s["dashes"]), s["arrow"]) for s in EDGE_STYLES.values()}
    assert len(looks) == len(EDGE_STYLES)
    assert len({s["color"] for s in EDGE_STYLES.values()}) == len(EDGE_STYLES)


def test_firms_hang_under_their_segment(view):
    by_id = {n["id"]: n for n in view["nodes"]}
    firms = [n for n in view["nodes"] if n["kind"] == "firm" and n["home"]]
    assert firms
    for f in firms:
        seg = by_id[f["home"]]
        assert f["y"] > seg["y"] and abs(f["x"] - seg["x"]) < 200


def test_threshold_collapses_to_segment_level(bundled_graph):
    small = build_view(bundled_graph, threshold=10_000)
    big = build_view(bundled_graph, threshold=1)
    assert not small["meta"]["collapsed"] and small["meta"]["initial_nodes"] == small["meta"]["total_nodes"]
    m = big["meta"]
    assert m["collapsed"]
    lazy = [n for n in big["nodes"] if n["lazy"]]
    assert lazy and all(n["kind"] not in ("segment", "chain") for n in lazy)
    assert m["initial_nodes"] == m["total_nodes"] - len(lazy)
    seg = next(n for n in big["nodes"] if n["kind"] == "segment" and n["firm_count"])
    assert f"{seg['firm_count']}家" in seg["label"]


def _xss_view(bundled_graph):
    seg = "https://w3id.org/chaingraph/id/segment/ed-pcb"
    gaps = [{"segment": seg, "status": "缺失", "priority": 1.0, "kind": "断链"}]
    cands = {seg: [{"firm": "https://example.org/x", "name": XSS, "score": 0.9,
                    "introducers": [{"firm": "a", "label": XSS, "path": [{"from": "a", "from_label": "骏捷智能", "to": "b", "to_label": XSS, "kind": "referral", "evidence": [{"quote": "</script><script>alert(2)</script>", "title": XSS}]}]}]}]}
    return build_view(bundled_graph, chain="先进电子器件", gaps=gaps, candidates=cands, title=XSS)


def test_untrusted_strings_stay_verbatim_in_the_view(bundled_graph):
    v = _xss_view(bundled_graph)
    cand = next(n for n in v["nodes"] if n["kind"] == "candidate")
    assert cand["label"] == XSS and cand["card"]["name"] == XSS
    assert "title" not in cand  # vis-network would render it as HTML


def test_page_escapes_everything(bundled_graph):
    v = _xss_view(bundled_graph)
    page = page_html(v)
    assert XSS not in page and "alert(2)" in page  # only inside escaped JSON
    assert "<script><script>" not in page and "</script><script>alert" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the <title> and heading
    data = re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', page, re.S).group(1)
    assert json.loads(data)["meta"]["title"] == XSS


def test_page_is_offline(bundled_graph):
    page = page_html(build_view(bundled_graph, chain="先进电子器件"))
    assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', page, re.I)
    assert "@import" not in page and not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    assert not re.search(r"cdnjs|jsdelivr|unpkg|googleapis|fonts\.g", page, re.I)
    assert "bootstrap" not in page.lower() and "tom-select" not in page.lower()
    assert "vis.Network" in page and page.startswith("<!DOCTYPE html>")


def test_safe_json_escapes_script_breakers():
    out = safe_json({"a": "</script><!-- \u2028\u2029 &"})
    assert "<" not in out and ">" not in out and "\u2028" not in out and "\u2029" not in out and "&" not in out
    assert json.loads(out) == {"a": "</script><!-- \u2028\u2029 &"}


def test_single_chain_and_unknown_chain(bundled_graph):
    from chaingraph.errors import ChaingraphError

    v = build_view(bundled_graph, chain="先进电子器件")
    assert {n["chain"] for n in v["nodes"] if n["kind"] == "segment"} == {ED}
    with pytest.raises(ChaingraphError):
        build_view(bundled_graph, chain="不存在的产业链xyz")
    with pytest.raises(ChaingraphError):
        build_view(bundled_graph, scope="province")


def test_poster_is_the_panorama_with_the_clis_counts(bundled_graph):
    from chaingraph.analysis.context import build_context
    from chaingraph.analysis.panorama import panorama

    v = build_view(bundled_graph)
    ctx = build_context(bundled_graph)
    by_id = {n["id"]: n for n in v["nodes"]}
    assert [p["label"] for p in v["meta"]["poster"]] == ["先进电子器件", "先进装备制造"]
    for p in v["meta"]["poster"]:
        pano = panorama(ctx, p["chain"])
        assert p["local_firm_count"] == pano["local_firm_count"] and p["summary"] == pano["summary"]
        assert [s["stage"] for s in p["stages"]] == ["上游", "中游", "下游"]
        ids = [i for s in p["stages"] for i in s["segments"]]
        assert sorted(ids) == sorted(r["segment"] for r in pano["rows"])  # every segment exactly once
        for row in pano["rows"]:
            card = by_id[row["segment"]]["card"]
            assert by_id[row["segment"]]["status"] == row["status"] and card["status_reason"] == row["status_reason"]
            assert [f["name"] for f in card["local_firms"]] == row["local_firms"]


def test_evidence_is_read_only_for_what_is_drawn(bundled_graph, monkeypatch):
    import chaingraph.project as project
    import chaingraph.viz.view as view_module

    calls = []
    real = project.evidence_by_subject

    def spy(graph, classes=None, *, subjects=None):
        calls.append((classes, subjects))
        return real(graph, classes, subjects=subjects)

    monkeypatch.setattr(project, "evidence_by_subject", spy)
    monkeypatch.setattr(view_module, "evidence_by_subject", spy)  # the view's own import of it
    v = build_view(bundled_graph, chain="先进电子器件")
    assert all(c is not None or s is not None for c, s in calls)  # never every subject's evidence
    assert not any(c == ("Referral", "Supply", "Relocation", "Visit") for c, _ in calls)  # firm_graph(with_evidence)
    mine = [s for c, s in calls if c is None]
    assert len(mine) == 1
    drawn = {n["id"] for n in v["nodes"]}
    asked = set(mine[0])
    assert asked - drawn and all(s.startswith("https://w3id.org/chaingraph/id/fact/") for s in asked - drawn)
    junjie = next(n for n in v["nodes"] if n["card"]["name"] == "骏捷智能")
    assert junjie["card"]["evidence"] and all(set(e) == {"quote", "title"} for e in junjie["card"]["evidence"])


def test_cards_hold_names_and_chinese_not_iris_or_records(bundled_graph):
    v = build_view(bundled_graph)

    def texts(value, key=""):
        if isinstance(value, dict):
            for k, x in value.items():
                if k not in ("id", "firm", "segment"):  # link targets, never shown
                    yield from texts(x, k)
        elif isinstance(value, list):
            for x in value:
                yield from texts(x, key)
        elif isinstance(value, str):
            yield key, value

    for n in v["nodes"] + v["edges"]:
        for key, text in texts(n["card"]):
            assert "https://" not in text and "{" not in text, (n["id"], key, text)


def _pool_view(graph):
    """The map with the candidates `chaingraph targets` ranks (every segment without a local firm,
    未见记录 ones too): the fixture's makers are in segments the graph has no record for."""
    from collections import defaultdict

    from chaingraph.analysis.context import build_context, resolve_chain
    from chaingraph.analysis.targets import rank_targets

    ctx = build_context(graph)
    cands = defaultdict(list)
    for r in rank_targets(ctx, chain=resolve_chain(ctx, "先进电子器件"), top=5)["rows"]:
        cands[r["segment"]].append(r)
    return build_view(ctx, chain="先进电子器件", targets=5, candidates=dict(cands))


def test_pool_candidates_cards_show_values_not_records(tmp_path):
    """A pool firm's evidence is a JSON record copied from the data set: the card shows its values."""
    from pathlib import Path

    from chaingraph.pool.chainkg import convert, segments_from_graph, write_pool_turtle
    from chaingraph.store import bundled_files, load_files

    fix = Path(__file__).parent / "fixtures" / "chainkg"
    base = load_files(bundled_files())
    pool = write_pool_turtle(convert(fix, segments_from_graph(base)), tmp_path / "chainkg.ttl", src_dir=fix)
    v = _pool_view(load_files(bundled_files() + [pool]))
    cands = [n for n in v["nodes"] if n["kind"] == "candidate"]
    assert cands, "the fixture's PCB makers are candidates for 印制电路板"
    quotes = [e["quote"] for n in cands for e in n["card"]["evidence"]]
    assert quotes and all(q.startswith("数据记录：") and "{" not in q and '"' not in q for q in quotes)
    notes = [x["note"] for n in cands for x in n["card"]["components"]]
    assert notes and not any(re.search("[a-z]{3,}", x or "") for x in notes)  # no English notes ("no known tie")
    assert any(notes)  # the Chinese ones are kept
    assert all(not x["known"] or x["value"] is not None for n in cands for x in n["card"]["components"])
