"""Park membership (``in_park``) on the development set: does the extractor put in the focal
park only the firms the article places there?

Usage: ``python benchmarks/in_park.py [--devset DIR] [--only A01 B03] [-v]``.

Runs the extractor as ``chaingraph ingest FILE --park PARK`` does, with each gold file's ``park``
as the focal park, against the bundled graph.  Predicted firms are matched to gold firms with the
set's own ``score.py`` rules (any of name / full name / aliases equal to a gold name or alias
after its normalisation); optional gold firms and gold firms whose ``in_park`` is null are neutral.  For the matched firms it counts

- tp: put in the park, and the gold says ``in_park: true``;
- fp: put in the park, gold ``in_park: false`` (the error that matters: a firm written into the
  wrong park);
- fn: not put in the park, gold ``in_park: true``.

Firms the extractor did not find are not counted (they are the firm scores' misses); predicted
firms that match no gold firm but were put in the park are counted apart (``unmatched in park``).
"""

from __future__ import annotations

import argparse
import glob
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.extraction_devset import _devset, _scorer  # noqa: E402


def run(devset: Path, *, only=None, verbose: bool = False) -> dict:
    """Counts ``{tp, fp, fn, unmatched}`` over the development set."""
    from chaingraph.ingest import extract, known_firms, read_source
    from chaingraph.ingest.pipeline import product_terms
    from chaingraph.store import open_graph

    sc = _scorer(devset)
    graph = open_graph()
    known, terms = known_firms(graph), product_terms(graph)
    tot = dict(tp=0, fp=0, fn=0, unmatched=0)
    for gp in sorted(glob.glob(str(devset / "gold" / "*.json"))):
        nn = Path(gp).stem
        if only and nn not in only:
            continue
        gold = json.loads(Path(gp).read_text(encoding="utf-8"))
        src = read_source(devset / "articles" / f"{nn}.txt")
        ex = extract(src.text, source=src.name, known_firms=known, product_terms=terms, park=gold["park"])
        surf: dict[str, dict] = {}
        for c in gold["companies"]:
            for s in [c["name"], *c.get("aliases", []), *c.get("possible_aliases", [])]:
                surf.setdefault(sc.norm(s), c)
        seen: set[str] = set()
        for f in ex.firms:
            names = [sc.norm(x) for x in (f.name, f.full_name, *(f.aliases or [])) if x]
            gc = next((surf[s] for s in names if s in surf), None)
            if gc is None:
                if f.in_park:
                    tot["unmatched"] += 1
                    if verbose:
                        print(f"{nn}: unmatched in park  {f.name}", file=sys.stderr)
                continue
            if gc.get("optional") or gc.get("in_park") is None or gc["id"] in seen:
                continue
            seen.add(gc["id"])
            kind = ("tp" if gc.get("in_park") else "fp") if f.in_park else ("fn" if gc.get("in_park") else None)
            if kind:
                tot[kind] += 1
                if verbose and kind != "tp":
                    print(f"{nn}: {kind}  {f.name}", file=sys.stderr)
    return tot


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devset", help="folder with articles/, gold/ and score.py (default ../shared/devset)")
    ap.add_argument("--only", nargs="*", help="article ids")
    ap.add_argument("-v", "--verbose", action="store_true", help="list each fp, fn and unmatched firm put in the park")
    a = ap.parse_args(argv)
    devset = _devset(a.devset)
    t = run(devset, only=a.only, verbose=a.verbose)
    p = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 0.0
    r = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"data: {devset} (focal park: each gold file's park; firms matched as score.py matches them)")
    print(f"{'in_park':<10} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}   unmatched firms put in park: {t['unmatched']}")
    print(f"{'':<10} {t['tp']:>4} {t['fp']:>4} {t['fn']:>4} {p:>6.2f} {r:>6.2f} {f1:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
