"""The 以商引商 network: who brought whom to the park, cascades and top introducers.

Edges are the ``cg:Referral`` facts (referrer → referee) that touch a local firm (either end),
with their kind (以商引商 ``cg:PeerReferral`` / 链主带动 ``cg:LeaderPull``), stage, year and
evidence.

* **cascades** — for every root (a referrer nobody referred), the longest referral chain from it
  (``nx.dag_longest_path`` on the root's descendants) and its reach (number of descendants);
  longest first, then widest.
* **introducers** — referrers with out-degree (direct referrals) and reach (all firms reached
  through referral chains), most reach first.
* **share** — ``computed``: among the local firms, the share that arrived through a referral or a
  chain leader (are the referee of a referral, or were brought by a chain leader), next to
  ``reported``: the shares the sources state (``cg:ReportedShare`` with ``cg:ReferralShareMetric``
  for the focal parks).  The two usually count different populations (named firms vs. projects):
  both are shown with their wording, never merged.

Examples
--------
>>> from chaingraph.analysis.context import build_context, example_graph
>>> net = referral_network(build_context(example_graph(), park="示范园"))
>>> [(r["referrer_label"], r["referee_label"], r["kind"]) for r in net["referrals"]]
[('整机链主', '冲压甲', '链主带动'), ('冲压甲', '冲压乙', '以商引商')]
>>> net["cascades"][0]["path_labels"], net["introducers"][0]["label"], net["introducers"][0]["reach"]
(['整机链主', '冲压甲', '冲压乙'], '整机链主', 2)
>>> net["share"]["computed"], net["share"]["reported"][0]["share"]
(0.6667, 0.5)
"""

from __future__ import annotations

import networkx as nx

from chaingraph import project
from chaingraph.analysis.context import AnalysisContext
from chaingraph.namespaces import CG

KIND_LABELS = {
    str(CG.PeerReferral): "以商引商",
    str(CG.LeaderPull): "链主带动",
}
STAGE_LABELS = {
    str(CG.Introduced): "已引荐",
    str(CG.Visited): "已考察",
    str(CG.Signed): "已签约",
    str(CG.Landed): "已落地",
}
REFERRAL_SHARE = str(CG.ReferralShareMetric)


def referral_graph(ctx: AnalysisContext) -> nx.DiGraph:
    """Referrals touching a local firm as a simple DiGraph (one edge per pair; facts in ``facts``)."""
    g = nx.DiGraph()
    for a, b, d in sorted(ctx.firm_graph.edges(data=True), key=lambda e: (e[2].get("fact") or "", e[0], e[1])):
        if d.get("kind") != "referral" or not (a in ctx.local_firms or b in ctx.local_firms):
            continue
        if g.has_edge(a, b):
            g.edges[a, b]["facts"].append(d)
        else:
            g.add_edge(a, b, facts=[d])
    return g


def referral_network(ctx: AnalysisContext) -> dict:
    """Referrals, cascades, introducers and the referral share for the focal park(s).

    Returns
    -------
    dict
        ``park``, ``park_label``, ``scope``;
        ``referrals`` — ``[{referrer, referrer_label, referee, referee_label, kind, stage, year,
        fact, evidence: [{source, title, quote}]}]`` sorted by referrer, referee;
        ``cascades`` — ``[{root, root_label, path, path_labels, length, reach}]``;
        ``introducers`` — ``[{firm, label, out_degree, reach, kinds, local}]``;
        ``share`` — ``{local_firms, via_referral, via_leader, computed, referees, reported:
        [{share, population, evidence}]}``.
    """
    g = referral_graph(ctx)
    referrals = _referrals(ctx, g)
    cascades = _cascades(ctx, g)
    introducers = _introducers(ctx, g)
    share = _share(ctx, g)
    return {
        "park": ctx.park,
        "park_label": ctx.park_label,
        "scope": ctx.scope,
        "referrals": referrals,
        "cascades": cascades,
        "introducers": introducers,
        "share": share,
    }


def _label(labels: dict[str, str], iri: str | None) -> str | None:
    """The Chinese word for a referral kind or stage, else the IRI's local name."""
    return labels.get(iri, project.local_name(iri)) if iri else None


