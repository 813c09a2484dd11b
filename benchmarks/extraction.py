"""Extraction quality on the seed articles against the hand-curated gold in data/*.ttl.

Usage: ``python benchmarks/extraction.py [--seeds DIR] [--data DIR]``.

Per article, gold firms are the ``cg:Company`` nodes with evidence from that article's
``cg:Source``; a predicted firm matches a gold firm when any of its names equals any gold name
after normalisation (or their trade names agree).  Alias links are (firm, name) pairs for the
non-display names.  Relations are matched by type and by the matched firms on both ends
(visits and projects by their firm only; relocations by firm and place label).
The gold is never produced with the extractor.
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rdflib import Graph  # noqa: E402
from rdflib.namespace import RDF, RDFS  # noqa: E402

from chaingraph.ingest.extract import extract  # noqa: E402
from chaingraph.ingest.names import parse_name, valid_trade  # noqa: E402
from chaingraph.ingest.reading import read_source  # noqa: E402
from chaingraph.namespaces import CG  # noqa: E402
from chaingraph.normalize import normalize  # noqa: E402

REL_CLASSES = {
    "referral": (CG.Referral, CG.referrer, CG.referee),
    "supply": (CG.Supply, CG.supplier, CG.customer),
    "relocation": (CG.Relocation, CG.firm, CG.fromPlace),
    "visit": (CG.Visit, None, CG.target),
    "project": (CG.Project, None, CG.firm),
}


def _names(g, node):
    return {normalize(str(o)).text for p in (RDFS.label, CG.fullName, CG.shortName) for o in g.objects(node, p)}


def _sources_of(g, node):
    return {g.value(ev, CG.source) for ev in g.objects(node, CG.evidence)}


def load_gold(data_dir: Path):
    g = Graph()
    for f in sorted(data_dir.glob("*.ttl")):
        g.parse(f, format="turtle")
    by_file = {str(g.value(s, CG.fileName)): s for s in g.subjects(RDF.type, CG.Source)}
    return g, by_file


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


class Matcher:
    """Map predicted names to gold firms."""

    def __init__(self, g, firms):
        self.by_name = {}
        self.by_trade = {}
        for c in firms:
            for n in _names(g, c):
                self.by_name.setdefault(n, c)
                t = parse_name(n).trade
                if valid_trade(t):
                    self.by_trade.setdefault(t, c)

    def __call__(self, names):
        for n in names:
            if n in self.by_name:
                return self.by_name[n]
        for n in names:
            t = parse_name(n).trade
            if t in self.by_trade:
                return self.by_trade[t]
        return None


def run(seeds: Path, data: Path, verbose: bool = False) -> dict:
    g, by_file = load_gold(data)
    all_firms = set(g.subjects(RDF.type, CG.Company))
    counts = defaultdict(lambda: [0, 0, 0])  # tp, pred, gold
    for path in sorted(seeds.glob("*.txt")):
        src = by_file.get(path.name)
        if src is None:
            continue
        s = read_source(path)
        ex = extract(s.text, source=s.name)
        gold_firms = {c for c in all_firms if src in _sources_of(g, c)}
        match = Matcher(g, all_firms)
        pred_map = {f.key: match(f.names + [f.name]) for f in ex.firms}
        hits = {c for c in pred_map.values() if c in gold_firms}
        if verbose:
            for f in ex.firms:
                if pred_map[f.key] not in gold_firms:
                    print(src, "firm FP", f.name, f.names)
            for c_ in gold_firms - hits:
                print(src, "firm FN", c_)
        c = counts["firms"]
        c[0] += len(hits)
        c[1] += len(ex.firms)
        c[2] += len(gold_firms)
        # alias links: (gold firm, alias) among names used in this article
        gold_alias = set()
        for firm in gold_firms:
            label = {normalize(str(o)).text for o in g.objects(firm, RDFS.label)}
            quotes = " ".join(str(g.value(ev, CG.quote)) for ev in g.objects(firm, CG.evidence)
                              if g.value(ev, CG.source) == src)
            for n in _names(g, firm) - label:
                if n in normalize(s.text).text or n in quotes:
                    gold_alias.add((firm, n))
        pred_alias = set()
        for f in ex.firms:
            for n in f.names:
                if n != f.name and pred_map[f.key] is not None:
                    pred_alias.add((pred_map[f.key], n))
        c = counts["alias links"]
        c[0] += len(pred_alias & gold_alias)
        c[1] += len({(pred_map[f.key], n) for f in ex.firms for n in f.names if n != f.name})
        c[2] += len(gold_alias)
        # relations
        for kind, (cls, a_p, b_p) in REL_CLASSES.items():
            gold = set()
            for node in g.subjects(RDF.type, cls):
                if src not in _sources_of(g, node):
                    continue
                a = g.value(node, a_p) if a_p is not None else None
                b = g.value(node, b_p)
                if kind == "relocation":
                    b = frozenset(_names(g, b)) or frozenset([str(b)])
                gold.add((a, b) if kind in ("referral", "supply") else (g.value(node, CG.firm) if kind == "relocation" else None, b))
            pred = set()
            for r in ex.relations:
                if r.type != kind:
                    continue
                if kind in ("referral", "supply"):
                    pred.add((pred_map.get(r.source), pred_map.get(r.target)))
                elif kind == "relocation":
                    place = next((b for a, b in gold if r.place in b), frozenset([r.place]))
                    pred.add((pred_map.get(r.source), place))
                else:
                    pred.add((None, pred_map.get(r.source if kind == "project" else r.target)))
            c = counts[kind]
            c[0] += len(pred & gold)
            c[1] += len(pred)
            c[2] += len(gold)
    return {k: (v, prf(*v)) for k, v in counts.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default=os.environ.get("CHAINGRAPH_SEEDS", str(ROOT.parent / "shared" / "seeds")))
    ap.add_argument("--data", default=str(ROOT / "data"))
    ap.add_argument("-v", "--verbose", action="store_true", help="list firm errors")
    a = ap.parse_args(argv)
    seeds = Path(a.seeds)
    if not seeds.is_dir():
        for cand in ("/work/shared/seeds",):
            if Path(cand).is_dir():
                seeds = Path(cand)
    if not any(Path(a.data).glob("*.ttl")):
        print(f"no gold Turtle in {a.data}", file=sys.stderr)
        return 1
    res = run(seeds, Path(a.data), a.verbose)
    print(f"{'kind':<12} {'tp':>4} {'pred':>5} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for k in ("firms", "alias links", "referral", "supply", "relocation", "visit", "project"):
        (tp, n_pred, n_gold), (p, r, f) = res.get(k, ((0, 0, 0), (0, 0, 0)))
        print(f"{k:<12} {tp:>4} {n_pred:>5} {n_gold:>5} {p:>6.2f} {r:>6.2f} {f:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
