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
    return build_view(bundled_graph, chain="先进电子器件", gaps=gaps, candidates=cands, rates=[], title=XSS)


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
