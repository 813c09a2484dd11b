"""Locating validation problems in a big file: one index per file vs one scan per problem.

    python3 benchmarks/validate_locate.py

Measured on the shipped candidate pool (``pool/chainkg.ttl``, 5.8 MB, ~87,000 lines): the file
and line of 10, 100 and 1,000 of its firms (every k-th, deterministic), as ``validate`` locates
the focus node of each SHACL or check problem.  "scan" is the former way (a regex over every
line, once per node); "index" is :class:`chaingraph.validate.locate.Locator` (the lines indexed
once per file).  Both must give the same lines.  Prints figures; not a timed test.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import rdflib
from rdflib import URIRef

from chaingraph.namespaces import CG
from chaingraph.validate.locate import Locator

POOL = Path(__file__).resolve().parents[1] / "pool" / "chainkg.ttl"


def scan_line(node: URIRef, g: rdflib.Graph, lines: list[str]) -> int | None:
    """The former per-node scan: first line starting with the node, else first mentioning it."""
    tokens = [f"<{node}>"] + [f"{p}:{str(node)[len(str(ns)):]}" for p, ns in g.namespaces()
                              if str(node).startswith(str(ns)) and len(str(node)) > len(str(ns))]
    pattern = re.compile("(?:" + "|".join(re.escape(t) for t in tokens) + r")(?=[\s;,.\]\)]|$)")
    first_any = None
    for i, text in enumerate(lines, start=1):
        m = pattern.search(text)
        if m and not text[: m.start()].strip():
            return i
        if m and first_any is None:
            first_any = i
    return first_any


def main() -> None:
    text = POOL.read_text(encoding="utf-8")
    g = rdflib.Graph().parse(data=text, format="turtle", publicID=POOL.resolve().as_uri())
    lines = text.splitlines()
    firms = sorted(g.subjects(rdflib.RDF.type, CG.Company))
    print(f"{POOL.name}: {len(lines):,} lines, {len(g):,} statements, {len(firms):,} firms")
    print(f"{'problems':>9} {'scan s':>8} {'index s':>8}  same lines")
    for n in (10, 100, 1000):
        nodes = firms[:: max(1, len(firms) // n)][:n]
        t0 = time.perf_counter()
        scanned = [scan_line(x, g, lines) for x in nodes]
        t1 = time.perf_counter()
        loc = Locator()
        loc.add(str(POOL), g, text)
        indexed = [loc.locate(x, g)[1] for x in nodes]
        t2 = time.perf_counter()
        print(f"{n:>9,} {t1 - t0:>8.2f} {t2 - t1:>8.2f}  {scanned == indexed}")


if __name__ == "__main__":
    main()
