"""Segment status (缺失/薄弱/具备/强) and the local supporting rate (本地配套率).

Status of a segment for the focal park(s), from its named local firms ``n`` (firms in the segment
or in any of its sub-segments) and its reported count ``r`` (see
:meth:`~chaingraph.analysis.context.AnalysisContext.reported_count`):

* **缺失** (missing) — ``n == 0`` and no reported count (or 0);
* **薄弱** (weak) — present, but: no named firm, only a reported count (reported presence only);
  or fewer than two firms, counting ``max(n, r)``; or the template expects a chain leader
  (``cg:leaderExpected``) and no local firm in it is one;
* **强** (strong) — at least two firms and a chain leader among the named ones;
* **具备** (present) — everything else (at least two firms, no leader needed or one present).

A segment is **present** when its status is not 缺失.

Local supporting rate (本地配套率) of a chain: over every ``feeds`` edge ``u → s`` of the chain
whose consumer ``s`` is present, the share whose supplier segment ``u`` is present too::

    rate = |{u → s : s present, u present}| / |{u → s : s present}|

(``None`` when no present segment has an input in the template).  It answers "of the inputs our
firms need, in how many is there a local supplier?".

Examples
--------
>>> from chaingraph.analysis.context import build_context, example_graph
>>> ctx = build_context(example_graph(), park="示范园")
>>> st = segment_statuses(ctx)
>>> [(ctx.segment_label(s), st[s]["status"]) for s in ctx.chain_segments()]
[('金属材料', '缺失'), ('冲压', '具备'), ('电镀', '缺失'), ('整机', '薄弱'), ('回收', '缺失')]
>>> supporting_rate(ctx, "https://w3id.org/chaingraph/id/chain/demo")["rate"]
0.3333
"""

from __future__ import annotations

STATUSES = ("缺失", "薄弱", "具备", "强")


def segment_statuses(ctx, firms_by_segment: dict[str, list[str]] | None = None) -> dict[str, dict]:
    """``{segment: {status, reason, local_firms (IRIs), leaders (IRIs), reported_count, present}}``.

    ``firms_by_segment`` defaults to ``ctx.segment_firms()`` (the local firms).
    """
    sf = ctx.segment_firms() if firms_by_segment is None else firms_by_segment
    out = {}
    for s in sorted(ctx.dag.nodes):
        firms = sf.get(s, [])
        n = len(firms)
        rc = ctx.reported_count(s)
        leaders = [f for f in firms if f in ctx.leaders]
        expected = bool(ctx.dag.nodes[s].get("leader_expected"))
        size = max(n, rc or 0)
        if n == 0 and not rc:
            status, reason = "缺失", "本地无企业，亦无报道数量"
        elif n == 0:
            status, reason = "薄弱", f"仅有报道数量（{rc}家，未具名）"
        elif size < 2:
            status, reason = "薄弱", "仅1家本地企业"
        elif expected and not leaders:
            status, reason = "薄弱", f"{size}家企业，但模板要求链主而本地无链主"
        elif leaders:
            status, reason = "强", f"{size}家企业，含链主"
        else:
            status, reason = "具备", f"{size}家企业"
        out[s] = {
            "status": status,
            "reason": reason,
            "local_firms": list(firms),
            "leaders": leaders,
            "reported_count": rc,
            "present": status != "缺失",
        }
    return out


def supporting_rate(ctx, chain: str, statuses: dict[str, dict] | None = None) -> dict:
    """Local supporting rate (本地配套率) of ``chain`` (definition in the module docstring).

    Returns ``{chain, chain_label, present_segments, inputs, local_inputs, rate,
    missing_inputs}``; ``rate`` is rounded to 4 decimals, ``missing_inputs`` lists
    ``{segment, label, needed_by}`` for inputs of present segments that are not present, sorted.
    """
    st = segment_statuses(ctx) if statuses is None else statuses
    segs = [s for s in ctx.chain_segments(chain)]
    present = {s for s in segs if st[s]["present"]}
    inputs = local = 0
    missing: dict[str, set[str]] = {}
    for s in segs:
        if s not in present:
            continue
        for u in ctx.dag.predecessors(s):
            if ctx.dag.nodes[u]["chain"] != chain:
                continue
            inputs += 1
            if u in present:
                local += 1
            else:
                missing.setdefault(u, set()).add(ctx.segment_label(s))
    return {
        "chain": chain,
        "chain_label": ctx.chains.get(chain, {}).get("label", chain),
        "present_segments": len(present),
        "inputs": inputs,
        "local_inputs": local,
        "rate": round(local / inputs, 4) if inputs else None,
        "missing_inputs": [
            {"segment": u, "label": ctx.segment_label(u), "needed_by": sorted(v)} for u, v in sorted(missing.items())
        ],
    }
