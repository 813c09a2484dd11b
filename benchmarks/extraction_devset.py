"""Extraction quality on the development set of real-news-style articles (issue #19).

Usage: ``python benchmarks/extraction_devset.py [--devset DIR] [--method rules|jieba-nt|...]
[--only A01 B03] [-v]``.

The development set (``../shared/devset``: 43 articles written from the facts of real local
news pages, 12 in traditional script, 9 with messy layout, and their gold annotations) is not
part of the project; this script reads it from beside the repository and scores with the set's
own ``score.py`` (imported, so the rules are exactly the set's), but runs the extractor in one
process against the bundled graph instead of one ``chaingraph ingest`` per article.

Prints P/R/F1 for firms and for each relation type, overall, and split by script
(simplified / traditional) and for the messy-layout articles, plus seconds per article.
``--method rules+jieba-nt`` adds the mentions of a statistical tagger (see
``chaingraph.ingest.taggers``) so methods can be compared on the same data; ``rules`` is what
``chaingraph ingest`` uses.
"""

from __future__ import annotations

import argparse
import glob
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _devset(path: str | None) -> Path:
    for cand in (path, os.environ.get("CHAINGRAPH_DEVSET"), ROOT.parent / "shared" / "devset", "/work/shared/devset"):
        if cand and (Path(cand) / "score.py").is_file():
            return Path(cand)
    raise SystemExit("development set not found (give --devset DIR)")


def _scorer(devset: Path):
    spec = importlib.util.spec_from_file_location("devset_score", devset / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run(devset: Path, *, method: str = "rules", only=None, verbose: bool = False):
    """Score every article; returns ``(groups, seconds per article)``."""
    from chaingraph.ingest import extract, known_firms, read_source, to_report
    from chaingraph.ingest.pipeline import product_terms
    from chaingraph.store import open_graph

    sc = _scorer(devset)
    graph = open_graph()
    known, terms = known_firms(graph), product_terms(graph)
    tagger = None if method == "rules" else method.removeprefix("rules+")
    groups: dict = {}
    elapsed, n = 0.0, 0
    for gp in sorted(glob.glob(str(devset / "gold" / "*.json"))):
        nn = Path(gp).stem
        if only and nn not in only:
            continue
        gold = json.loads(Path(gp).read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        src = read_source(devset / "articles" / f"{nn}.txt")
        if method.startswith("rules"):
            pred = to_report(extract(src.text, source=src.name, known_firms=known, product_terms=terms, tagger=tagger))
        else:  # the tagger alone: its organisation names as firms, no relations
            from chaingraph.ingest.taggers import tagger_mentions
            from chaingraph.normalize import normalize

            names = sorted({m.text for m in tagger_mentions(normalize(src.text).text, method)})
            pred = {"firms": [{"name": n} for n in names], "relations": []}
        elapsed += time.perf_counter() - t0
        n += 1
        log: list[str] = []
        t, rel = sc.score_article(gold, json.loads(json.dumps(pred, ensure_ascii=False)), log)
        if verbose and log:
            print(f"{nn}:", *log, sep="\n", file=sys.stderr)
        keys = ["all", gold.get("script", "?")] + (["messy"] if gold.get("messy") else ["tidy"])
        for k in keys:
            ft, rt = groups.setdefault(k, ({}, {}))
            sc.add(ft, t)
            for typ, d in rel.items():
                sc.add(rt.setdefault(typ, {}), d)
    return groups, (elapsed / n if n else 0.0), sc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devset", help="folder with articles/, gold/ and score.py (default ../shared/devset)")
    ap.add_argument("--method", default="rules", help="rules (default, what `chaingraph ingest` runs) or "
                    "rules+jieba-nt (the rules plus jieba's organisation tags where the rules found nothing) "
                    "or jieba-nt (jieba's organisation tags alone, firms only)")
    ap.add_argument("--only", nargs="*", help="article ids")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and false positives")
    a = ap.parse_args(argv)
    devset = _devset(a.devset)
    groups, spa, sc = run(devset, method=a.method, only=a.only, verbose=a.verbose)
    print(f"method: {a.method}   data: {devset} ({spa:.3f} s per article)")
    print(f"{'split':<12} {'kind':<11} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for k in ("all", "simplified", "traditional", "tidy", "messy"):
        if k not in groups:
            continue
        ft, rt = groups[k]
        tp, fp, fn = ft.get("ftp", 0), ft.get("ffp", 0), ft.get("ffn", 0)
        p, r, f = sc.prf(tp, fp, fn)
        print(f"{k:<12} {'firms':<11} {tp:>4} {fp:>4} {fn:>4} {p:>6.2f} {r:>6.2f} {f:>6.2f}")
        tot: dict = {}
        for typ in ("referral", "supply", "visit", "relocation", "investment"):
            d = rt.get(typ, {})
            sc.add(tot, d)
            p, r, f = sc.prf(d.get("tp", 0), d.get("fp", 0), d.get("fn", 0))
            print(f"{'':<12} {typ:<11} {d.get('tp', 0):>4} {d.get('fp', 0):>4} {d.get('fn', 0):>4} {p:>6.2f} {r:>6.2f} {f:>6.2f}")
        p, r, f = sc.prf(tot.get("tp", 0), tot.get("fp", 0), tot.get("fn", 0))
        print(f"{'':<12} {'relations':<11} {tot.get('tp', 0):>4} {tot.get('fp', 0):>4} {tot.get('fn', 0):>4} {p:>6.2f} {r:>6.2f} {f:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
