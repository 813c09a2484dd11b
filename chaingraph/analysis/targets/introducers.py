"""Who can introduce us (以商引商): the tie graph of a ranking and the paths shown on its rows.

Proximity is scored over the tie graph (:mod:`chaingraph.analysis.ties`); the rows shown name
the nearest local firms and the focal parks within reach, each with its path and the evidence
of every edge on it (fetched for those edges only).
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

from chaingraph.analysis.ties import TieGraph, from_edges
from chaingraph.project import evidence_by_subject
from chaingraph.store import select_in

INTRODUCERS_SHOWN = 3


class Tie(NamedTuple):
    """A local firm or focal park within reach of a candidate."""

    distance: int
    label: str
    node: str  # IRI of the local firm or park
    path: list[str]  # from ``node`` to the candidate


def tie_graph(ctx, removed_edges: Iterable = ()) -> TieGraph:
    """Undirected tie graph: fact edges plus ``city`` edges firm—place (relocation-origin ties).

    Built from the relation facts alone (no evidence, no firm attributes: evidence is fetched
    for the paths shown, :func:`fill_evidence`).  Edges are added in the order of the firm
    graph's edge iteration (source firms by IRI, then visiting parks), so searches find the same
    route whichever way the facts were fetched.  Kept on the firm source (shared by the contexts
    of one open store) for the same local firms and removed edges.
    """
    skip = frozenset(removed_edges)
    key = ("ties", skip, ctx.local_firms)
    cached = ctx.source.cache.get(key)
    if cached is not None:
        return cached
    if skip:
        g = from_edges([e for e in ctx.source.relation_edges() if e["fact"] not in skip])
    else:
        g = ctx.source.tie_graph()
    origins = ctx.source.relocation_origins(skip)
    if origins:
        rows = select_in(ctx.source.graph, "SELECT ?f ?c WHERE { ?f cg:city ?c . ?f a ?t FILTER(?t = cg:Company) }", "c", origins)
        city: dict[str, str] = {}
        for r in rows:  # a firm's city is its smallest, as in project.firms
            if r["f"] not in city or r["c"] < city[r["f"]]:
                city[r["f"]] = r["c"]
        for f in sorted(city):
            if city[f] in origins and f not in ctx.local_firms:
                g.add_edge(f, city[f], {"kind": "city", "fact": None, "evidence": [], "year": None, "src": f, "dst": city[f]})
    for old in [k for k in ctx.source.cache if k[0] == "ties"]:  # one tie graph at a time
        del ctx.source.cache[old]
    ctx.source.cache[key] = g
    return g


def fill_evidence(ctx, tg: TieGraph, steps: set[tuple[str, str]]) -> None:
    """Attach evidence to the edges shown on path steps ``(a, b)`` (one query for all of them)."""
    shown = [d for a, b in steps for d in tg.edge_data(a, b)]
    todo = {d["fact"] for d in shown if d["fact"] and d.get("evidence") is None}
    if not todo:
        return
    ev = evidence_by_subject(ctx.source.graph, subjects=todo)
    for d in shown:
        if d["fact"] in todo:
            d["evidence"] = ev.get(d["fact"], [])


def path_edges(tg: TieGraph, path: list[str], label) -> list[dict]:
    """The edges of a path as shown: both ends, kind, direction of the fact, and its evidence."""
    out = []
    for a, b in zip(path, path[1:]):
        d = tg.edge(a, b)
        out.append({
            "from": a, "from_label": label(a), "to": b, "to_label": label(b), "kind": d["kind"],
            "direction": f"{label(d['src'])} → {label(d['dst'])}", "fact": d["fact"],
            "evidence": [{k: e.get(k) for k in ("source", "title", "quote", "start", "end")} for e in (d.get("evidence") or [])],
        })
    return out


def ties_shown(tg: TieGraph, firm: str, local: frozenset, park_search: dict, label) -> tuple[list[Tie], str | None]:
    """The nearest local firms (:data:`INTRODUCERS_SHOWN`) and every focal park within reach of
    ``firm``, with paths, and the proximity note.

    Local firms come nearest first (then by label), then the parks.  The note counts the local
    firms reached.
    """
    found = tg.search(firm, sources=local, want=INTRODUCERS_SHOWN)
    near = sorted((d, label(x), x) for d, x in found.reached)
    ties = [Tie(d, lab_, x, found.path(x)) for d, lab_, x in near[:INTRODUCERS_SHOWN]]
    for p, ps in park_search.items():
        d = ps.distance(firm)
        if d is not None and d > 0:
            ties.append(Tie(d, label(p), p, list(reversed(ps.path(firm)))))
    if not ties:
        return [], None
    nearest = min(t.distance for t in ties)
    if found.complete:
        return ties, f"{len(near)} local firm(s), nearest {nearest} step(s)"
    return ties, f"at least {len(near)} local firm(s) within {found.depth} step(s), nearest {nearest} step(s)"


def tie_paths(ctx, tg: TieGraph, firms: list[str], park_search: dict) -> dict[str, tuple[list[dict], str | None]]:
    """``{firm: (paths, proximity note)}`` for the rows shown, evidence attached (one query).

    Each path is ``{firm, label, distance, path}`` (``firm``: the local firm or park it starts
    from; ``path``: :func:`path_edges`)."""
    label = ctx.firm_label
    shown = {f: ties_shown(tg, f, ctx.local_firms, park_search, label) for f in firms}
    fill_evidence(ctx, tg, {(a, b) for ties, _ in shown.values() for t in ties for a, b in zip(t.path, t.path[1:])})
    return {f: ([{"firm": t.node, "label": t.label, "distance": t.distance, "path": path_edges(tg, t.path, label)}
                 for t in ties], note)
            for f, (ties, note) in shown.items()}