def _referrals(ctx: AnalysisContext, g: nx.DiGraph) -> list[dict]:
    """One row per referral fact, listed along the cascades: a referrer's referrals before its
    referees' referrals."""
    referrals = []
    for a, b in sorted(g.edges):
        for d in g.edges[a, b]["facts"]:
            referrals.append(
                {
                    "referrer": a,
                    "referrer_label": ctx.firm_label(a),
                    "referee": b,
                    "referee_label": ctx.firm_label(b),
                    "kind": _label(KIND_LABELS, d.get("referral_kind")),
                    "stage": _label(STAGE_LABELS, d.get("stage")),
                    "year": d.get("year"),
                    "fact": d.get("fact"),
                    "evidence": [
                        {"source": e["source"], "title": e["title"], "quote": e["quote"]} for e in d.get("evidence", [])
                    ],
                }
            )
    referrals.sort(key=lambda r: (r["referrer_label"], r["referee_label"], r["fact"] or ""))
    depth = {n: len(nx.ancestors(g, n)) for n in g.nodes}
    referrals.sort(key=lambda r: (depth[r["referrer"]], r["referrer"], r["referee"], r["fact"] or ""))
    return referrals


def _cascades(ctx: AnalysisContext, g: nx.DiGraph) -> list[dict]:
    """From every firm nobody referred: the longest chain of referrals and how many it reached."""
    acyclic = nx.is_directed_acyclic_graph(g)
    cascades = []
    for root in sorted(n for n in g.nodes if g.in_degree(n) == 0 and g.out_degree(n) > 0):
        reach = nx.descendants(g, root)
        sub = g.subgraph(reach | {root})
        if acyclic:
            path = nx.dag_longest_path(sub, default_weight=1, topo_order=list(nx.lexicographical_topological_sort(sub)))
        else:  # a referral loop: fall back to the deepest shortest path
            dist = nx.single_source_shortest_path(sub, root)
            path = max(dist.values(), key=lambda p: (len(p), [str(x) for x in p]))
        cascades.append(
            {
                "root": root,
                "root_label": ctx.firm_label(root),
                "path": path,
                "path_labels": [ctx.firm_label(n) for n in path],
                "length": len(path) - 1,
                "reach": len(reach),
            }
        )
    cascades.sort(key=lambda c: (-c["length"], -c["reach"], c["root_label"], c["root"]))
    return cascades


def _introducers(ctx: AnalysisContext, g: nx.DiGraph) -> list[dict]:
    """Every firm that referred another, by how far its referrals reached."""
    introducers = []
    for n in sorted(g.nodes):
        if g.out_degree(n) == 0:
            continue
        kinds = sorted({KIND_LABELS.get(d.get("referral_kind"), "") for _, _, dd in g.out_edges(n, data=True) for d in dd["facts"]} - {""})
        introducers.append(
            {
                "firm": n,
                "label": ctx.firm_label(n),
                "out_degree": g.out_degree(n),
                "reach": len(nx.descendants(g, n)),
                "kinds": kinds,
                "local": n in ctx.local_firms,
            }
        )
    introducers.sort(key=lambda r: (-r["reach"], -r["out_degree"], r["label"], r["firm"]))
    return introducers


def _share(ctx: AnalysisContext, g: nx.DiGraph) -> dict:
    """The share of local firms that came by referral (computed from named firms), beside the
    shares sources report."""
    local = sorted(ctx.local_firms)
    referees = {b for _, b in g.edges if b in ctx.local_firms}
    leader_pull = str(CG.LeaderPull)
    via_leader = {
        b for a, b in g.edges
        if b in ctx.local_firms and (a in ctx.leaders or any(d.get("referral_kind") == leader_pull for d in g.edges[a, b]["facts"]))
    }
    return {
        "local_firms": len(local),
        "via_referral": len(referees),
        "via_leader": len(via_leader),
        "computed": round(len(referees) / len(local), 4) if local else None,
        "referees": [ctx.firm_label(f) for f in sorted(referees)],
        "definition": "本地企业中作为被引荐方（以商引商或链主带动）落户的比例（按具名企业计）",
        "reported": [
            {"share": s["share"], "population": s["population"], "park": s["park"], "evidence": s["evidence"]}
            for s in ctx.reported_shares
            if s["metric"] == REFERRAL_SHARE
        ],
    }
