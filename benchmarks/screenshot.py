"""Screenshot the bundled chain map into docs/map.png (headless /usr/bin/chromium).

    python3 benchmarks/screenshot.py [OUT.png]

Needs Debian's chromium and a CJK font (fonts-noto-cjk) so Chinese labels are not boxes.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
REPO = Path(__file__).resolve().parents[1]


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    from chaingraph.store import GraphSource, open_graph
    from chaingraph.viz import build_view, write_page

    graph = open_graph(GraphSource(include_user=False))
    view = build_view(graph, chain="先进电子器件")
    with tempfile.TemporaryDirectory() as tmp:
        page_path = write_page(view, Path(tmp) / "map.html")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1000}, device_scale_factor=1)
            page.goto(page_path.as_uri())
            page.wait_for_function("window.cgReady === true")
            # a readable detail: the upstream half of the chain, with a firm card open
            page.evaluate("""(() => {
                const ids = cg.data.nodes.filter(n => n.kind !== 'chain' && n.x <= 1100).map(n => n.id);
                cg.network.fit({nodes: ids, animation: false});
                const firm = cg.data.nodes.find(n => n.card && n.card.name === '骏捷智能');
                if (firm) { cg.showDetails(firm.id); cg.network.selectNodes([firm.id]); }
            })()""")
            page.wait_for_timeout(300)
            page.screenshot(path=str(out))
            browser.close()
    print(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "map.png")
