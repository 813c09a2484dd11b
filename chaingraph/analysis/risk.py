"""Chain-break risk (掉链风险): links that hang on one local firm.

* **single-firm segments** — segments of the chain(s) with exactly one named local firm
  (sub-segments counted in their broader segment, as everywhere) and no source reporting more
  firms there: a segment where a source reports 5 firms and names one (精密压铸: “意华精密压铸等5家
  精密压铸企业”) hangs on no single firm.  "One" is what the graph knows (it names 8 of the 79
  electronics firms the sources report): the wording says 图谱仅知.
* **per local firm** — its segments; its *sole* segments (where it is the only named local firm
  and no source reports more); the segments that would go 缺失 if it left (its sole segments);
  and the downstream local firms that would lose their only known local supply: firms in a
  present segment that a sole segment of it feeds directly, plus customers of its recorded
  ``cg:Supply`` ties that have no other recorded local supplier.

* **referral-tied firms** — the local firms it brought in (``cg:Referral``, followed through
  cascades: the firms they brought in too).  Firms that came because of it may leave with it, so
  ``with_referees`` asks what goes if the firm *and* its referees leave: the segments left with no
  named local firm (``would_go_missing_with_referees``).

Firms are ranked by dependent plus referral-tied firms, then sole segments, then name.

Examples
--------
>>> from chaingraph.analysis.context import build_context, example_graph
>>> risk = break_risk(build_context(example_graph(), park="示范园"))
>>> [(r["label"], r["firm_label"]) for r in risk["single_firm_segments"]]
[('整机', '整机链主')]
>>> top = risk["firms"][0]
>>> top["label"], top["sole_segments"], top["would_go_missing"], top["dependents"]
('整机链主', ['整机'], ['整机'], [])
"""

from __future__ import annotations

from typing import NamedTuple

from chaingraph.analysis.context import AnalysisContext, resolve_chain
from chaingraph.analysis.status import segment_statuses


class _Scope(NamedTuple):
    """The segments a risk report covers, with their local firms and statuses."""

    segments: list[str]  # upstream first
    in_scope: set[str]
    firms: dict[str, list[str]]  # segment -> its named local firms (sub-segments included)
    status: dict[str, dict]  # segment -> segment_statuses() row


class _Ties(NamedTuple):
    """Recorded ties among local firms."""

    referred: dict[str, set[str]]  # referrer -> the local firms it referred
    supply_in: dict[str, set[str]]  # customer -> its local suppliers
    supply_out: dict[str, set[str]]  # supplier -> its local customers


def break_risk(ctx: AnalysisContext, chain: str | None = None) -> dict:
    """Single points of failure among the local firms of ``chain`` (default ``ctx.focus_chains``).

    Returns
    -------
    dict
        ``park``, ``park_label``, ``scope``, ``chains`` (IRIs);
        ``single_firm_segments`` — ``[{segment, label, chain, chain_label, stage, firm,
        firm_label, reported_count}]`` upstream first;
        ``firms`` — ``[{firm, label, segments, sole_segments, would_go_missing, dependents:
        [{firm, label, segment, segment_label, input, input_label, reason}],
        dependent_count, referees: [{firm, label, segments}], referee_count,
        would_go_missing_with_referees}]`` ranked as in the module docstring.
    """
    chains = [resolve_chain(ctx, chain)] if chain else list(ctx.focus_chains)
    segs = [s for c in chains for s in ctx.chain_segments(c)]
    sf = ctx.segment_firms()
    st = segment_statuses(ctx, sf)
    scope = _Scope(segs, set(segs), sf, st)
    single = _single_firm_segments(ctx, scope)
    ties = _local_ties(ctx)
    firms = [row for f in sorted(ctx.local_firms) if (row := _firm_risk(ctx, scope, ties, f)) is not None]
    firms.sort(key=lambda r: (-(r["dependent_count"] + r["referee_count"]), -len(r["sole_segments"]), r["label"], r["firm"]))
    return {
        "park": ctx.park,
        "park_label": ctx.park_label,
        "scope": ctx.scope,
        "chains": chains,
        "single_firm_segments": single,
        "firms": firms,
    }


