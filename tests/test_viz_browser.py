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

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1500, "height": 950})
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
    assert page.js("cg.nodeView.length") == m["total_nodes"]
    header = page.js("document.getElementById('cg-stats').textContent")
    assert str(m["counts"]["segment"]) in header and "配套环节覆盖率" in page.js("document.getElementById('cg-rates').textContent")


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
    view = build_view(bundled_graph, chain="先进电子器件", gaps=gaps, candidates=cands, rates=[])
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
    view = build_view(bundled_graph, chain="先进电子器件", gaps=gaps, candidates=cands, rates=[], title=XSS)
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
        page.page.hover("#mynetwork")
        page.page.wait_for_timeout(200)
        assert page.js("document.querySelectorAll('#cg-details img, #cg-hover img, #cg-header img, #cg-results img').length") == 0
        assert page.js("window.__xss") is None
        assert page.dialogs == []
        assert page.errors == [] and page.requests == []
    finally:
        page.close()
