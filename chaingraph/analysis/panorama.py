"""The panorama map (全景图谱) of one chain for the focal park(s).

Segments in upstream → downstream order (stage, then topological order of ``feeds``), grouped by
stage, each with its named local firms, reported count and status (see
:mod:`chaingraph.analysis.status` for the status rules and the local supporting rate).

Examples
--------
>>> from chaingraph.analysis.context import build_context, example_graph
>>> pano = panorama(build_context(example_graph(), park="示范园"), "示范链")
>>> [(s["stage"], [x["label"] for x in s["segments"]]) for s in pano["stages"]]
[('上游', ['金属材料']), ('中游', ['冲压', '电镀']), ('下游', ['整机', '回收'])]
>>> [(r["label"], r["status"], r["local_firms"]) for r in pano["rows"][1:4]]
[('冲压', '具备', ['冲压甲', '冲压乙']), ('电镀', '缺失', []), ('整机', '强', ['整机链主'])]
>>> pano["supporting_rate"]["rate"], pano["summary"]
(0.3333, {'强': 1, '具备': 1, '薄弱': 0, '在建/签约': 0, '缺失': 1, '未见记录': 2})
"""

from __future__ import annotations

from chaingraph.analysis.context import AnalysisContext, resolve_chain
from chaingraph.analysis.status import (STATUSES, chain_coverage, legend, segment_statuses, status_fields,
                                        supporting_rate)


def panorama(ctx: AnalysisContext, chain: str) -> dict:
    """The panorama of ``chain`` (IRI or name) for the context's focal park(s).

    Returns
    -------
    dict
        ``chain``, ``chain_label``, ``park``, ``park_label``, ``scope``, ``parks``;
        ``stages`` — ``[{stage, stage_order, segments: [row]}]`` upstream first;
        ``rows`` — the same segment rows flat, in order; each row has ``segment``, ``label``,
        ``label_en``, ``stage``, ``stage_order``, ``status``, ``status_reason``,
        ``status_explanation`` (why, with quotes and what is missing), ``status_brief`` (the
        same, short, for table cells), ``status_evidence``, ``missing_data``,
        ``local_firms`` (names), ``local_firm_iris``, ``leaders`` (names), ``reported_count``,
        ``leader_expected``, ``broader`` (label or None), ``inputs`` and ``feeds`` (labels),
        ``planning`` (number of planning statements naming it);
        ``supporting_rate`` (:func:`~chaingraph.analysis.status.supporting_rate`);
        ``reported_chain_counts`` — counts the sources state for the whole chain
        (``{count, population, year, evidence}``); ``summary`` — segments per status;
        ``local_firm_count`` — named local firms in the chain; ``coverage`` —
        :func:`~chaingraph.analysis.status.chain_coverage`; ``legend`` — the status words.
    """
    chain = resolve_chain(ctx, chain)
    st = segment_statuses(ctx)
    dag = ctx.dag
    stages: list[dict] = []
    rows = []
    firms_in_chain: set[str] = set()
    for s in ctx.chain_segments(chain):
        node = dag.nodes[s]
        info = st[s]
        firms_in_chain.update(info["local_firms"])
        row = {
            "segment": s,
            "label": node["label"],
            "label_en": node.get("label_en"),
            "stage": node["stage"],
            "stage_order": node["stage_order"],
            **status_fields(info),
            "local_firms": [ctx.firm_label(f) for f in info["local_firms"]],
            "local_firm_iris": list(info["local_firms"]),
            "leaders": [ctx.firm_label(f) for f in info["leaders"]],
            "reported_count": info["reported_count"],
            "leader_expected": bool(node.get("leader_expected")),
            "broader": ctx.segment_label(node["broader"]) if node.get("broader") else None,
            "inputs": [ctx.segment_label(u) for u in sorted(dag.predecessors(s), key=ctx.segment_label)],
            "feeds": [ctx.segment_label(v) for v in sorted(dag.successors(s), key=ctx.segment_label)],
            "planning": sum(1 for p in ctx.planning if s in p["segments"]),
        }
        rows.append(row)
        if not stages or stages[-1]["stage_order"] != row["stage_order"]:
            stages.append({"stage": row["stage"], "stage_order": row["stage_order"], "segments": []})
        stages[-1]["segments"].append(row)
    return {
        "chain": chain,
        "chain_label": ctx.chains[chain]["label"],
        "park": ctx.park,
        "park_label": ctx.park_label,
        "scope": ctx.scope,
        "parks": list(ctx.parks),
        "stages": stages,
        "rows": rows,
        "supporting_rate": supporting_rate(ctx, chain, st),
        "reported_chain_counts": [
            {"count": c["count"], "population": c["population"], "year": c["year"], "evidence": c["evidence"]}
            for c in ctx.chain_reported_counts(chain)
        ],
        "summary": {k: sum(1 for r in rows if r["status"] == k) for k in STATUSES},
        "coverage": chain_coverage(ctx, chain),
        "legend": legend(),
        "local_firm_count": len(firms_in_chain),
    }
