"""Backtest: how would `targets` have ranked the firms that really came through referrals?

For every referrer's cohort of referees (the firms one 以商引商 / 链主带动 referral brought in
together, e.g. the four firms 骏捷智能 brought):
  1. remove the whole cohort from the local set (``ctx.without``) — they become candidates
     again and the segments they filled open up as gaps, as before they arrived;
  2. drop the ties that only existed because they arrived: the referral edges into them (and
     their ``located`` edges); ties stated as pre-existing (supply) are kept;
  3. rank candidates in each of its segments with the DEFAULT weights (no tuning) and print its
     rank, the number of candidates, its score and whether its referrer is named as introducer.

Run:  python benchmarks/backtest_referrals.py            (bundled graph, shipped pool, user data)
      python benchmarks/backtest_referrals.py --no-user-data
"""

from __future__ import annotations

import sys

from chaingraph.analysis.context import build_context
from chaingraph.analysis.gaps import find_gaps
from chaingraph.analysis.targets import rank_targets, target_facts
from chaingraph.store import GraphSource, open_graph


def main(argv: list[str]) -> int:
    graph = open_graph(GraphSource(include_user="--no-user-data" not in argv))
    base = build_context(graph)
    facts = target_facts(graph)
    fg = base.firm_graph
    referrals = sorted(
        (d["fact"], a, b) for a, b, d in fg.edges(data=True) if d.get("kind") == "referral" and b in base.local_firms
    )
    print(f"{'referee':<10} {'referrer':<10} {'segment':<16} {'rank':>5} {'of':>5} {'score':>7}  introducer named?")
    ranks = []
    cohorts: dict[str, list[str]] = {}
    for _, referrer, referee in referrals:
        cohorts.setdefault(referrer, []).append(referee)
    for fact, referrer, referee in referrals:
        cohort = cohorts[referrer]
        ctx = base.without(cohort)
        cut = [k for a, b, k, d in fg.edges(keys=True, data=True) if b in cohort and d.get("kind") == "referral"]
        segs = ctx.covered_segments(referee)
        if not segs:
            print(f"{base.firm_label(referee):<10} {base.firm_label(referrer):<10} (no segment known: not rankable)")
            continue
        gaps = find_gaps(ctx)
        for seg in segs:
            res = rank_targets(ctx, segment=seg, top=0, gaps=gaps, facts=facts, removed_edges=cut)
            # the referees are now registered in the city, so they sit in the local group
            # (本地企业增资扩产 / 市内协作); before they arrived they were candidates like the rest:
            # rank them among new recruits and local firms together, by the one score
            seg_rows = sorted((r for r in res["rows"] + res["local_rows"] if r["segment"] == seg),
                              key=lambda r: (-r["score"], -r["coverage"], r["name"], r["firm"]))
            for i, r in enumerate(seg_rows, start=1):
                r["rank"] = i
            mine = next((r for r in seg_rows if r["firm"] == referee), None)
            if mine is None:
                print(f"{base.firm_label(referee):<10} {base.firm_label(referrer):<10} {ctx.segment_label(seg):<16} (not a candidate)")
                continue
            named = any(i["firm"] == referrer for i in mine["introducers"])
            ranks.append((mine["rank"], len(seg_rows)))
            print(f"{base.firm_label(referee):<10} {base.firm_label(referrer):<10} {ctx.segment_label(seg):<16} "
                  f"{mine['rank']:>5} {len(seg_rows):>5} {mine['score']:>7.4f}  {'yes' if named else 'no'}")
    if ranks:
        top_share = sum(1 for r, _ in ranks if r == 1) / len(ranks)
        pct = sum((r - 1) / max(n - 1, 1) for r, n in ranks) / len(ranks)
        print(f"\n{len(ranks)} (referee, segment) cases; ranked first: {top_share:.0%}; mean percentile rank: {pct:.2f} (0 = top)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
