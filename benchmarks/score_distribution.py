"""How target scores are distributed: every candidate of every gap of the park's leading chains.

Prints, for the graph as loaded (bundled data, the shipped pool, user data), the number of
(candidate, gap) rows, quartiles, the share of rows per 0.1 band, the spread within each gap
(best minus median of its candidates) and how many rows rest on weak product evidence only.

Run:  python benchmarks/score_distribution.py [--scope city]
"""

from __future__ import annotations

import statistics
import sys

from chaingraph.analysis.context import build_context
from chaingraph.analysis.targets import rank_targets, target_facts
from chaingraph.store import GraphSource, open_graph


def main(argv: list[str]) -> int:
    scope = "city" if "--scope" in argv and argv[argv.index("--scope") + 1] == "city" else "park"
    graph = open_graph(GraphSource())
    ctx = build_context(graph, scope=scope)
    res = rank_targets(ctx, top=0, facts=target_facts(graph))
    rows = res["rows"]
    scores = sorted(r["score"] for r in rows)
    if not scores:
        print("no candidate rows")
        return 0
    q = statistics.quantiles(scores, n=4)
    print(f"{len(rows)} (candidate, gap) rows over {len({r['segment'] for r in rows})} gaps; "
          f"{len(res['local_rows'])} rows of firms already local (listed apart)")
    print(f"min {scores[0]:.3f}  Q1 {q[0]:.3f}  median {q[1]:.3f}  Q3 {q[2]:.3f}  max {scores[-1]:.3f}  "
          f"stdev {statistics.pstdev(scores):.3f}")
    bands = [0] * 10
    for s in scores:
        bands[min(9, int(s * 10))] += 1
    print("bands: " + "  ".join(f"{i / 10:.1f}-{(i + 1) / 10:.1f} {n / len(scores):.0%}" for i, n in enumerate(bands) if n))
    spreads = []
    for seg in {r["segment"] for r in rows}:
        ss = sorted((r["score"] for r in rows if r["segment"] == seg), reverse=True)
        if len(ss) >= 3:
            spreads.append(ss[0] - statistics.median(ss))
    if spreads:
        print(f"within a gap (≥3 candidates, {len(spreads)} gaps): best minus median {statistics.median(spreads):.3f} "
              f"(median over gaps), max {max(spreads):.3f}")
    weak = sum(1 for r in rows if r["weak_evidence"])
    print(f"rows on weak product evidence only: {weak} ({weak / len(rows):.0%}); "
          f"gaps whose candidates are all weak: {len(res['weak_only'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