def _single_firm_segments(ctx: AnalysisContext, scope: _Scope) -> list[dict]:
    """Segments with exactly one named local firm, upstream first."""
    single = []
    for s in scope.segments:
        if len(scope.firms[s]) == 1 and not _more_reported(scope, s):
            node = ctx.dag.nodes[s]
            f = scope.firms[s][0]
            single.append(
                {
                    "segment": s,
                    "label": node["label"],
                    "chain": node["chain"],
                    "chain_label": node["chain_label"],
                    "stage": node["stage"],
                    "firm": f,
                    "firm_label": ctx.firm_label(f),
                    "reported_count": scope.status[s]["reported_count"],
                }
            )
    return single


def _more_reported(scope: _Scope, s: str) -> bool:
    """A source reports more local firms in ``s`` than the graph names."""
    return (scope.status[s]["reported_count"] or 0) > len(scope.firms[s])


def _local_ties(ctx: AnalysisContext) -> _Ties:
    ties = _Ties({}, {}, {})
    for a, b, d in ctx.firm_graph.edges(data=True):
        if a not in ctx.local_firms or b not in ctx.local_firms:
            continue
        if d.get("kind") == "referral" and a != b:
            ties.referred.setdefault(a, set()).add(b)
        elif d.get("kind") == "supply":
            ties.supply_out.setdefault(a, set()).add(b)
            ties.supply_in.setdefault(b, set()).add(a)
    return ties


def _tied_to(ties: _Ties, f: str) -> list[str]:
    """The local firms ``f`` referred, followed through cascades (sorted)."""
    seen, todo = set(), list(ties.referred.get(f, ()))
    while todo:
        x = todo.pop()
        if x in seen or x == f:
            continue
        seen.add(x)
        todo += ties.referred.get(x, ())
    return sorted(seen)


def _dependents(ctx: AnalysisContext, scope: _Scope, ties: _Ties, f: str, sole: list[str]) -> list[dict]:
    """Local firms that would lose their only local input if ``f`` left: firms of a segment a
    sole segment of ``f`` feeds, then customers with no other recorded local supplier."""
    dependents: dict[str, dict] = {}
    for s in sole:
        for t in sorted(ctx.dag.successors(s)):
            if t not in scope.in_scope:
                continue
            for g in scope.firms[t]:
                if g != f and g not in dependents:
                    dependents[g] = {
                        "firm": g,
                        "label": ctx.firm_label(g),
                        "segment": t,
                        "segment_label": ctx.segment_label(t),
                        "input": s,
                        "input_label": ctx.segment_label(s),
                        "reason": f"其所在环节「{ctx.segment_label(t)}」的本地「{ctx.segment_label(s)}」图谱仅知此一家",
                    }
    for c in sorted(ties.supply_out.get(f, ())):
        if c != f and c not in dependents and ties.supply_in.get(c, set()) == {f}:
            dependents[c] = {
                "firm": c,
                "label": ctx.firm_label(c),
                "segment": None,
                "segment_label": None,
                "input": None,
                "input_label": None,
                "reason": "有记录的唯一本地供应商",
            }
    return sorted(dependents.values(), key=lambda d: (d["segment"] or "~", d["firm"]))


def _firm_risk(ctx: AnalysisContext, scope: _Scope, ties: _Ties, f: str) -> dict | None:
    """One local firm's row (None for a firm with no segment in scope and no recorded tie)."""
    mine = [s for s in ctx.covered_segments(f) if s in scope.in_scope]
    if not mine and f not in ties.supply_out and f not in ties.referred:
        return None
    sole = [s for s in mine if scope.firms[s] == [f] and not _more_reported(scope, s)]
    deps = _dependents(ctx, scope, ties, f, sole)
    tied = _tied_to(ties, f)
    group = {f, *tied}
    with_referees = [ctx.segment_label(s) for s in scope.segments
                     if scope.firms[s] and set(scope.firms[s]) <= group and not scope.status[s]["reported_count"]]
    return {
        "firm": f,
        "label": ctx.firm_label(f),
        "segments": [ctx.segment_label(s) for s in mine],
        "sole_segments": [ctx.segment_label(s) for s in sole],
        "would_go_missing": [ctx.segment_label(s) for s in sole],
        "dependents": deps,
        "dependent_count": len(deps),
        "referees": [{"firm": g, "label": ctx.firm_label(g),
                      "segments": [ctx.segment_label(s) for s in ctx.covered_segments(g) if s in scope.in_scope]}
                     for g in tied],
        "referee_count": len(tied),
        "would_go_missing_with_referees": with_referees,
    }

