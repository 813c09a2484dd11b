"""Time-to-interactive and file size of the chain map in headless Chromium.

    python3 benchmarks/viz_bench.py

Synthetic graphs of 200, 1,000 and 5,000 firms on the bundled chain templates (deterministic
seed), plus the bundled graph itself (which must be interactive in under 2 s).  Time to
interactive = from navigation start to the first drawn frame with handlers attached
(``window.cgReady``).  Prints figures; not a timed test.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import rdflib

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
CG = rdflib.Namespace("https://w3id.org/chaingraph/ns#")
CO = "https://w3id.org/chaingraph/id/company/"
PARK = rdflib.URIRef("https://w3id.org/chaingraph/id/park/yongzhou-etdz")
SRC = rdflib.URIRef("https://w3id.org/chaingraph/id/source/s000")


def synthetic(n_firms: int, seed: int = 42) -> rdflib.Graph:
    """The ontology and chain templates plus ``n_firms`` firms (70 % local) with referrals and supplies."""
    from chaingraph.store import load_files, ontology_files, data_dir, turtle_files

    g = load_files(ontology_files() + [p for p in turtle_files(data_dir()) if p.name in ("parks.ttl", "places.ttl", "sources.ttl")])
    rng = random.Random(seed)
    segs = sorted(str(s) for s in g.subjects(rdflib.RDF.type, CG.Segment)
                  if any(str(c).endswith(("electronic-devices", "equipment")) for c in g.objects(s, CG.chain)))
    firms = []
    for i in range(n_firms):
        f = rdflib.URIRef(f"{CO}syn-{i:05d}")
        firms.append(f)
        g.add((f, rdflib.RDF.type, CG.Company))
        g.add((f, rdflib.RDFS.label, rdflib.Literal(f"合成企业{i:05d}", lang="zh")))
        g.add((f, CG.shortName, rdflib.Literal(f"合成{i:05d}", lang="zh")))
        if rng.random() < 0.7:
            g.add((f, CG.park, PARK))
        g.add((f, CG.inSegment, rdflib.URIRef(rng.choice(segs))))
        ev = rdflib.BNode()
        g.add((f, CG.evidence, ev))
        g.add((ev, rdflib.RDF.type, CG.Evidence))
        g.add((ev, CG.source, SRC))
        g.add((ev, CG.quote, rdflib.Literal(f"合成企业{i:05d}", lang="zh")))
    for j in range(n_firms // 2):
        a, b = rng.sample(firms, 2)
        fact = rdflib.URIRef(f"https://w3id.org/chaingraph/id/fact/syn-{j}")
        kind = CG.Referral if j % 2 else CG.Supply
        g.add((fact, rdflib.RDF.type, kind))
        g.add((fact, CG.referrer if j % 2 else CG.supplier, a))
        g.add((fact, CG.referee if j % 2 else CG.customer, b))
    return g


def tti(browser, path: Path) -> float:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    t = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("window.cgReady === true", timeout=120_000)
    wall = time.perf_counter() - t
    nav = page.evaluate("window.cgTTI") / 1000.0  # since navigation start, in the page's clock
    page.close()
    return min(wall, nav) if nav > 0 else wall


def main() -> int:
    from playwright.sync_api import sync_playwright

    from chaingraph.store import GraphSource, open_graph
    from chaingraph.viz import build_view, write_page

    cases = [("bundled", open_graph(GraphSource(include_user=False)))]
    cases += [(f"{n:,} firms", synthetic(n)) for n in (200, 1000, 5000)]
    print(f"{'graph':<14}{'nodes':>7}{'edges':>7}{'start':>10}{'build s':>9}{'size MB':>9}{'TTI s':>8}")
    ok = True
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        for name, g in cases:
            t = time.perf_counter()
            view = build_view(g, targets=3)
            build = time.perf_counter() - t
            path = write_page(view, Path(tmp) / f"{name.split()[0]}.html")
            times = sorted(tti(browser, path) for _ in range(3))
            m = view["meta"]
            start = "segments" if m["collapsed"] else "all"
            print(f"{name:<14}{m['total_nodes']:>7}{m['total_edges']:>7}{start:>10}{build:>9.2f}"
                  f"{path.stat().st_size / 1e6:>9.2f}{times[1]:>8.2f}", flush=True)
            if name == "bundled" and times[1] >= 2.0:
                ok = False
        browser.close()
    print("bundled graph interactive in under 2 s:", "yes" if ok else "NO")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
