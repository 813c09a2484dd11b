"""The chain map in a real browser: headless /usr/bin/chromium driven by Playwright, file:// only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chaingraph.viz import build_view, write_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
XSS = "<img src=x onerror=alert(1)>"
XSS2 = '<img src=y onerror="window.__xss=1">'
JUNJIE = "https://w3id.org/chaingraph/id/company/junjie-zhineng"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing on CI (.ci/run must install Debian's chromium)")
        pytest.skip("/usr/bin/chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api") if not os.environ.get("CI") else __import__(
        "playwright.sync_api", fromlist=["sync_playwright"])
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


class Page:
    """A loaded map page with its console errors, outside requests and dialogs."""

    def __init__(self, browser, path: Path, size=(1500, 950)):
        self.page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        self.errors, self.requests, self.dialogs = [], [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: r.url.split(":", 1)[0] not in ("file", "data", "blob", "about") and self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.cgReady === true", timeout=30_000)

    def js(self, expr):
        return self.page.evaluate(expr)

    def click_node(self, node_id: str):
        self.js("cg.showView('network')")
        self.js(f"cg.network.focus({node_id!r}, {{scale: 1.0, animation: false}})")
        self.page.wait_for_timeout(100)
        pos = self.js(f"""(() => {{ const p = cg.network.canvasToDOM(cg.network.getPositions([{node_id!r}])[{node_id!r}]);
                         const r = document.getElementById('mynetwork').getBoundingClientRect();
                         return [r.left + p.x, r.top + p.y]; }})()""")
        self.page.mouse.click(pos[0], pos[1])

    def close(self):
        self.page.close()


@pytest.fixture(scope="module")
def bundled_page(browser, bundled_graph, tmp_path_factory):
    view = build_view(bundled_graph)
    path = write_page(view, tmp_path_factory.mktemp("map") / "map.html")
    page = Page(browser, path)
    yield page, view
    page.close()


def test_no_console_errors_and_no_network(bundled_page):
    page, _ = bundled_page
    page.js("cg.expandAll()")
    page.page.wait_for_timeout(200)
    assert page.errors == []
    assert page.requests == []


def test_counts_equal_the_view(bundled_page):
    page, view = bundled_page
    m = view["meta"]
    counts = page.js("[cg.nodes.length, cg.edges.length]")
    if page.js("cg.nodes.length") < m["total_nodes"]:
        assert counts == [m["initial_nodes"], m["initial_edges"]]
    page.js("cg.expandAll()")
    assert page.js("[cg.nodes.length, cg.edges.length]") == [m["total_nodes"], m["total_edges"]]
    page.page.select_option("#cg-chain", "")  # 全部产业链
    assert page.js("cg.nodeView.length") == m["total_nodes"]
    header = page.js("document.getElementById('cg-stats').textContent")
    first = m["poster"][0]  # the chain shown first, with the counts `chaingraph report` prints
    assert first["label"] in header and f"本地企业 {first['local_firm_count']}" in header and "配套环节覆盖率" in header


def test_search_short_name_focuses_the_firm(bundled_page):
    page, _ = bundled_page
    page.page.fill("#cg-search", "骏捷")
    page.page.press("#cg-search", "Enter")
    assert page.js("window.cgFocused") == JUNJIE
    assert page.js("cg.network.getSelectedNodes()") == [JUNJIE]
    assert "湖南骏捷智能科技有限公司" in page.js("document.getElementById('cg-details').textContent")
    page.page.fill("#cg-search", "駿捷智能")  # a traditional-script alias
    page.page.press("#cg-search", "Enter")
    assert page.js("window.cgFocused") == JUNJIE


def test_clicking_a_gap_lists_its_candidates(browser, bundled_graph, tmp_path):
    seg = "https://w3id.org/chaingraph/id/segment/ed-pcb"
    gaps = [{"segment": seg, "status": "缺失", "priority": 1.0, "kind": "断链"}]
    cands = {seg: [
        {"firm": "https://example.org/a", "name": "甲电路板公司", "score": 0.91,
         "introducers": [{"firm": JUNJIE, "label": "骏捷智能", "path": [
             {"from": JUNJIE, "from_label": "骏捷智能", "to": "https://example.org/a", "to_label": "甲电路板公司", "kind": "supply",
              "evidence": [{"quote": "骏捷向甲采购电路板", "title": "测试来源"}]}]}]},
        {"firm": "https://example.org/b", "name": "乙线路板公司", "score": 0.72, "introducers": []},
    ]}
    view = build_view(bundled_graph, chain="先进电子器件", gaps=gaps, candidates=cands)
    page = Page(browser, write_page(view, tmp_path / "gap.html"))
    try:
        page.click_node(seg)
        assert page.js("document.getElementById('cg-details').getAttribute('data-node')") == seg
        items = page.js("Array.from(document.querySelectorAll('#cg-candidates > li')).map(li => li.textContent)")
        assert len(items) == 2
        assert "甲电路板公司" in items[0] and "骏捷智能 → 甲电路板公司" in items[0] and "0.91" in items[0]
        assert "乙线路板公司" in items[1]
        assert page.errors == [] and page.requests == []
    finally:
        page.close()


def test_xss_names_show_literally_and_run_nothing(browser, bundled_graph, tmp_path):
    seg = "https://w3id.org/chaingraph/id/segment/ed-pcb"
    gaps = [{"segment": seg, "status": "缺失", "priority": 1.0, "kind": XSS2}]
    cands = {seg: [{"firm": "https://example.org/x", "name": XSS, "score": 0.9, "why": XSS2,
                    "introducers": [{"firm": "a", "label": XSS2, "path": [
                        {"from": "a", "from_label": XSS2, "to": "b", "to_label": XSS, "kind": "referral",
                         "evidence": [{"quote": "</script><script>window.__xss=2</script>", "title": XSS}]}]}]}]}
    view = build_view(bundled_graph, chain="先进电子器件", gaps=gaps, candidates=cands, title=XSS)
    page = Page(browser, write_page(view, tmp_path / "xss.html"))
    try:
        assert page.page.title() == XSS
        page.click_node(seg)
        panel = page.js("document.getElementById('cg-details').textContent")
        assert XSS in panel and XSS2 in panel
        page.page.fill("#cg-search", XSS)
        page.page.press("#cg-search", "Enter")
        assert page.js("window.cgFocused") == "https://example.org/x"
        assert page.js("document.querySelector('#cg-details h2').textContent") == XSS
        page.js("cg.showView('network')")
        page.page.hover("#mynetwork")
        page.page.wait_for_timeout(200)
        assert page.js("document.querySelectorAll('#cg-details img, #cg-hover img, #cg-header img, #cg-results img').length") == 0
        assert page.js("window.__xss") is None
        assert page.dialogs == []
        assert page.errors == [] and page.requests == []
    finally:
        page.close()


# ---------------------------------------------------------------- the poster (全景图谱), the first view

REPO = Path(__file__).resolve().parents[1]
SCREENSHOT = REPO / "docs" / "map.png"


def _report_map(run_cli, tmp_path) -> Path:
    r = run_cli("report", "-o", str(tmp_path / "report"))
    assert r.code == 0, r.err
    return tmp_path / "report" / "chain-map.html"


POSTER_BOXES = """Array.from(document.querySelectorAll('#cg-poster .cg-seg')).map(b => {
  const r = b.getBoundingClientRect(), name = b.querySelector('.cg-seg-name'), st = b.querySelector('.cg-st');
  const nr = name.getBoundingClientRect();
  return {id: b.dataset.id, name: name.textContent, status: st.textContent,
          font: parseFloat(getComputedStyle(name).fontSize), stfont: parseFloat(getComputedStyle(st).fontSize),
          left: r.left, top: r.top, right: r.right, bottom: r.bottom, nameBottom: nr.bottom, nameRight: nr.right,
          visible: document.elementFromPoint(r.left + r.width / 2, r.top + 6) !== null &&
                   b.contains(document.elementFromPoint(r.left + r.width / 2, r.top + 6))};
})"""


@pytest.mark.parametrize("size", [(1366, 768), (1600, 1000)])
def test_first_view_shows_every_segment_name_and_status_readably(browser, run_cli, tmp_path, size):
    path = _report_map(run_cli, tmp_path)
    page = Page(browser, path, size=size)
    try:
        w, h = size
        meta = page.js("cg.data.meta")
        by_id = {n["id"]: n for n in page.js("cg.data.nodes")}
        assert page.js("window.cgView") == "poster"
        for i, chain in enumerate(meta["poster"]):
            if i:
                page.page.select_option("#cg-chain", chain["chain"])
            boxes = page.js(POSTER_BOXES)
            want = [s for st in chain["stages"] for s in st["segments"]]
            assert sorted(b["id"] for b in boxes) == sorted(want)
            for b in boxes:  # inside the window without scrolling or zooming, label at a readable size
                assert 0 <= b["left"] and b["right"] <= w and b["top"] >= 60 and b["bottom"] <= h, b
                assert b["font"] >= 13 and b["stfont"] >= 12, b
                assert b["nameBottom"] <= b["bottom"] and b["nameRight"] <= b["right"] + 1, b
                assert b["visible"], b  # nothing (legend, toolbar, panel) covers it
                assert b["name"] == by_id[b["id"]]["card"]["name"] and b["status"] == by_id[b["id"]]["status"]
            header = page.js("document.getElementById('cg-stats').textContent")
            assert f"{chain['label']}" in header and f"本地企业 {chain['local_firm_count']}" in header
            # no empty third: the boxes span the width of the window
            assert max(b["right"] for b in boxes) > w * 0.9 and min(b["left"] for b in boxes) < w * 0.05
        for bar in ("#cg-toolbar", "#cg-header"):  # one line each: nothing wraps over the map
            assert page.js(f"document.querySelector('{bar}').getBoundingClientRect().height") < 48
        assert page.errors == [] and page.requests == []
        if size == (1366, 768):
            page.page.select_option("#cg-chain", meta["poster"][0]["chain"])
            page.page.wait_for_timeout(100)
            shot = page.page.screenshot()
            if os.environ.get("CHAINGRAPH_UPDATE_SCREENSHOT"):
                SCREENSHOT.write_bytes(shot)
            assert SCREENSHOT.read_bytes()[16:24] == shot[16:24]  # README's image: this view, same size
    finally:
        page.close()


CARD_CHECK = """(() => {
          const bad = [];
          for (const n of cg.data.nodes) {
            cg.showDetails(n.id);
            const t = document.getElementById('cg-details').textContent;
            if (/https?:|\\{|\\}|":|\\[object|undefined|null|NaN|no known tie|no visit/.test(t)) bad.push([n.id, t.slice(0, 300)]);
          }
          for (const e of cg.data.edges) {
            cg.showEdge(e.id);
            const t = document.getElementById('cg-details').textContent;
            if (/https?:|\\{|\\}|":|\\[object|undefined|null|NaN/.test(t)) bad.push([e.id, t.slice(0, 300)]);
          }
          return bad;
        })()"""


def test_pool_candidate_cards_show_no_record(browser, tmp_path):
    """Candidates from a pool (built from the fixture) carry JSON records as evidence: never shown raw."""
    from chaingraph.pool.chainkg import convert, segments_from_graph, write_pool_turtle
    from chaingraph.store import bundled_files, load_files

    fix = Path(__file__).parent / "fixtures" / "chainkg"
    pool = write_pool_turtle(convert(fix, segments_from_graph(load_files(bundled_files()))), tmp_path / "p.ttl", src_dir=fix)
    from test_viz_view import _pool_view

    view = _pool_view(load_files(bundled_files() + [pool]))
    assert view["meta"]["counts"]["candidate"]
    page = Page(browser, write_page(view, tmp_path / "pool.html"), size=(1366, 768))
    try:
        assert page.js(CARD_CHECK) == []
        cand = page.js("cg.data.nodes.find(n => n.kind === 'candidate').id")
        page.js(f"cg.showDetails({cand!r})")
        card = page.js("document.getElementById('cg-details').textContent")
        assert "推荐理由与评分" in card and "数据记录：" in card and "——《" in card
        assert page.errors == []
    finally:
        page.close()


def test_no_card_shows_an_iri_or_a_record(browser, run_cli, tmp_path):
    page = Page(browser, _report_map(run_cli, tmp_path), size=(1366, 768))
    try:
        assert page.js(CARD_CHECK) == []
        page.page.click("#cg-meanings")  # the legend says what each status means, in words
        meanings = page.js("document.getElementById('cg-details').textContent")
        assert all(s["status"] in meanings for s in page.js("cg.data.meta.statuses")) and "未见记录" in meanings
        # a segment card: status with its reason, the firms by name, the candidates expandable
        page.page.click("#cg-poster .cg-seg:has-text('电镀及表面处理')")
        card = page.js("document.getElementById('cg-details').textContent")
        assert "薄弱：" in card and "锦络电子" in card and "规划表述" in card and "——《" in card
        assert page.js("document.getElementById('cg-panel').hidden") is False
        firm = page.js("cg.data.nodes.find(n => n.card.name === '骏捷智能').id")
        page.js(f"cg.showDetails({firm!r})")
        card = page.js("document.getElementById('cg-details').textContent")
        assert "湖南骏捷智能科技有限公司" in card and "“" in card and "——《" in card
        assert page.errors == []
    finally:
        page.close()


def test_poster_exports_svg_and_png(browser, run_cli, tmp_path):
    import base64
    import xml.etree.ElementTree as ET

    page = Page(browser, _report_map(run_cli, tmp_path), size=(1366, 768))
    try:
        svg = page.js("cg.posterSVG()")
        root = ET.fromstring(svg)
        texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
        names = page.js("Array.from(document.querySelectorAll('#cg-poster .cg-seg-name')).map(e => e.textContent)")
        assert names and set(names) <= texts
        png = page.js("cg.posterPNG()")
        raw = base64.b64decode(png.split(",", 1)[1])
        assert raw[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(raw[16:20], "big") >= 1366
        assert page.errors == [] and page.requests == []
    finally:
        page.close()
